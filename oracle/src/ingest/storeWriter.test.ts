import { describe, it, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Database } from "better-sqlite3";
import { type DeviceReading, verifyDeviceMessage } from "@energy-intelligence/sdk";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { IngestEventsRepository } from "../store/ingestEventsRepository.ts";
import { openStore } from "../store/openStore.ts";
import { ReadingsRepository } from "../store/readingsRepository.ts";
import { TestDevice } from "../testing/deviceFixture.ts";
import type { PendingMessage } from "./ingestTypes.ts";
import { StoreWriter } from "./storeWriter.ts";

/** The element at `index`, failing the test when it is missing. */
function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  assert.ok(item !== undefined, `no element ${index}`);
  return item;
}

describe("StoreWriter", () => {
  let dataDir: string;
  let db: Database;
  let writer: StoreWriter;
  let device: TestDevice;
  let readingsRepository: ReadingsRepository;

  const pending = (readings: DeviceReading[]): PendingMessage => ({
    deviceRef: 1,
    transport: "http",
    receivedAtMs: Date.now(),
    message: device.sign(readings),
  });
  const kinds = (): Record<string, number> => new IngestEventsRepository(db).countByKind();

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "ei-writer-"));
    db = openStore({ dataDir });
    device = new TestDevice(0, { channelCount: 2 });
    device.register(new DevicesRepository(db));
    writer = new StoreWriter(db);
    readingsRepository = new ReadingsRepository(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("stores new readings and acknowledges a retransmission as a duplicate without storing it twice", () => {
    const message = pending(device.readings(5));
    const first = at(writer.write([message]), 0);
    assert.equal(first.status, "stored");
    const again = at(writer.write([message]), 0);
    assert.deepEqual(again, { status: "duplicate", duplicateReadings: 5 });
    assert.equal(readingsRepository.count(), 5);
  });

  it("keeps what the device signed: the stored message verifies against the device key", () => {
    const readings = device.readings(3);
    readings[1] = {
      ...at(readings, 1),
      counterEpoch: 0,
      voltageMillivolts: 230_000,
      powerFactorPerMille: -950,
    };
    const outcome = at(writer.write([pending(readings)]), 0);
    assert.equal(outcome.status, "stored");
    const rebuilt = readingsRepository.signedMessage(outcome.messageId);
    assert.ok(rebuilt);
    assert.equal(verifyDeviceMessage({ message: rebuilt, publicKey: device.publicKey }), true);
  });

  it("refuses a reused sequence with different content, stores nothing of that message, records the event", () => {
    const readings = device.readings(2);
    writer.write([pending(readings)]);
    const forged = [
      { ...at(readings, 1), energyImportedMilliWattHours: "999999999" },
      ...device.readings(1),
    ];
    const outcome = at(writer.write([pending(forged)]), 0);
    assert.equal(outcome.status, "rejected");
    assert.equal(outcome.reason, "replayed_sequence");
    assert.equal(readingsRepository.count(), 2);
    assert.equal(kinds().replayed_sequence, 1);
  });

  it("records a sequence gap, then accepts the late readings as out of order", () => {
    const readings = device.readings(6);
    writer.write([pending(readings.slice(0, 2))]);
    const afterGap = at(writer.write([pending(readings.slice(4))]), 0);
    assert.deepEqual(afterGap.status === "stored" ? afterGap.events : [], ["sequence_gap"]);
    const late = at(writer.write([pending(readings.slice(2, 4))]), 0);
    assert.deepEqual(late.status === "stored" ? late.events : [], ["out_of_order", "out_of_order"]);
    assert.equal(readingsRepository.count(), 6);
  });

  it("refuses a counter that goes backwards on a channel, and accepts it under a new counter epoch", () => {
    writer.write([pending(device.readings(2))]); // channels 0 and 1
    const c = at(device.readings(2), 0); // channel 0 again
    const backwards = { ...c, energyImportedMilliWattHours: "10" };
    const refused = at(writer.write([pending([backwards])]), 0);
    assert.equal(refused.status === "rejected" ? refused.reason : "", "counter_backwards");
    assert.equal(readingsRepository.count(), 2);
    assert.equal(kinds().counter_backwards, 1);
    const reset = at(writer.write([pending([{ ...backwards, counterEpoch: 1 }])]), 0);
    assert.deepEqual(reset.status === "stored" ? reset.events : [], ["counter_reset"]);
    assert.equal(readingsRepository.count(), 3);
  });

  it("refuses a late reading whose counter does not fit between its stored neighbours", () => {
    const readings = device.readings(6); // channels 0,1,0,1,0,1
    writer.write([pending([at(readings, 0), at(readings, 4)])]);
    const tooHigh = { ...at(readings, 2), energyImportedMilliWattHours: "99999999999" };
    const outcome = at(writer.write([pending([tooHigh])]), 0);
    assert.equal(outcome.status === "rejected" ? outcome.reason : "", "counter_backwards");
  });

  it("commits a batch with one bad message: the others are stored, the bad one leaves nothing", () => {
    const good1 = pending(device.readings(2));
    const stale = at(device.readings(1), 0);
    const bad = pending([{ ...stale, energyImportedMilliWattHours: "1" }]);
    const good2 = pending([
      { ...stale, energyImportedMilliWattHours: (device.counter + 1n).toString() },
    ]);
    const outcomes = writer.write([good1, bad, good2]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["stored", "rejected", "stored"],
    );
    assert.equal(readingsRepository.count(), 3);
  });

  it("checks late readings against earlier readings of the same message (inserted in multi-row statements)", () => {
    const readings = device.readings(10); // channels 0,1,0,1,…
    writer.write([pending([at(readings, 0), at(readings, 8)])]);
    // Late readings 2 and 4 (channel 0) in one message, 4 above stored 0 but below 2 of the
    // same message: refused, nothing of it stored.
    const falling = {
      ...at(readings, 4),
      energyImportedMilliWattHours: (
        BigInt(at(readings, 0).energyImportedMilliWattHours) + 1n
      ).toString(),
    };
    const refused = at(writer.write([pending([at(readings, 2), falling])]), 0);
    assert.equal(refused.status === "rejected" ? refused.reason : "", "counter_backwards");
    assert.equal(readingsRepository.count(), 2);
    // 150 in-order readings after a message refused part-way: more than one INSERT, all stored once.
    const next = device.readings(150);
    const forged = { ...at(next, 0), energyImportedMilliWattHours: "5" };
    const outcomes = writer.write([
      pending([...next.slice(0, 40).slice(1), forged]),
      pending(next.slice(0, 150)),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["rejected", "stored"],
    );
    assert.equal(readingsRepository.count(), 152);
    const stored = db
      .prepare(
        "SELECT sequence, energy_imported_milliwatt_hours AS e FROM readings WHERE sequence >= 10 ORDER BY sequence",
      )
      .all() as { sequence: number; e: number }[];
    assert.deepEqual(
      stored.map((row) => [row.sequence, String(row.e)]),
      next.map((reading) => [reading.sequence, reading.energyImportedMilliWattHours]),
    );
  });

  it("waits for another connection's write transaction instead of failing with database is locked", async () => {
    // The gateway's ingest worker and its main thread write one file through two connections.
    // A deferred transaction that reads first cannot wait for the write lock (SQLite returns
    // SQLITE_BUSY at once to avoid a deadlock), so the writer must take the lock when it begins.
    const held = new Int32Array(new SharedArrayBuffer(4));
    const holder = new Worker(
      `const { workerData } = require("node:worker_threads");
      const Database = require(workerData.driver);
      const db = new Database(workerData.file);
      db.pragma("busy_timeout = 5000");
      db.exec("BEGIN IMMEDIATE");
      Atomics.store(workerData.held, 0, 1);
      Atomics.notify(workerData.held, 0);
      Atomics.wait(workerData.held, 0, 1, 400);
      db.exec("COMMIT");
      db.close();`,
      {
        eval: true,
        workerData: {
          driver: createRequire(import.meta.url).resolve("better-sqlite3"),
          file: path.join(dataDir, "gateway.sqlite"),
          held,
        },
      },
    );
    const finished = new Promise<void>((resolve, reject) => {
      holder.once("error", reject);
      holder.once("exit", () => {
        resolve();
      });
    });
    Atomics.wait(held, 0, 0, 10_000);
    assert.equal(Atomics.load(held, 0), 1, "the other connection holds the write lock");
    const outcome = at(writer.write([pending(device.readings(3))]), 0);
    assert.equal(outcome.status, "stored");
    await finished;
    assert.equal(readingsRepository.count(), 3);
  });

  it("survives a reopen: state is rebuilt from the rows, so a retransmission after restart is still a duplicate", () => {
    const message = pending(device.readings(4));
    writer.write([message]);
    db.close();
    db = openStore({ dataDir });
    writer = new StoreWriter(db);
    readingsRepository = new ReadingsRepository(db);
    assert.equal(writer.write([message])[0]?.status, "duplicate");
    const next = writer.write([pending(device.readings(1))])[0];
    assert.deepEqual(next?.status === "stored" ? next.events : [], []);
  });
});
