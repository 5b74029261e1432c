import type { Database, Statement } from "better-sqlite3";

/** One chart bucket [startMs, startMs + resolutionMs) of one device channel. */
export interface SeriesPoint {
  startMs: number;
  /** Counter rise since the previous bucket's last reading (or the last reading before the range). */
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
  averagePowerMilliWatts: number | null;
  readingCount: number;
}

interface BucketRow {
  channel: bigint;
  bucket: bigint;
  n: bigint;
  power: number | null;
  maxImported: bigint;
  minImported: bigint;
  maxExported: bigint;
  minExported: bigint;
}

/**
 * Downsampled time series for dashboards, computed in SQLite over the
 * (device, channel, time) index: per bucket the counter's rise, the average
 * power and the reading count. Chart data, not accounting: a counter reset
 * inside a bucket shows as zero there; containers are the accounting.
 */
export class ReadingSeriesQueries {
  readonly #buckets: Statement;
  readonly #before: Statement;

  constructor(db: Database) {
    this.#buckets = db
      .prepare(
        `SELECT channel, (timestamp_ms - @fromMs) / @resolutionMs AS bucket, count(*) AS n, avg(power_milliwatts) AS power,
           max(energy_imported_milliwatt_hours) AS maxImported, min(energy_imported_milliwatt_hours) AS minImported,
           max(energy_exported_milliwatt_hours) AS maxExported, min(energy_exported_milliwatt_hours) AS minExported
         FROM readings WHERE device_ref = @deviceRef AND timestamp_ms >= @fromMs AND timestamp_ms < @toMs
         GROUP BY channel, bucket ORDER BY channel, bucket`,
      )
      .safeIntegers(true);
    this.#before = db
      .prepare(
        `SELECT energy_imported_milliwatt_hours AS imported, energy_exported_milliwatt_hours AS exported FROM readings
         WHERE device_ref = ? AND channel = ? AND timestamp_ms < ? ORDER BY timestamp_ms DESC LIMIT 1`,
      )
      .safeIntegers(true);
  }

  /** Points per channel of one device. */
  deviceSeries(
    deviceRef: number,
    fromMs: number,
    toMs: number,
    resolutionMs: number,
  ): Map<number, SeriesPoint[]> {
    const rows = this.#buckets.all({ deviceRef, fromMs, toMs, resolutionMs }) as BucketRow[];
    const series = new Map<number, SeriesPoint[]>();
    const previous = new Map<number, { imported: bigint; exported: bigint } | undefined>();
    for (const row of rows) {
      const channel = Number(row.channel);
      if (!previous.has(channel)) {
        const before = this.#before.get(deviceRef, channel, fromMs) as
          { imported: bigint; exported: bigint } | undefined;
        previous.set(channel, before);
      }
      const last = previous.get(channel);
      const rise = (max: bigint, min: bigint, base: bigint | undefined): bigint => {
        const delta = max - (base ?? min);
        return delta < 0n ? 0n : delta;
      };
      const point: SeriesPoint = {
        startMs: fromMs + Number(row.bucket) * resolutionMs,
        energyImportedMilliWattHours: rise(row.maxImported, row.minImported, last?.imported),
        energyExportedMilliWattHours: rise(row.maxExported, row.minExported, last?.exported),
        averagePowerMilliWatts: row.power === null ? null : Math.round(row.power),
        readingCount: Number(row.n),
      };
      previous.set(channel, { imported: row.maxImported, exported: row.maxExported });
      const list = series.get(channel) ?? [];
      list.push(point);
      series.set(channel, list);
    }
    return series;
  }
}
