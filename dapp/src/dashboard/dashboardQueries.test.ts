import assert from "node:assert/strict";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { footprintPerUnitPoints } from "./chartData.ts";
import {
  readDeviceDashboard,
  readProductDashboard,
  readProducts,
  readSiteDashboard,
} from "./dashboardQueries.ts";

// A GraphQL endpoint answering with whatever the test sets, in graph-node's JSON shape.
let answer: { status: number; body: unknown } = { status: 200, body: { data: {} } };
let server: Server;
let url: string;

before(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/subgraphs/name/ei`;
});
after(
  () =>
    new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    ),
);

const day = {
  day: 20_000,
  energyImportedMilliWattHours: "5000000",
  emissionsLocationMilligramsCo2e: "2000000",
  emissionsMarketMilligramsCo2e: "1000000",
};
const lot = {
  id: "0x0a",
  units: "10",
  mintedAtTimestamp: "1767225600",
  energyPerUnitMilliWattHours: "1000",
  emissionsLocationPerUnitMilligramsCo2e: "2500",
  emissionsMarketPerUnitMilligramsCo2e: "1250",
};

describe("dashboard readers answer { data } or { error }", () => {
  it("gives a device's subject, days and containers as data", async () => {
    const device = {
      id: "0xd1",
      kind: 1,
      currentKeyHash: null,
      site: { id: "0x51", name: "Plant" },
      machine: null,
    };
    answer = {
      status: 200,
      body: { data: { device, deviceDailyEnergies: [day], containers: [] } },
    };
    assert.deepEqual(await readDeviceDashboard(url, "0xd1"), {
      data: { subject: device, days: [day], containers: [] },
    });
  });

  it("names the subject and id when nothing has that id", async () => {
    answer = {
      status: 200,
      body: { data: { site: null, siteDailyEnergies: [], containers: [] } },
    };
    assert.deepEqual(await readSiteDashboard(url, "0x99"), {
      error: { kind: "not_found", subject: "factory", id: "0x99" },
    });
    answer = { status: 200, body: { data: { product: null, productLots: [] } } };
    assert.deepEqual(await readProductDashboard(url, "0x98"), {
      error: { kind: "not_found", subject: "product", id: "0x98" },
    });
  });

  it("says the indexer is unavailable when it answers errors or cannot be reached", async () => {
    answer = { status: 200, body: { errors: [{ message: "store is syncing" }] } };
    const refused = await readProducts(url);
    assert.ok("error" in refused && refused.error.kind === "unavailable");
    assert.equal(refused.error.cause.reason, "answered 200: store is syncing");

    const down = await readProducts("http://127.0.0.1:9/subgraphs/name/ei");
    assert.ok("error" in down && down.error.kind === "unavailable");
    assert.equal(down.error.cause.service, "indexer");
  });
});

describe("footprintPerUnitPoints", () => {
  it("turns each lot's milligrams per unit into grams at its mint time", () => {
    assert.deepEqual(footprintPerUnitPoints([lot]), [
      { time: "01-01 00:00", location: 2.5, market: 1.25 },
    ]);
  });
});
