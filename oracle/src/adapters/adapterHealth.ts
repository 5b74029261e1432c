import type { Logger } from "pino";
import type { Counter, Gauge, MetricsRegistry } from "../metrics/metricsRegistry.ts";
import type { AdapterEventsRepository } from "../store/adapterEventsRepository.ts";

/** What the API and metrics show for one adapter-fed device. */
export interface AdapterDeviceStatus {
  adapter: string;
  kind: string;
  deviceId: `0x${string}`;
  /** starting: nothing read yet; ok: answering; degraded: missed polls or silent, a gap is open. */
  state: "starting" | "ok" | "degraded";
  lastReadingAtMs: number | null;
  /** Since when the current gap is open (the last good reading, or the adapter's start). */
  gapSinceMs: number | null;
  consecutiveFailures: number;
  lastError: { reason: string; detail: string; atMs: number } | null;
  readingsStored: number;
  framesRejected: number;
}

/** The counters and gauges adapters add to /metrics. */
export interface AdapterMetrics {
  polls: Counter;
  pollSeconds: Counter;
  framesRejected: Counter;
  degraded: Gauge;
  counterResets: Counter;
}

export function createAdapterMetrics(
  registry: MetricsRegistry,
  statuses: () => readonly AdapterDeviceStatus[],
): AdapterMetrics {
  return {
    polls: registry.counter(
      "ei_adapter_polls_total",
      "Polls of polled devices, by adapter and outcome (ok, retried, failed).",
    ),
    pollSeconds: registry.counter(
      "ei_adapter_poll_seconds_total",
      "Time spent in successful polls, by adapter (divide by polls for the cost per poll).",
    ),
    framesRejected: registry.counter(
      "ei_adapter_frames_rejected_total",
      "Device frames or polls refused before ingest, by adapter and reason (bad-crc, timeout, ...).",
    ),
    degraded: registry.gauge(
      "ei_adapter_device_degraded",
      "1 while an adapter-fed device misses polls or is silent (a gap is open), else 0.",
      (gauge) => {
        for (const status of statuses()) {
          gauge.set(
            { adapter: status.adapter, device_id: status.deviceId },
            status.state === "degraded" ? 1 : 0,
          );
        }
      },
    ),
    counterResets: registry.counter(
      "ei_adapter_counter_resets_total",
      "Device counters that fell (reset, rollover, replaced meter), by adapter.",
    ),
  };
}

/**
 * The health of every adapter-fed device: the one place that decides when a
 * device is degraded and records the gap, so polled and pushing adapters
 * behave alike. A device goes degraded on its first missed poll (after
 * retries) or when it has been silent for its `silentAfterMs`; the gap is
 * recorded twice in `ingest_events`: `adapter_degraded` when it opens (so an
 * outage in progress is visible) and `adapter_gap` with both ends when the
 * device answers again. Nothing is ever written into the gap.
 */
export class AdapterHealth {
  readonly #statuses = new Map<string, AdapterDeviceStatus & { deviceRef: number }>();
  readonly #events: AdapterEventsRepository;
  readonly #logger: Logger;
  readonly #startedAtMs: number;
  /** When each device's last frame refusal was written to the store (at most one a minute). */
  readonly #rejectionRecordedAtMs = new Map<string, number>();
  metrics: AdapterMetrics | undefined;

  constructor(options: { events: AdapterEventsRepository; logger: Logger; startedAtMs: number }) {
    this.#events = options.events;
    this.#logger = options.logger;
    this.#startedAtMs = options.startedAtMs;
  }

  track(adapter: string, kind: string, deviceId: `0x${string}`, deviceRef: number): void {
    this.#statuses.set(deviceId, {
      adapter,
      kind,
      deviceId,
      deviceRef,
      state: "starting",
      lastReadingAtMs: null,
      gapSinceMs: null,
      consecutiveFailures: 0,
      lastError: null,
      readingsStored: 0,
      framesRejected: 0,
    });
  }

  list(): AdapterDeviceStatus[] {
    return [...this.#statuses.values()].map(({ deviceRef: _, ...status }) => ({ ...status }));
  }

  get(deviceId: string): AdapterDeviceStatus | undefined {
    const status = this.#statuses.get(deviceId);
    if (status === undefined) return undefined;
    const { deviceRef: _, ...rest } = status;
    return { ...rest };
  }

  /** Readings of the device were stored: closes an open gap. */
  succeeded(deviceId: string, atMs: number, storedReadings: number): void {
    const status = this.#statuses.get(deviceId);
    if (status === undefined) return;
    if (status.state === "degraded" && status.gapSinceMs !== null) {
      const detail = {
        adapter: status.adapter,
        fromMs: status.gapSinceMs,
        toMs: atMs,
        missedPolls: status.consecutiveFailures,
        lastError: status.lastError?.reason ?? "silent",
      };
      this.#events.record(status.deviceRef, "adapter_gap", atMs, detail);
      this.#logger.info({ deviceId, ...detail }, "adapter device answers again; gap recorded");
    }
    status.state = "ok";
    status.gapSinceMs = null;
    status.consecutiveFailures = 0;
    status.lastReadingAtMs = atMs;
    status.readingsStored += storedReadings;
  }

  /** A poll failed after its retries, or the device has been silent too long: opens a gap. */
  failed(deviceId: string, atMs: number, reason: string, detail: string): void {
    const status = this.#statuses.get(deviceId);
    if (status === undefined) return;
    status.consecutiveFailures++;
    status.lastError = { reason, detail, atMs };
    if (status.state === "degraded") return;
    status.state = "degraded";
    status.gapSinceMs = status.lastReadingAtMs ?? this.#startedAtMs;
    this.#events.record(status.deviceRef, "adapter_degraded", atMs, {
      adapter: status.adapter,
      reason,
      detail,
      lastReadingAtMs: status.lastReadingAtMs,
    });
    this.#logger.warn(
      { deviceId, adapter: status.adapter, reason, detail },
      "adapter device degraded; gap open",
    );
  }

  /** A frame was refused (bad CRC, wrong length, forged post): counted, recorded, device state unchanged. */
  rejectedFrame(
    deviceId: string | undefined,
    adapter: string,
    reason: string,
    detail: string,
  ): void {
    this.metrics?.framesRejected.inc({ adapter, reason });
    const status = deviceId === undefined ? undefined : this.#statuses.get(deviceId);
    this.#logger.info({ deviceId, adapter, reason, detail }, "device frame refused");
    if (status === undefined) return;
    status.framesRejected++;
    const now = Date.now();
    status.lastError = { reason, detail, atMs: now };
    // A noisy line can fail every frame; the counters keep the rate, the store a sample.
    if (now - (this.#rejectionRecordedAtMs.get(status.deviceId) ?? -Infinity) < 60_000) return;
    this.#rejectionRecordedAtMs.set(status.deviceId, now);
    this.#events.record(status.deviceRef, "adapter_frame_rejected", now, {
      adapter,
      reason,
      detail,
    });
  }

  /** A counter of the device fell; the sink continues it in a new epoch. */
  counterReset(deviceId: string, detail: object): void {
    const status = this.#statuses.get(deviceId);
    if (status === undefined) return;
    this.metrics?.counterResets.inc({ adapter: status.adapter });
    this.#events.record(status.deviceRef, "adapter_counter_reset", Date.now(), detail);
    this.#logger.warn({ deviceId, ...detail }, "device counter fell; new counter epoch");
  }

  /** A LoRaWAN frame-counter jump: uplinks that never reached the gateway. */
  uplinkGap(deviceId: string, detail: object): void {
    const status = this.#statuses.get(deviceId);
    if (status === undefined) return;
    this.#events.record(status.deviceRef, "adapter_uplink_gap", Date.now(), detail);
  }
}
