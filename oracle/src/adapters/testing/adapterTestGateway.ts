import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { loadGatewayConfig } from "../../config/loadGatewayConfig.ts";
import { type Gateway, startGateway } from "../../server.ts";
import { DevicesRepository } from "../../store/devicesRepository.ts";
import { openStore } from "../../store/openStore.ts";
import { TEST_MACHINE_ID, TEST_SITE_ID } from "../../testing/deviceFixture.ts";
import type { AdapterConfigInput } from "../adaptersConfigSchema.ts";

/** A registered device id derived from a label, so tests read well. */
export function adapterDeviceId(label: string): `0x${string}` {
  return `0x${createHash("sha256").update(`adapter-test/${label}`).digest("hex")}`;
}

export interface StoredAdapterReading {
  channel: number;
  sequence: number;
  timestampMs: number;
  imported: bigint;
  exported: bigint;
  counterEpoch: number | null;
  powerMilliWatts: number | null;
  voltageMillivolts: number | null;
  quality: "measured" | "estimated" | "imported";
  transport: string;
  authScheme: string;
}

export interface AdapterTestGateway {
  gateway: Gateway;
  dataDir: string;
  readings(deviceId: string): StoredAdapterReading[];
  events(deviceId: string): { kind: string; detail: Record<string, unknown> }[];
  /** Waits (polling the store every 25 ms) until `check` holds; fails with `what` after timeoutMs. */
  waitFor(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
  /** Stops the gateway (committing what it received) and starts it again on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const QUALITY = ["measured", "estimated", "imported"] as const;

/**
 * Registers `devices`, writes `secrets` into files (returned paths replace
 * `secret:<name>` strings in the adapter config), and starts a real gateway
 * (SQLite on disk, embedded MQTT, HTTP on a free port) with the adapters.
 */
export async function startAdapterTestGateway(options: {
  devices: {
    deviceId: `0x${string}`;
    kind: string;
    authScheme: "polled" | "serial" | "network-server";
    channelCount: number;
  }[];
  secrets?: Record<string, string>;
  adapters: (secretFile: (name: string) => string) => AdapterConfigInput[];
  overrides?: Record<string, unknown>;
}): Promise<AdapterTestGateway> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ei-adapters-"));
  const db = openStore({ dataDir });
  const registry = new DevicesRepository(db);
  for (const device of options.devices) {
    registry.add({ ...device, siteId: TEST_SITE_ID, machineId: TEST_MACHINE_ID });
  }
  db.close();
  const secretFile = (name: string): string => {
    const value = options.secrets?.[name];
    if (value === undefined) throw new Error(`no test secret ${name}`);
    const file = path.join(dataDir, `${name}.secret`);
    writeFileSync(file, `${value}\n`);
    return file;
  };
  const config = loadGatewayConfig({
    overrides: {
      dataDir,
      http: { port: 0 },
      mqtt: { mode: "embedded", port: 0 },
      log: { level: "silent" },
      ingest: { writer: "inline" },
      adapters: options.adapters(secretFile),
      ...options.overrides,
    },
  });
  let gateway = await startGateway(config);
  const readings = (deviceId: string): StoredAdapterReading[] =>
    (
      gateway.db
        .prepare(
          `SELECT r.channel, r.sequence, r.timestamp_ms AS timestampMs,
                  r.energy_imported_milliwatt_hours AS imported, r.energy_exported_milliwatt_hours AS exported,
                  r.counter_epoch AS counterEpoch, r.power_milliwatts AS powerMilliWatts,
                  r.voltage_millivolts AS voltageMillivolts, r.quality, m.transport, m.auth_scheme AS authScheme
           FROM readings r JOIN messages m ON m.message_id = r.message_id
           JOIN devices d ON d.device_ref = r.device_ref
           WHERE d.device_id = ? ORDER BY r.sequence`,
        )
        .safeIntegers(true)
        .all(deviceId) as Record<string, bigint | string | null>[]
    ).map((row) => ({
      channel: Number(row.channel),
      sequence: Number(row.sequence),
      timestampMs: Number(row.timestampMs),
      imported: row.imported as bigint,
      exported: row.exported as bigint,
      counterEpoch: row.counterEpoch === null ? null : Number(row.counterEpoch),
      powerMilliWatts: row.powerMilliWatts === null ? null : Number(row.powerMilliWatts),
      voltageMillivolts: row.voltageMillivolts === null ? null : Number(row.voltageMillivolts),
      quality: QUALITY[Number(row.quality)] ?? "imported",
      transport: String(row.transport),
      authScheme: String(row.authScheme),
    }));
  const events = (deviceId: string): { kind: string; detail: Record<string, unknown> }[] =>
    (
      gateway.db
        .prepare(
          `SELECT e.kind, e.detail FROM ingest_events e JOIN devices d ON d.device_ref = e.device_ref
           WHERE d.device_id = ? ORDER BY e.event_id`,
        )
        .all(deviceId) as { kind: string; detail: string }[]
    ).map((row) => ({ kind: row.kind, detail: JSON.parse(row.detail) as Record<string, unknown> }));
  return {
    get gateway() {
      return gateway;
    },
    dataDir,
    readings,
    events,
    async waitFor(what, check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async restart() {
      await gateway.close();
      // The same broker port, so MQTT devices reconnect to the new gateway.
      const port = gateway.mqttUrl === undefined ? 0 : Number(new URL(gateway.mqttUrl).port);
      gateway = await startGateway({
        ...config,
        mqtt: config.mqtt.mode === "embedded" ? { ...config.mqtt, port } : config.mqtt,
      });
    },
    async close() {
      await gateway.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
