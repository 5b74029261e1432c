import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { withCrc } from "../../sdk/src/protocols/dsmr/fixtures/withCrc.ts";
import { runEi } from "../cli/runEi.testHelper.ts";

const fixtures = "sdk/src/protocols/dsmr/fixtures";

describe("ei dsmr parse", () => {
  it("prints OBIS code, value, unit and timestamp of a DSMR 2.2 telegram", async () => {
    const run = await runEi(["dsmr", "parse", `${fixtures}/dsmr-2.2-spec-example.txt`]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /^ {2}1-0:1\.8\.1 {4}00001\.001 kWh$/m);
    assert.match(run.stdout, /0-1:24\.3\.0 {3}2016-11-07T18:00:00\.000Z/);
  });

  it("prints every telegram of a stream as JSON with readings, and exits 1 on a refused one", async () => {
    const v5 = withCrc(readFileSync(`${fixtures}/dsmr-5.0.2-spec-example.txt`, "latin1"));
    const printed = readFileSync(`${fixtures}/dsmr-5.0.2-spec-example.txt`, "latin1");
    const run = await runEi(["dsmr", "parse", "-", "--json"], `garbage${v5}${printed}${v5}`);
    assert.equal(run.exitCode, 1, run.stderr);
    const result = JSON.parse(run.stdout) as {
      telegrams: {
        version: string;
        timestamp: string;
        objects: { obis: string; values: { value?: string; unit?: string }[] }[];
        readings: { energyImportedMilliWattHours: string }[];
      }[];
      refused: { reason: string; message: string }[];
    };
    assert.equal(result.telegrams.length, 2);
    assert.equal(result.telegrams[0]?.timestamp, "2010-12-09T10:30:20.000Z");
    assert.deepEqual(result.telegrams[0].objects.find((o) => o.obis === "1-0:1.8.1")?.values, [
      { value: "123456.789", unit: "kWh" },
    ]);
    assert.equal(result.telegrams[0].readings[0]?.energyImportedMilliWattHours, "246913578000");
    assert.deepEqual(result.refused, [
      { reason: "bad-crc", path: "crc", message: "telegram says EF2F, bytes give E47C" },
    ]);
  });

  it("exits 2 on a file without telegrams", async () => {
    const run = await runEi(["dsmr", "parse", "-"], "no telegram here");
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /no P1 telegram found/);
  });
});
