import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import type { Database } from "better-sqlite3";
import { pino } from "pino";
import {
  DEVICE_MESSAGE_FORMAT,
  type DeviceMessage,
  type DeviceReading,
  generateDeviceKey,
  generateSecp256k1DeviceKey,
  signDeviceMessage,
  verifyDeviceMessage,
} from "@energy-intelligence/sdk";
import { GroupCommitter } from "../ingest/groupCommitter.ts";
import { createInlineWriter } from "../ingest/inlineWriter.ts";
import type { IngestWriter } from "../ingest/ingestTypes.ts";
import { IngestPipeline } from "../ingest/ingestPipeline.ts";
import { createGatewayMetrics } from "../metrics/gatewayMetrics.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { openStore } from "../store/openStore.ts";
import { ReadingsRepository } from "../store/readingsRepository.ts";
import { TEST_MACHINE_ID, TEST_SITE_ID } from "../testing/deviceFixture.ts";
import { DeviceDirectory } from "./deviceDirectory.ts";
import { verifyMessageAuth } from "./verifyMessageAuth.ts";

const deviceId = `0x${"5c".repeat(32)}` as const;
const key = generateSecp256k1DeviceKey(new Uint8Array(32).fill(0x42));

function reading(sequence: number, counter: bigint): DeviceReading {
  return {
    channel: 0,
    sequence,
    timestampMs: Date.now() - 60_000 + sequence,
    energyImportedMilliWattHours: counter.toString(),
    energyExportedMilliWattHours: "0",
    quality: "measured",
  };
}

function signed(readings: DeviceReading[]): DeviceMessage {
  return signDeviceMessage({
    body: { format: DEVICE_MESSAGE_FORMAT, deviceId, sentAtMs: Date.now(), readings },
    scheme: "secp256k1",
    secretKey: key.secretKey,
  });
}

function withSignature(message: DeviceMessage, signature: `0x${string}`): DeviceMessage {
  return { ...message, auth: { scheme: "secp256k1", signature } };
}

describe("secp256k1 devices through the ingest pipeline (SQLite)", () => {
  let dataDir: string;
  let db: Database;
  let writer: IngestWriter;
  let committer: GroupCommitter;
  let directory: DeviceDirectory;
  let pipeline: IngestPipeline;

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "ei-secp-"));
    db = openStore({ dataDir });
    const devices = new DevicesRepository(db);
    devices.add({
      deviceId,
      siteId: TEST_SITE_ID,
      machineId: TEST_MACHINE_ID,
      kind: "meter",
      authScheme: "secp256k1",
      publicKey: key.publicKey,
      channelCount: 1,
    });
    directory = new DeviceDirectory(devices, { pollMs: 0 });
    writer = createInlineWriter(db);
    committer = new GroupCommitter(writer, {
      maxBatchReadings: 1000,
      maxDelayMs: 0,
      maxQueuedReadings: 100_000,
    });
    pipeline = new IngestPipeline({
      directory,
      committer,
      metrics: createGatewayMetrics({
        startedAtMs: Date.now(),
        queue: () => ({ depth: 0, waiting: 0, capacity: 1 }),
      }),
      logger: pino({ level: "silent" }),
      options: { maxMessageBytes: 1 << 20, maxClockSkewMs: 60_000 },
    });
  });
  after(async () => {
    await committer.close();
    await writer.close();
    directory.close();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ingest = (message: DeviceMessage) =>
    pipeline.ingest(JSON.stringify(message), { transport: "http", waitForCapacity: false });
  const stored = () => new ReadingsRepository(db).count();

  it("stores a signed message, and acknowledges its replay as a duplicate without storing it twice", async () => {
    const message = signed([reading(1, 1000n), reading(2, 2000n)]);
    const first = await ingest(message);
    assert.equal(first.accepted && first.status, "stored");
    assert.equal(stored(), 2);
    const replay = await ingest(message);
    assert.equal(replay.accepted && replay.status, "duplicate");
    assert.equal(stored(), 2);
  });

  it("refuses a forged message (changed reading, another key's signature) as bad_signature, storing nothing", async () => {
    const message = signed([reading(3, 3000n)]);
    const changed = structuredClone(message);
    const first = changed.readings[0];
    assert.ok(first !== undefined);
    changed.readings[0] = { ...first, energyImportedMilliWattHours: "999999" };
    const forged = await ingest(changed);
    assert.equal(!forged.accepted && forged.reason, "bad_signature");
    const other = signDeviceMessage({
      body: { ...message },
      scheme: "secp256k1",
      secretKey: generateSecp256k1DeviceKey().secretKey,
    });
    const wrongKey = await ingest(other);
    assert.equal(!wrongKey.accepted && wrongKey.reason, "bad_signature");
    // An Ed25519 signature on a secp256k1 device is the wrong scheme, whatever its bytes.
    const ed = signDeviceMessage({
      body: { ...message },
      scheme: "ed25519",
      secretKey: generateDeviceKey().secretKey,
    });
    const wrongScheme = await ingest(ed);
    assert.equal(!wrongScheme.accepted && wrongScheme.reason, "wrong_auth_scheme");
    assert.equal(stored(), 2);
  });

  it("refuses the malleated high-s twin of a valid signature (a replay in disguise)", async () => {
    const message = signed([reading(4, 4000n)]);
    const hex = message.auth.scheme === "secp256k1" ? message.auth.signature : "0x";
    const signature = secp256k1.Signature.fromHex(hex.slice(2));
    const twin = withSignature(
      message,
      `0x${new secp256k1.Signature(signature.r, secp256k1.Point.CURVE().n - signature.s).toHex("compact")}`,
    );
    const result = await ingest(twin);
    assert.equal(!result.accepted && result.reason, "bad_signature");
    assert.equal((await ingest(message)).accepted, true);
    assert.equal(stored(), 3);
  });

  it("refuses a replayed sequence carrying other values", async () => {
    const reused = signed([reading(4, 4500n)]);
    const result = await ingest(reused);
    assert.equal(result.accepted, false);
    assert.equal(stored(), 3);
  });

  it("the native check agrees with the sdk's on random messages and one-byte corruptions", () => {
    const entry = directory.get(deviceId);
    assert.ok(entry !== undefined);
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.nat(63),
        fc.boolean(),
        (sequence, counter, index, corrupt) => {
          let message = signed([reading(sequence, counter)]);
          if (corrupt) {
            const bytes = Buffer.from(
              (message.auth.scheme === "secp256k1" ? message.auth.signature : "0x").slice(2),
              "hex",
            );
            bytes[index] = (bytes[index] ?? 0) ^ 0x80;
            message = withSignature(message, `0x${bytes.toString("hex")}`);
          }
          const sdk = verifyDeviceMessage({ message, publicKey: key.publicKey });
          assert.equal(verifyMessageAuth(message, entry), sdk);
          assert.equal(sdk, !corrupt);
        },
      ),
      { numRuns: 100 },
    );
  });
});
