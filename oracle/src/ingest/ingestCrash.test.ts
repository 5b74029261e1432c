import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import mqtt from "mqtt";
import { deviceReadingsTopic } from "@energy-intelligence/sdk";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { STORE_FILE_NAME, openStore } from "../store/openStore.ts";
import { TestDevice } from "../testing/deviceFixture.ts";
import { startGatewayProcess } from "../testing/gatewayProcess.ts";
import { type MessageStream, presign, sendHttp, sendMqtt } from "../testing/loadGenerator.ts";

/** Iterations in `npm test`; scripts/soak/ingest-crash.ts runs many more. */
const ITERATIONS = Number(process.env.EI_CRASH_ITERATIONS ?? 10);

interface Acked {
  deviceId: string;
  firstSequence: number;
  readings: number;
}

/**
 * Counts, per acknowledged message, how many of its readings the store holds:
 * each must hold exactly `readings` (the unique index rules out more).
 */
function missingAcknowledged(dataDir: string, acked: Acked[]): string[] {
  const db = new BetterSqlite3(path.join(dataDir, STORE_FILE_NAME), { readonly: true });
  try {
    const count = db.prepare(
      `SELECT count(*) AS n FROM readings r JOIN devices d USING (device_ref)
       WHERE d.device_id = ? AND r.sequence >= ? AND r.sequence < ?`,
    );
    const problems: string[] = [];
    for (const ack of acked) {
      const { n } = count.get(
        ack.deviceId,
        ack.firstSequence,
        ack.firstSequence + ack.readings,
      ) as {
        n: number;
      };
      if (n !== ack.readings) {
        problems.push(`${ack.deviceId} from ${ack.firstSequence}: ${n} of ${ack.readings}`);
      }
    }
    return problems;
  } finally {
    db.close();
  }
}

/** One crash iteration: start, send over HTTP and MQTT, kill -9 after `killAfterMs`. */
export async function crashIteration(options: {
  dataDir: string;
  devices: TestDevice[];
  killAfterMs: number;
  readingsPerMessage: number;
}): Promise<{ acked: Acked[] }> {
  const gateway = await startGatewayProcess({ dataDir: options.dataDir });
  const streams: MessageStream[] = presign(options.devices, 150, options.readingsPerMessage);
  const firstSequences = new Map<string, number>(
    streams.map((stream) => [
      stream.device.deviceId,
      stream.device.nextSequence - 150 * options.readingsPerMessage,
    ]),
  );
  const acked: Acked[] = [];
  const onAck = (ack: { deviceId: string; index: number; readings: number }): void => {
    const first = (firstSequences.get(ack.deviceId) ?? 0) + ack.index * ack.readings;
    acked.push({ deviceId: ack.deviceId, firstSequence: first, readings: ack.readings });
  };
  const half = Math.ceil(streams.length / 2);
  const killed = new Promise<void>((resolve) => {
    setTimeout(() => {
      gateway.child.kill("SIGKILL");
      resolve();
    }, options.killAfterMs);
  });
  await Promise.all([
    sendHttp({
      url: gateway.httpUrl,
      streams: streams.slice(0, half),
      onAck,
      tolerateErrors: true,
    }),
    sendMqtt({
      url: gateway.mqttUrl ?? "",
      streams: streams.slice(half),
      window: 4,
      onAck,
      tolerateErrors: true,
    }),
    killed,
  ]);
  await gateway.exited;
  return { acked };
}

describe("ingest survives kill -9", () => {
  let dataDir: string;
  let devices: TestDevice[];

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "ei-crash-"));
    devices = Array.from(
      { length: 4 },
      (_, index) => new TestDevice(index, { startMs: Date.now() - 10 * 86_400_000 }),
    );
    const db = openStore({ dataDir });
    const repository = new DevicesRepository(db);
    for (const device of devices) device.register(repository);
    db.close();
  });
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("stores an MQTT reading before its PUBACK: killed right after the ack, the reading is there", async () => {
    const gateway = await startGatewayProcess({ dataDir });
    const device = devices[0];
    assert.ok(device);
    const firstSequence = device.nextSequence;
    const client = await mqtt.connectAsync(gateway.mqttUrl ?? "", { reconnectPeriod: 0 });
    client.on("error", () => undefined);
    await client.publishAsync(deviceReadingsTopic(device), JSON.stringify(device.message(5)), {
      qos: 1,
    });
    gateway.child.kill("SIGKILL");
    await gateway.exited;
    client.end(true);
    assert.deepEqual(
      missingAcknowledged(dataDir, [{ deviceId: device.deviceId, firstSequence, readings: 5 }]),
      [],
    );
  });

  it(`keeps every acknowledged reading exactly once across ${ITERATIONS} kill -9 restarts`, async () => {
    const allAcked: Acked[] = [];
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const killAfterMs = 150 + Math.floor(Math.random() * 450);
      const { acked } = await crashIteration({
        dataDir,
        devices,
        killAfterMs,
        readingsPerMessage: 10,
      });
      allAcked.push(...acked);
      assert.deepEqual(
        missingAcknowledged(dataDir, allAcked),
        [],
        `after iteration ${iteration} (kill at ${killAfterMs} ms)`,
      );
    }
    assert.ok(allAcked.length > 0, "nothing was acknowledged: the test proved nothing");
    // And after all of it, the gateway starts cleanly and a retransmitted acknowledged message is a duplicate.
    const gateway = await startGatewayProcess({ dataDir });
    try {
      const device = devices[0];
      assert.ok(device);
      const response = await fetch(`${gateway.httpUrl}/v1/readings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(device.message(1)),
      });
      assert.equal(response.status, 202);
    } finally {
      gateway.child.kill("SIGTERM");
      assert.equal(await gateway.exited, 0);
    }
  });
});
