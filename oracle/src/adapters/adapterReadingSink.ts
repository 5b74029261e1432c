import {
  DEVICE_MESSAGE_FORMAT,
  type DeviceMessage,
  type DeviceReading,
  MAX_READINGS_PER_MESSAGE,
} from "@energy-intelligence/sdk";
import type { ProtocolReading } from "@energy-intelligence/sdk/protocols/index";
import type { IngestPipeline } from "../ingest/ingestPipeline.ts";
import type {
  AdapterDeviceState,
  AdapterReadingStateQueries,
} from "../store/adapterReadingStateQueries.ts";
import type { DeviceRecord } from "../store/devicesRepository.ts";
import type { AdapterHealth } from "./adapterHealth.ts";

/** What became of one batch of protocol readings. */
export type SinkOutcome =
  | { status: "stored"; storedReadings: number; staleReadings: number }
  | { status: "stale"; staleReadings: number }
  | { status: "rejected"; reason: string; detail: string };

const clampInt = (value: number | undefined): number | undefined =>
  value === undefined || !Number.isFinite(value) ? undefined : Math.round(value);

/**
 * The counter continued past `last` by the forward distance to `raw` modulo
 * `modulus` (a rollover). A forward distance above half the modulus is no
 * plausible advance between two readings: the device restarted its counter,
 * and `raw` is returned as it is, so the sink opens a new epoch.
 */
function unwrap(raw: bigint, last: bigint, modulus: bigint): bigint {
  const forward = (((raw - last) % modulus) + modulus) % modulus;
  return forward > modulus / 2n ? raw : last + forward;
}

/**
 * Turns protocol readings of one registered device into device messages and
 * submits them through the ingest pipeline (transport `adapter`, the
 * device's auth scheme: polled / serial / network-server), so they get the
 * same checks, group commit and durability as signed messages.
 *
 * The sink owns the device's series, which is why one device has one
 * adapter: sequence numbers continue from the store's highest; a reading not
 * newer than the channel's last stored one is a re-delivery (a repeated P1
 * telegram, a retried webhook) and is dropped as stale; a counter that falls
 * (a meter reset, a PDU counter cleared, a rollover) continues in the next
 * `counterEpoch`, which ingest records as `counter_reset`: never a silent
 * zero, never a refusal that would lose the readings after it.
 */
export class AdapterReadingSink {
  readonly #device: DeviceRecord;
  readonly #pipeline: IngestPipeline;
  readonly #health: AdapterHealth;
  readonly #queries: AdapterReadingStateQueries;
  readonly #modulus: bigint | undefined;
  #state: AdapterDeviceState | undefined;
  /** Submissions run one at a time so sequence numbers stay in order. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: {
    device: DeviceRecord;
    pipeline: IngestPipeline;
    health: AdapterHealth;
    queries: AdapterReadingStateQueries;
    /**
     * Counters that wrap (LoRaWAN payloads carry Wh modulo 2^32): each is
     * unwrapped against the channel's last stored value, so a rollover
     * continues the series instead of looking like a reset.
     */
    counterModulusMilliWattHours?: bigint | undefined;
  }) {
    this.#modulus = options.counterModulusMilliWattHours;
    this.#device = options.device;
    this.#pipeline = options.pipeline;
    this.#health = options.health;
    this.#queries = options.queries;
  }

  get deviceId(): `0x${string}` {
    return this.#device.deviceId;
  }

  submit(readings: readonly ProtocolReading[]): Promise<SinkOutcome> {
    const run = this.#tail.then(() => this.#submit(readings));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #submit(readings: readonly ProtocolReading[]): Promise<SinkOutcome> {
    this.#state ??= this.#queries.deviceState(this.#device.deviceRef);
    const state = this.#state;
    const ordered = [...readings].sort(
      (a, b) => a.timestampMs - b.timestampMs || a.channel - b.channel,
    );
    const next = new Map(state.channels);
    let sequence = state.maxSequence;
    let stale = 0;
    const out: DeviceReading[] = [];
    const resets: object[] = [];
    for (const original of ordered) {
      const previousOnChannel = next.get(original.channel);
      const reading =
        this.#modulus === undefined || previousOnChannel === undefined
          ? original
          : {
              ...original,
              energyImportedMilliWattHours: unwrap(
                original.energyImportedMilliWattHours,
                previousOnChannel.importedMilliWattHours,
                this.#modulus,
              ),
              energyExportedMilliWattHours: unwrap(
                original.energyExportedMilliWattHours,
                previousOnChannel.exportedMilliWattHours,
                this.#modulus,
              ),
            };
      if (reading.authentication !== this.#device.authScheme) {
        return {
          status: "rejected",
          reason: "wrong_auth_scheme",
          detail: `device ${this.#device.deviceId} is registered as ${this.#device.authScheme}, the adapter reads it ${reading.authentication}`,
        };
      }
      const previous = next.get(reading.channel);
      if (previous !== undefined && reading.timestampMs <= previous.timestampMs) {
        stale++;
        continue;
      }
      let epoch = previous?.counterEpoch ?? 0;
      if (
        previous !== undefined &&
        (reading.energyImportedMilliWattHours < previous.importedMilliWattHours ||
          reading.energyExportedMilliWattHours < previous.exportedMilliWattHours)
      ) {
        epoch++;
        resets.push({
          channel: reading.channel,
          previous: {
            imported: previous.importedMilliWattHours.toString(),
            exported: previous.exportedMilliWattHours.toString(),
          },
          received: {
            imported: reading.energyImportedMilliWattHours.toString(),
            exported: reading.energyExportedMilliWattHours.toString(),
          },
          counterEpoch: epoch,
        });
      }
      sequence++;
      const row: DeviceReading = {
        channel: reading.channel,
        sequence,
        timestampMs: reading.timestampMs,
        energyImportedMilliWattHours: reading.energyImportedMilliWattHours.toString(),
        energyExportedMilliWattHours: reading.energyExportedMilliWattHours.toString(),
        quality: reading.quality,
      };
      if (epoch > 0) row.counterEpoch = epoch;
      const power = clampInt(reading.powerMilliWatts);
      if (power !== undefined) row.powerMilliWatts = power;
      const voltage = clampInt(reading.voltageMilliVolts);
      if (voltage !== undefined && voltage >= 0) row.voltageMillivolts = voltage;
      const current = clampInt(reading.currentMilliAmperes);
      if (current !== undefined && current >= 0) row.currentMilliamps = current;
      const powerFactor = clampInt(reading.powerFactorPerMille);
      if (powerFactor !== undefined && Math.abs(powerFactor) <= 1000)
        row.powerFactorPerMille = powerFactor;
      out.push(row);
      next.set(reading.channel, {
        timestampMs: reading.timestampMs,
        importedMilliWattHours: reading.energyImportedMilliWattHours,
        exportedMilliWattHours: reading.energyExportedMilliWattHours,
        counterEpoch: epoch,
      });
    }
    if (out.length === 0) return { status: "stale", staleReadings: stale };
    let stored = 0;
    for (let start = 0; start < out.length; start += MAX_READINGS_PER_MESSAGE) {
      const message: DeviceMessage = {
        format: DEVICE_MESSAGE_FORMAT,
        deviceId: this.#device.deviceId,
        sentAtMs: Date.now(),
        readings: out.slice(start, start + MAX_READINGS_PER_MESSAGE),
        auth: { scheme: this.#device.authScheme as "polled" | "serial" | "network-server" },
      };
      const result = await this.#pipeline.ingest(JSON.stringify(message), {
        transport: "adapter",
        waitForCapacity: true,
      });
      if (!result.accepted) {
        // The store's view is the truth again: reload it before the next batch.
        this.#state = undefined;
        return { status: "rejected", reason: result.reason, detail: result.detail };
      }
      stored += result.storedReadings;
    }
    state.maxSequence = sequence;
    state.channels = next;
    for (const reset of resets) this.#health.counterReset(this.#device.deviceId, reset);
    return { status: "stored", storedReadings: stored, staleReadings: stale };
  }
}
