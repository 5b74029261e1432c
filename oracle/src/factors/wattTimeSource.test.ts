import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  T0,
  wattTimeBody,
} from "@energy-intelligence/sdk/factors/sources/apiResponseFixtures.testHelper";
import { sendJson, startLocalApiServer } from "./localApiServer.testHelper.ts";
import type { LocalApiServer } from "./localApiServer.testHelper.ts";
import { createWattTimeSource } from "./wattTimeSource.ts";

const servers: LocalApiServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

describe("WattTime v3 client against a local server", () => {
  it("logs in with basic auth, asks the forecast with the bearer token, renews the token after a 401", async () => {
    let logins = 0;
    const server = await startLocalApiServer((request, response) => {
      if (request.url === "/login") {
        logins += 1;
        assert.equal(
          request.headers.authorization,
          `Basic ${Buffer.from("user:pw").toString("base64")}`,
        );
        sendJson(response, 200, { token: `token-${logins}` });
        return;
      }
      // The first token is "expired".
      if (request.headers.authorization === "Bearer token-1") {
        sendJson(response, 401, { error: "expired" });
        return;
      }
      sendJson(
        response,
        200,
        wattTimeBody("CAISO_NORTH", [820.5, 790], "lbs_co2_per_mwh", true, T0),
      );
    });
    servers.push(server);
    const source = createWattTimeSource({
      baseUrl: server.url,
      region: "CAISO_NORTH",
      username: "user",
      password: "pw",
      timeoutMs: 2_000,
      maxRetryWaitMs: 0,
      cacheTtlMs: 0,
      now: () => T0 - 60_000,
    });
    const series = await source.marginalSignals({
      region: "CAISO_NORTH",
      startMs: T0,
      endMs: T0 + 600_000,
      signal: "co2_moer",
    });
    assert.equal(logins, 2);
    assert.ok(
      server.requests.some((r) =>
        r.path.startsWith("/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer"),
      ),
    );
    assert.deepEqual(
      series.points.map((p) => [p.kind, p.signal.value, p.forecast]),
      [
        ["marginal", "820.5", true],
        ["marginal", "790", true],
      ],
    );
  });

  it("a login that fails is reported, not thrown", async () => {
    const server = await startLocalApiServer((_request, response) => {
      sendJson(response, 403, { error: "forbidden" });
    });
    servers.push(server);
    const source = createWattTimeSource({
      baseUrl: server.url,
      region: "CAISO_NORTH",
      username: "u",
      password: "p",
      timeoutMs: 2_000,
      maxRetryWaitMs: 0,
      cacheTtlMs: 0,
    });
    const series = await source.marginalSignals({
      region: "CAISO_NORTH",
      startMs: T0,
      endMs: T0 + 600_000,
      signal: "percentile",
    });
    assert.equal(series.points.length, 0);
    assert.equal(series.problems[0]?.reason, "unauthorised");
  });
});
