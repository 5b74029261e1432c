/**
 * Unit vocabulary of the sdk. Stored quantities are integers in the smallest
 * unit we keep (milliwatt-hours, milliwatts, milligrams CO2e, Unix
 * milliseconds off chain, Unix seconds on chain), bigint where sums grow;
 * other units appear only at the edges, converted exactly.
 */

/** An exact rational number. `denominator` is always positive. */
export interface Rational {
  numerator: bigint;
  denominator: bigint;
}

/** Energy units accepted at the edges, with how many milliwatt-hours one of each is. */
export const MILLIWATT_HOURS_PER_UNIT = {
  mWh: 1n,
  Wh: 1_000n,
  kWh: 1_000_000n,
  MWh: 1_000_000_000n,
  GWh: 1_000_000_000_000n,
} as const;
export type EnergyUnit = keyof typeof MILLIWATT_HOURS_PER_UNIT;

/** Power units accepted at the edges, with how many milliwatts one of each is. */
export const MILLIWATTS_PER_UNIT = {
  mW: 1n,
  W: 1_000n,
  kW: 1_000_000n,
  MW: 1_000_000_000n,
} as const;
export type PowerUnit = keyof typeof MILLIWATTS_PER_UNIT;

/**
 * Emission factor units, each as an exact rational multiple of g CO2e/kWh.
 * g/kWh and kg/MWh are the same quantity; lb/MWh (US eGRID) uses the
 * international pound, exactly 453.59237 g.
 */
export const GRAMS_PER_KILOWATT_HOUR_PER_UNIT = {
  "g/kWh": { numerator: 1n, denominator: 1n },
  "kg/MWh": { numerator: 1n, denominator: 1n },
  "lb/MWh": { numerator: 45_359_237n, denominator: 100_000_000n },
} as const satisfies Record<string, Rational>;
export type EmissionFactorUnit = keyof typeof GRAMS_PER_KILOWATT_HOUR_PER_UNIT;

/**
 * An emission factor: CO2e mass per energy. `value` is exact: a decimal string
 * ("380.5"), an integer, or a rational. Never a float.
 */
export interface EmissionFactor {
  value: string | bigint | Rational;
  unit: EmissionFactorUnit;
}

/**
 * A half-open interval [start, end) of integers in one unit (say which in the
 * variable name: periodMs, windowSeconds). `start` is inside, `end` is not, so
 * back-to-back intervals share a boundary without overlapping.
 */
export interface Interval {
  start: bigint;
  end: bigint;
}
