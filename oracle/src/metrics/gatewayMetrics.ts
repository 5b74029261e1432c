import { type Counter, type Gauge, MetricsRegistry } from "./metricsRegistry.ts";

/** Every series the gateway exports at /metrics. */
export interface GatewayMetrics {
  registry: MetricsRegistry;
  readingsIngested: Counter;
  messagesIngested: Counter;
  readingsDuplicate: Counter;
  messagesRejected: Counter;
  ingestEvents: Counter;
  commits: Counter;
  commitSeconds: Counter;
  queueDepth: Gauge;
  queueCapacity: Gauge;
  deviceClockDrift: Gauge;
}

/**
 * Creates the gateway's metrics. `queue` is read at scrape time.
 *
 * @example
 * ```ts
 * const metrics = createGatewayMetrics({ startedAtMs: Date.now(), queue: () => ({ depth: 0, waiting: 0, capacity: 1 }) });
 * ```
 */
export function createGatewayMetrics(options: {
  startedAtMs: number;
  queue: () => { depth: number; waiting: number; capacity: number };
}): GatewayMetrics {
  const registry = new MetricsRegistry();
  registry.gauge("ei_gateway_uptime_seconds", "Seconds since the gateway started.", (gauge) => {
    gauge.set({}, (Date.now() - options.startedAtMs) / 1000);
  });
  registry.gauge("ei_gateway_start_time_seconds", "Unix time the gateway started.", (gauge) => {
    gauge.set({}, options.startedAtMs / 1000);
  });
  return {
    registry,
    readingsIngested: registry.counter(
      "ei_readings_ingested_total",
      "Readings durably stored, by transport.",
    ),
    messagesIngested: registry.counter(
      "ei_messages_ingested_total",
      "Messages acknowledged, by transport and status (stored or duplicate).",
    ),
    readingsDuplicate: registry.counter(
      "ei_readings_duplicate_total",
      "Readings received again that were already stored (retransmissions), by transport.",
    ),
    messagesRejected: registry.counter(
      "ei_messages_rejected_total",
      "Messages refused, nothing stored, by transport and reason.",
    ),
    ingestEvents: registry.counter(
      "ei_ingest_events_total",
      "Ingest events recorded in the store (gaps, late readings, resets, ...), by kind.",
    ),
    commits: registry.counter("ei_ingest_commits_total", "Store transactions committed by ingest."),
    commitSeconds: registry.counter(
      "ei_ingest_commit_seconds_total",
      "Time spent in ingest commits, including the fsync.",
    ),
    queueDepth: registry.gauge(
      "ei_ingest_queue_readings",
      "Readings queued or being committed (state=queued) and held back by backpressure (state=waiting).",
      (gauge) => {
        const queue = options.queue();
        gauge.set({ state: "queued" }, queue.depth);
        gauge.set({ state: "waiting" }, queue.waiting);
      },
    ),
    queueCapacity: registry.gauge(
      "ei_ingest_queue_capacity_readings",
      "Readings the ingest queue holds at most before pushing back.",
      (gauge) => {
        gauge.set({}, options.queue().capacity);
      },
    ),
    deviceClockDrift: registry.gauge(
      "ei_device_clock_drift_milliseconds",
      "Device clock minus gateway clock at the last message (sentAtMs - received), by device.",
    ),
  };
}
