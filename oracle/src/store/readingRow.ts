/**
 * The measured columns of a `readings` row as better-sqlite3 returns them with
 * safeIntegers on (every INTEGER a bigint). One definition for the writer and
 * the repositories, so a schema change is made in one place.
 */
export interface ReadingRow {
  channel: bigint;
  sequence: bigint;
  timestamp_ms: bigint;
  energy_imported_milliwatt_hours: bigint;
  energy_exported_milliwatt_hours: bigint;
  counter_epoch: bigint | null;
  power_milliwatts: bigint | null;
  voltage_millivolts: bigint | null;
  current_milliamps: bigint | null;
  power_factor_per_mille: bigint | null;
  quality: bigint;
}
