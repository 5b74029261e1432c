import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runEi } from "../cli/runEi.testHelper.ts";

describe("ei lora", () => {
  it("encodes and decodes the documented example", async () => {
    const encoded = await runEi([
      "lora",
      "encode",
      '{"channels":[{"energyImportedWh":12345,"powerDecawatts":12}]}',
      "--json",
    ]);
    assert.equal(encoded.exitCode, 0, encoded.stderr);
    assert.deepEqual(JSON.parse(encoded.stdout), {
      fPort: 10,
      hex: "010000303900000000000c",
      base64: "AQAAMDkAAAAAAAw=",
      length: 11,
    });
    const decoded = await runEi(["lora", "decode", "AQAAMDkAAAAAAAw=", "--json"]);
    assert.equal(decoded.exitCode, 0, decoded.stderr);
    assert.deepEqual(JSON.parse(decoded.stdout), {
      version: 1,
      ageSeconds: 0,
      channels: [{ channel: 0, energyImportedWh: 12345, energyExportedWh: 0, powerDecawatts: 12 }],
    });
  });

  it("exits 2 with the reason on a wrong fPort or length", async () => {
    const wrongPort = await runEi(["lora", "decode", "01000030390000000000000c", "--fport", "3"]);
    assert.equal(wrongPort.exitCode, 2);
    assert.match(wrongPort.stderr, /wrong-fport/);
    const short = await runEi(["lora", "decode", "0100"]);
    assert.equal(short.exitCode, 2);
    assert.match(short.stderr, /wrong-length/);
  });

  it("prints the committed generated formatter", async () => {
    const run = await runEi(["lora", "formatter"]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(
      run.stdout,
      readFileSync("sdk/src/protocols/lora/generated/ttnFormatter.js", "utf8"),
    );
  });
});
