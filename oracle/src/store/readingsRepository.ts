import type { Database } from "better-sqlite3";
import {
  DEVICE_MESSAGE_FORMAT,
  type DeviceMessage,
  type DeviceMessageAuth,
  type DeviceReading,
} from "@energy-intelligence/sdk";
import type { ReadingRow } from "./readingRow.ts";

const QUALITY_NAME = ["measured", "estimated", "imported"] as const;

interface MessageRow {
  message_id: bigint;
  device_id: string;
  auth_scheme: string;
  signature: Buffer | null;
  sent_at_ms: bigint;
  format: string;
}

function optional(value: bigint | null): number | undefined {
  return value === null ? undefined : Number(value);
}

/** Reads of the `readings` and `messages` tables (the ingest writer is the only writer). */
export class ReadingsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  count(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM readings").get() as { n: number }).n;
  }

  /**
   * Rebuilds a stored message exactly as the device signed it, from the rows:
   * the device's signature can be checked again at any time (the first link of
   * the trust chain), without keeping the raw payload. Undefined when the
   * message is unknown or was stored only in part (some readings were
   * duplicates of an earlier message).
   */
  signedMessage(messageId: number): DeviceMessage | undefined {
    const message = this.#db
      .prepare(
        `SELECT m.message_id, d.device_id, m.auth_scheme, m.signature, m.sent_at_ms, m.format, m.reading_count
         FROM messages m JOIN devices d USING (device_ref) WHERE m.message_id = ?`,
      )
      .safeIntegers(true)
      .get(messageId) as (MessageRow & { reading_count: bigint }) | undefined;
    if (message?.format !== DEVICE_MESSAGE_FORMAT) return undefined;
    const rows = this.#db
      .prepare(
        `SELECT channel, sequence, timestamp_ms, energy_imported_milliwatt_hours, energy_exported_milliwatt_hours,
           counter_epoch, power_milliwatts, voltage_millivolts, current_milliamps, power_factor_per_mille, quality
         FROM readings WHERE message_id = ? ORDER BY sequence`,
      )
      .safeIntegers(true)
      .all(messageId) as ReadingRow[];
    if (BigInt(rows.length) !== message.reading_count) return undefined;
    const readings = rows.map((row): DeviceReading => {
      const reading: DeviceReading = {
        channel: Number(row.channel),
        sequence: Number(row.sequence),
        timestampMs: Number(row.timestamp_ms),
        energyImportedMilliWattHours: row.energy_imported_milliwatt_hours.toString(),
        energyExportedMilliWattHours: row.energy_exported_milliwatt_hours.toString(),
        quality: QUALITY_NAME[Number(row.quality)] ?? "measured",
      };
      const extras = {
        counterEpoch: optional(row.counter_epoch),
        powerMilliWatts: optional(row.power_milliwatts),
        voltageMillivolts: optional(row.voltage_millivolts),
        currentMilliamps: optional(row.current_milliamps),
        powerFactorPerMille: optional(row.power_factor_per_mille),
      };
      for (const [key, value] of Object.entries(extras)) {
        if (value !== undefined) Object.assign(reading, { [key]: value });
      }
      return reading;
    });
    const scheme = message.auth_scheme;
    const auth: DeviceMessageAuth =
      (scheme === "ed25519" || scheme === "secp256k1" || scheme === "hmac-sha256") &&
      message.signature !== null
        ? { scheme, signature: `0x${message.signature.toString("hex")}` }
        : { scheme: scheme as "network-server" | "polled" | "serial" };
    return {
      format: DEVICE_MESSAGE_FORMAT,
      deviceId: message.device_id as `0x${string}`,
      sentAtMs: Number(message.sent_at_ms),
      readings,
      auth,
    };
  }
}
