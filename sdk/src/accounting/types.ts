/**
 * Shared types of the accounting math. Every figure carries flags saying how it
 * was obtained; the vocabulary is fixed here and documented in
 * docs/accounting.md, so an auditor reads the same words the code writes.
 */

/** Quality of one reading as the device or adapter reported it. */
export type ReadingQualityName = "measured" | "estimated" | "imported";

/**
 * How an energy figure was obtained. A figure may carry several (a set).
 *
 * - `measured`: derived from counter readings of quality measured.
 * - `estimated`: a reading used was of quality estimated, or a boundary was held (see `held`).
 * - `imported`: a reading used came from another system (quality imported).
 * - `interpolated`: a boundary fell between two readings; the counter there was interpolated linearly.
 * - `gap-bridged`: the figure spans readings further apart than the declared maximum gap; the
 *   total is exact, the time profile inside the gap is unknown.
 * - `rollover`: a counter wrapped at its declared modulus within the figure.
 * - `reset`: a counter restarted near zero within the figure; energy counted from the new base,
 *   energy between the last reading before and the reset itself is lost.
 * - `integrated`: from power samples (trapezoid rule), the device has no counter.
 * - `held`: no reading after a boundary arrived within the grace period; the counter was held at
 *   its last reading (a lower bound), what is missing falls into the next figure.
 * - `starts-at-first-reading`: there is no reading at or before the start; energy before the
 *   first reading is not metered.
 * - `no-readings`: there are no readings at all; the figure is zero by absence, not by measurement.
 */
export type EnergyFlag =
  | "measured"
  | "estimated"
  | "imported"
  | "interpolated"
  | "gap-bridged"
  | "rollover"
  | "reset"
  | "integrated"
  | "held"
  | "starts-at-first-reading"
  | "no-readings";

/** The fixed order in which flags are listed, so results compare and hash stably. */
export const ENERGY_FLAG_ORDER: readonly EnergyFlag[] = [
  "measured",
  "estimated",
  "imported",
  "interpolated",
  "gap-bridged",
  "rollover",
  "reset",
  "integrated",
  "held",
  "starts-at-first-reading",
  "no-readings",
];

/** One reading of a device channel's cumulative counters. */
export interface CounterReading {
  /** Per-device sequence number; strictly increasing along the series. */
  sequence: bigint;
  /** Unix milliseconds; strictly increasing along the series. */
  timestampMs: number;
  /** Cumulative imported energy as the meter shows it (may wrap or reset). */
  energyImportedMilliWattHours: bigint;
  /** Cumulative exported energy as the meter shows it (may wrap or reset). */
  energyExportedMilliWattHours: bigint;
  quality: ReadingQualityName;
}

/** What a channel's counters are declared to do. */
export interface CounterChannelConfig {
  /**
   * The counters wrap to zero on reaching this value, e.g. 2^32 Wh =
   * 4_294_967_296_000n mWh for LoRa devices with a 32-bit Wh register. Omit
   * when the counter does not wrap.
   */
  counterModulusMilliWattHours?: bigint | undefined;
  /**
   * A drop to at most this value that is not a plausible rollover is a reset
   * (meter replaced or rebooted). Any other drop is refused as bad data.
   */
  resetThresholdMilliWattHours: bigint;
  /**
   * The most power the channel can draw. When given, a wrap is plausible only if
   * the wrapped increase fits this power over the time between the readings;
   * otherwise only if it is below half the modulus.
   */
  maxPowerMilliWatts?: bigint | undefined;
  /** Readings further apart than this are a gap; figures spanning it are flagged `gap-bridged`. */
  maxGapMs: number;
}

/**
 * The counter at one instant, as an offset from a reading ("anchor"). Storing
 * the offset rather than an absolute value makes it independent of rollovers
 * and resets before the anchor, so a container can hand its end boundary to the
 * next container as that one's start and the two sum exactly to the meter.
 */
export interface CounterBoundary {
  timestampMs: number;
  /** The reading the offsets are counted from, or null when there are no readings at all. */
  anchor: { sequence: bigint; timestampMs: number } | null;
  importedSinceAnchorMilliWattHours: bigint;
  exportedSinceAnchorMilliWattHours: bigint;
  /**
   * - `reading`: a reading lies exactly at the instant.
   * - `interpolated`: between two readings, floor of the linear interpolation.
   * - `held`: after the last reading, past the grace period; offsets are zero.
   * - `first-reading`: before the first reading; anchored there with zero offsets.
   * - `no-readings`: there is nothing to anchor to.
   */
  method: "reading" | "interpolated" | "held" | "first-reading" | "no-readings";
}

/** Energy of one half-open interval [startMs, endMs). */
export interface EnergyPiece {
  startMs: number;
  endMs: number;
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
  flags: { imported: EnergyFlag[]; exported: EnergyFlag[] };
}

/**
 * The caller has to wait: a boundary needs a reading at or after it and none
 * has arrived, and the grace period has not run out. Ask again when such a
 * reading arrives or at `graceDeadlineMs`, whichever comes first.
 */
export interface NeedsMoreData {
  status: "needs-more-data";
  /** The boundary that cannot be fixed yet. */
  boundaryMs: number;
  /** At this time the figure closes anyway, flagged `held`. */
  graceDeadlineMs: number;
}
