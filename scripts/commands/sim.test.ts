import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  createDsmrStreamSplitter,
  parseDsmrTelegram,
  parseEmonSerialLine,
} from "@energy-intelligence/sdk/protocols/index";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "@energy-intelligence/oracle/adapters/testing/adapterTestGateway";
import { repositoryRoot, runEi } from "../cli/runEi.testHelper.ts";

/** Starts `ei sim <kind> … --json` and resolves with its `listening` line and a way to stop it. */
function startSim(args: readonly string[]): Promise<{
  listening: Record<string, unknown>;
  stop: () => Promise<number | null>;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/ei.ts", "sim", ...args, "--json"], {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line !== undefined) {
        resolve({
          listening: JSON.parse(line) as Record<string, unknown>,
          stop: () =>
            new Promise((done) => {
              child.once("close", done);
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.on("close", (code) => {
      reject(new Error(`ei sim exited ${code}: ${stderr}`));
    });
  });
}

/** Reads from a TCP server until `done` says the bytes are enough. */
function readTcp(port: number, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      text += chunk;
      if (done(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on("error", reject);
  });
}

describe("ei sim <kind>", () => {
  it("dsmr serves P1 telegrams over TCP whose CRC checks", async () => {
    const sim = await startSim(["dsmr", "--port", "0", "--interval-ms", "100"]);
    try {
      const splitter = createDsmrStreamSplitter();
      let telegram: string | undefined;
      await readTcp(Number(sim.listening.port), (chunk) => {
        telegram ??= splitter.push(chunk).find((e) => e.type === "telegram")?.text;
        return telegram !== undefined;
      });
      const parsed = parseDsmrTelegram(telegram ?? "");
      assert.equal(parsed.crc?.expected, parsed.crc?.computed);
      assert.equal(parsed.equipmentId, "53494D3030303031");
    } finally {
      assert.equal(await sim.stop(), 0);
    }
  });

  it("emon writes emonTx key:value lines with one P and E per CT", async () => {
    const sim = await startSim([
      "emon",
      "--port",
      "0",
      "--watts",
      "100,200",
      "--volts",
      "239.5",
      "--interval-ms",
      "100",
    ]);
    try {
      const text = await readTcp(Number(sim.listening.port), (chunk) => chunk.includes("\n"));
      const frame = parseEmonSerialLine(text.split("\n")[0] ?? "");
      assert.equal(frame.values.Vrms, "239.50");
      assert.equal(frame.values.P2, "200");
      assert.ok(frame.values.E2 !== undefined);
    } finally {
      await sim.stop();
    }
  });

  it("refuses a bad option with exit 2 naming the flag", async () => {
    const run = await runEi(["sim", "modbus", "--map", "abb-b23"]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /--map/u);
  });

  describe("lora against a gateway with a TTN webhook", () => {
    const DEVICE = adapterDeviceId("cli-lora");
    let site: AdapterTestGateway;
    let secretFile: string;

    before(async () => {
      site = await startAdapterTestGateway({
        devices: [
          { deviceId: DEVICE, kind: "lora-meter", authScheme: "network-server", channelCount: 1 },
        ],
        secrets: { ttn: "Bearer cli-secret" },
        adapters: (secret) => {
          secretFile = secret("ttn");
          return [
            {
              kind: "lora",
              name: "ttn",
              networkServer: "ttn",
              secretFile,
              devices: [{ devEui: "70B3D57ED0000001", deviceId: DEVICE }],
            },
          ];
        },
      });
    });
    after(async () => {
      await site.close();
    });

    it("posts TTN v3 uplinks that the gateway stores; a wrong secret exits 1", async () => {
      const run = await runEi([
        "sim",
        "lora",
        "--url",
        site.gateway.httpUrl,
        "--secret-file",
        secretFile,
        "--count",
        "3",
        "--interval-ms",
        "0",
        "--json",
      ]);
      assert.equal(run.exitCode, 0, run.stderr);
      assert.deepEqual((JSON.parse(run.stdout) as { outcomes: unknown }).outcomes, { stored: 3 });
      assert.equal(site.readings(DEVICE).length, 3);
      const wrong = path.join(site.dataDir, "wrong.secret");
      writeFileSync(wrong, "Bearer guessed\n");
      const forged = await runEi([
        "sim",
        "lora",
        "--url",
        site.gateway.httpUrl,
        "--secret-file",
        wrong,
        "--count",
        "1",
        "--first-f-cnt",
        "9",
        "--json",
      ]);
      assert.equal(forged.exitCode, 1);
      assert.deepEqual((JSON.parse(forged.stdout) as { outcomes: unknown }).outcomes, {
        "http-401-bad-secret": 1,
      });
      assert.equal(site.readings(DEVICE).length, 3);
    });
  });
});
