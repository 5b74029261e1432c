/**
 * functions/source/gridIntensity.js, the very file GridIntensityConsumer sends to the DON, run with the
 * toolkit's simulateScript (Deno, as the DON runs it) against a local server speaking each API's format.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { decodeAbiParameters, type Hex } from "viem";
import { readGridIntensitySource } from "../../functions/tooling/deployGridIntensityConsumer.ts";
import { runSimulation } from "../../functions/tooling/toolkit.ts";
import {
  startGridIntensityApiServer,
  type GridIntensityApiServer,
} from "./gridIntensityApiServer.ts";

const HOUR = 1_767_276_000; // 2026-01-01T14:00:00Z
let api: GridIntensityApiServer;
let source: string;

before(async () => {
  api = await startGridIntensityApiServer();
  source = await readGridIntensitySource();
});
after(async () => api.close());
beforeEach(() => {
  api.mode = "ok";
  api.requests.length = 0;
});

async function run(
  args: string[],
  secrets: Record<string, string> = {},
  maxQueryDurationMs?: number,
) {
  return runSimulation({
    source,
    args: [...args, api.baseUrl],
    secrets,
    ...(maxQueryDurationMs === undefined ? {} : { maxQueryDurationMs }),
  });
}

function milligrams(hex: string | undefined): bigint {
  assert.ok(hex !== undefined, "a response");
  assert.equal(hex.length, 66, "one 32-byte word");
  return decodeAbiParameters([{ type: "uint256" }], hex as Hex)[0];
}

describe("gridIntensity.js under simulateScript", () => {
  it("UK regional: the hour is the mean of its two half-hour forecasts, in mg/kWh", async () => {
    const result = await run(["uk-carbon-intensity", "13", String(HOUR)]);
    assert.equal(result.errorString, undefined, result.capturedTerminalOutput);
    // (200 + 210) / 2 = 205 g/kWh = 205,000 mg/kWh
    assert.equal(milligrams(result.responseBytesHexstring), 205_000n);
    assert.deepEqual(api.requests, [
      "/regional/intensity/2026-01-01T14:00Z/2026-01-01T15:00Z/regionid/13",
    ]);
  });

  it("UK national: actual values win over forecasts", async () => {
    api.ukHalfHours = [181, 190];
    const result = await run(["uk-carbon-intensity", "GB", String(HOUR)]);
    // (181 + 190) / 2 = 185.5 g/kWh = 185,500 mg/kWh (forecasts would give 188,500)
    assert.equal(milligrams(result.responseBytesHexstring), 185_500n);
    api.ukHalfHours = [200, 210];
  });

  it("Electricity Maps: direct factor for the exact hour, with the key from secrets", async () => {
    const result = await run(["electricity-maps", "DE", String(HOUR)], {
      electricityMapsApiKey: "test-key",
    });
    assert.equal(result.errorString, undefined, result.capturedTerminalOutput);
    assert.equal(milligrams(result.responseBytesHexstring), 302_456n);
    assert.match(
      api.requests[0] ?? "",
      /zone=DE&datetime=2026-01-01T14%3A00%3A00.000Z&emissionFactorType=direct/,
    );
  });

  it("fails with a specific reason, never a zero", async () => {
    const cases: {
      mode: GridIntensityApiServer["mode"];
      args: string[];
      secrets?: Record<string, string>;
      reason: RegExp;
    }[] = [
      { mode: "http-500", args: ["uk-carbon-intensity", "13"], reason: /^http-error: HTTP 500/ },
      {
        mode: "missing-half-hour",
        args: ["uk-carbon-intensity", "13"],
        reason: /^missing-interval: no half-hour starting 2026-01-01T14:30Z/,
      },
      { mode: "negative", args: ["uk-carbon-intensity", "GB"], reason: /^negative-intensity/ },
      { mode: "changed-format", args: ["uk-carbon-intensity", "13"], reason: /^changed-format/ },
      {
        mode: "changed-format",
        args: ["electricity-maps", "DE"],
        secrets: { electricityMapsApiKey: "test-key" },
        reason: /^changed-format: carbonIntensity is not a number/,
      },
      {
        mode: "negative",
        args: ["electricity-maps", "DE"],
        secrets: { electricityMapsApiKey: "test-key" },
        reason: /^negative-intensity/,
      },
      {
        mode: "missing-half-hour",
        args: ["electricity-maps", "PL"],
        secrets: { electricityMapsApiKey: "test-key" },
        reason: /^missing-interval/,
      },
      {
        mode: "ok",
        args: ["electricity-maps", "DE"],
        reason: /^unauthorised: secret electricityMapsApiKey is not set/,
      },
      {
        mode: "ok",
        args: ["electricity-maps", "DE"],
        secrets: { electricityMapsApiKey: "wrong" },
        reason: /^unauthorised: HTTP 401/,
      },
      { mode: "ok", args: ["watttime", "CAISO"], reason: /^bad-argument: source/ },
    ];
    for (const c of cases) {
      api.mode = c.mode;
      const result = await run([...c.args, String(HOUR)], c.secrets ?? {});
      assert.equal(
        result.responseBytesHexstring,
        undefined,
        `${c.mode} ${c.args.join(" ")}: no value`,
      );
      assert.match(result.errorString ?? "", c.reason, `${c.mode} ${c.args.join(" ")}`);
    }
    const misaligned = await run(["uk-carbon-intensity", "13", String(HOUR + 60)]);
    assert.match(misaligned.errorString ?? "", /^bad-argument: hour start/);
  });

  it("absurd values are refused in the source too", async () => {
    api.ukHalfHours = [2500, 2600];
    const result = await run(["uk-carbon-intensity", "13", String(HOUR)]);
    assert.match(result.errorString ?? "", /^absurd-intensity/);
    api.ukHalfHours = [200, 210];
  });

  it("an API that does not answer ends in an error, not a value", async () => {
    api.mode = "hang";
    const result = await run(["uk-carbon-intensity", "13", String(HOUR)], {}, 500);
    assert.equal(result.responseBytesHexstring, undefined);
    assert.match(result.errorString ?? "", /^http-error/);
  });
});
