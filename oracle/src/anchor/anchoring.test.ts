import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Fastify from "fastify";
import { containersRoutes } from "../api/routes/containersRoutes.ts";
import { ipfsRoutes } from "../api/routes/ipfsRoutes.ts";
import { readingSeriesRoutes } from "../api/routes/readingSeriesRoutes.ts";
import type { HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import type { TestDeployment } from "../chain/testing/deployTestContracts.ts";
import {
  assertChainStoreIpfsAgree,
  openTestSite,
  startTestChain,
  waitFor,
} from "./testing/anchoringFixture.ts";

const PERIOD_MS = 10_000;
const directory = mkdtempSync(path.join(tmpdir(), "ei-anchoring-"));
let node: HardhatNode;
let deployment: TestDeployment;

before(async () => {
  ({ node, deployment } = await startTestChain(directory, { blockIntervalMs: 200 }));
});
after(async () => {
  await node.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe("anchoring end to end (hardhat node, Helia on disk, SQLite)", () => {
  it("closes every period once, stores it in IPFS, anchors it in batches and confirms it; chain, store and IPFS agree", async () => {
    // A fixed clock, in the past: the 115 readings (1 s apart) end in period 11, and "now" is
    // half a period after period 11's end, past its 1 s grace. So periods 0..10 close on their
    // next reading, period 11 closes with a held (flagged) end, period 12 is not due: 12 closes
    // whatever the wall clock says. The same "now" for both passes: with a live clock a new
    // period may come due between them, which is not a second close.
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 14 * PERIOD_MS;
    const nowMs = startMs + 12 * PERIOD_MS + PERIOD_MS / 2;
    const site = await openTestSite({ rpcUrl: node.rpcUrl, deployment, startMs });
    try {
      await site.ingest(115);
      const created = site.services.closeNow(nowMs);
      assert.equal(created, 12, `closed ${created} periods`);
      await waitFor(
        () => site.services.containers.countByState().confirmed === created,
        "all containers confirmed",
      );
      // A second pass closes nothing again.
      assert.equal(site.services.closeNow(nowMs), 0);

      const rows = site.services.containers.list({ limit: 1000 }).reverse();
      assert.equal(rows.length, created);
      rows.forEach((row, index) => {
        assert.equal(
          row.periodStartMs,
          startMs + index * PERIOD_MS,
          "contiguous periods, none twice",
        );
        assert.equal(row.state, "confirmed");
      });
      const batchRefs = new Set(rows.map((row) => row.batchRef));
      assert.ok(
        batchRefs.size < rows.length,
        `many containers per transaction (${batchRefs.size} batches)`,
      );
      const lastWithData = rows.findIndex((row) => row.energyFlags.includes("held"));
      assert.ok(
        lastWithData >= 0,
        "the period the data stops in is closed with a held (flagged) end",
      );

      const agreed = await assertChainStoreIpfsAgree(site, node.rpcUrl, deployment.containers);
      assert.equal(agreed.checked, created);

      // The API over the same store: containers, their documents over /ipfs, the chart series.
      const app = Fastify();
      containersRoutes(app, {
        containers: site.services.containers,
        batches: site.services.batches,
      });
      readingSeriesRoutes(app, { db: site.db });
      ipfsRoutes(app, { store: site.services.store });
      try {
        const list = (await app.inject({ method: "GET", url: "/v1/containers?limit=5" })).json<{
          containers: { containerId: string; cid: string; state: string }[];
          next: number | null;
        }>();
        assert.equal(list.containers.length, 5);
        assert.ok(list.next !== null);
        const first = list.containers[0];
        assert.ok(first !== undefined);
        const detail = await app.inject({
          method: "GET",
          url: `/v1/containers/${first.containerId}`,
        });
        assert.equal(detail.statusCode, 200);
        const body = detail.json<{
          state: string;
          anchoring: { txHash: string | null; blockNumber: number | null };
        }>();
        assert.equal(body.state, "confirmed");
        assert.match(body.anchoring.txHash ?? "", /^0x[0-9a-f]{64}$/u);
        const document = await app.inject({ method: "GET", url: `/ipfs/${first.cid}` });
        assert.equal(document.statusCode, 200);
        assert.equal(document.json<{ format: string }>().format, "ei-container-v1");
        assert.equal(
          (await app.inject({ method: "GET", url: `/v1/containers/0x${"00".repeat(31)}01` }))
            .statusCode,
          404,
        );

        const series = await app.inject({
          method: "GET",
          url: `/v1/devices/${site.device.deviceId}/readings?from=${startMs}&to=${startMs + 12 * PERIOD_MS}&resolution=${PERIOD_MS}`,
        });
        assert.equal(series.statusCode, 200);
        const points = series.json<{
          channels: { points: { readingCount: number; energyImportedMilliWattHours: string }[] }[];
        }>().channels[0]?.points;
        assert.ok(points !== undefined);
        assert.equal(
          points.reduce((sum, point) => sum + point.readingCount, 0),
          115,
        );
        // Each reading raises the test counter by 1234 mWh; the first bucket starts at the first reading.
        assert.equal(
          points.reduce((sum, point) => sum + BigInt(point.energyImportedMilliWattHours), 0n),
          114n * 1234n,
        );
        const tooMany = await app.inject({
          method: "GET",
          url: `/v1/devices/${site.device.deviceId}/readings?from=0&to=${startMs}&resolution=1000`,
        });
        assert.equal(tooMany.statusCode, 400);
      } finally {
        await app.close();
      }
    } finally {
      await site.close();
    }
  });

  it("records readings that arrive after their period closed as late, and keeps closing the chain of periods", async () => {
    const periodMs = 1000;
    const startMs = Math.floor(Date.now() / periodMs) * periodMs - 40 * periodMs;
    const site = await openTestSite({ rpcUrl: node.rpcUrl, deployment, startMs, periodMs });
    try {
      await site.ingest(10);
      // Past grace with no reading after 10 s: periods 10 s..16 s close with a held (flagged) end.
      assert.equal(site.services.closeNow(), 16);
      await site.ingest(25);
      let closed = 0;
      for (let pass = site.services.closeNow(); pass > 0; pass = site.services.closeNow())
        closed += pass;
      assert.ok(closed >= 19, `closed ${closed} more`);
      const rows = site.services.containers.list({ limit: 1000 });
      const late = rows.reduce((sum, row) => sum + row.lateReadingCount, 0);
      assert.equal(late, 6, "the readings of 10 s..15 s came after their periods closed");
      assert.ok(rows.some((row) => row.energyFlags.includes("held")));
    } finally {
      await site.close();
    }
  });
});
