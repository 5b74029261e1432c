/**
 * Grid carbon intensity from a source (a shipped dataset, a live API, an
 * on-chain record), each figure with its provenance. Two families are kept
 * apart by type, because they answer different questions:
 *
 * - AverageIntensity (`kind` direct | lifecycle): the grid-average intensity of
 *   an interval. Direct is the GHG Protocol Scope 2 factor; lifecycle includes
 *   upstream and belongs in product footprints (ISO 14067). The only family
 *   that converts into an EmissionFactorRecord (averageIntensityToFactorRecord).
 * - MarginalSignal (`kind` marginal): the emissions of the marginal generator
 *   (WattTime MOER), or its percentile index. For deciding WHEN to run a job,
 *   never a Scope 2 factor: it has no `gramsCo2ePerKilowattHour` field and no
 *   conversion into a factor record exists, so it cannot reach the accounting
 *   functions by type (and averageIntensityToFactorRecord refuses it at run time).
 */
import type { FactorPeriod } from "./types.ts";

export type IntensityKind = "direct" | "lifecycle" | "marginal";
export type AverageIntensityKind = Exclude<IntensityKind, "marginal">;

/** Where one figure came from. */
export interface IntensityProvenance<Kind extends IntensityKind = IntensityKind> {
  /** The publisher or service, e.g. "NESO Carbon Intensity API". */
  source: string;
  /** The region as the source names it, e.g. "regionid:13", "DE", "CAISO_NORTH". */
  region: string;
  /** The interval the figure describes, half-open [startMs, endMs). */
  period: FactorPeriod;
  /** The dataset, model or API version the source states (or the endpoint used). */
  version: string;
  /** When the figure was fetched (Unix ms); for a shipped dataset, when it was packaged (0 if unknown). */
  retrievedAtMs: number;
  kind: Kind;
}

/** A grid-average intensity: usable as an emission factor. */
export interface AverageIntensity {
  kind: AverageIntensityKind;
  /** Exact, non-negative decimal string, g CO2e/kWh (or g CO2/kWh when `co2Only`). */
  gramsPerKilowattHour: string;
  co2Only: boolean;
  /** The source marks the figure as a forecast or model estimate rather than a measurement-based value. */
  estimated: boolean;
  provenance: IntensityProvenance<AverageIntensityKind>;
}

/** A marginal signal: for scheduling only. */
export interface MarginalSignal {
  kind: "marginal";
  /** `co2_moer` in lb CO2/MWh, or the 0–100 percentile index. */
  signal: { value: string; units: "lbs_co2_per_mwh" | "percentile"; signalType: string };
  /** Whether the point is a forecast (from /forecast) or observed (historical, signal-index now). */
  forecast: boolean;
  provenance: IntensityProvenance<"marginal">;
}

/**
 * Why a source could not give a usable figure for an interval. Every reason is
 * specific, and every one leads to an explicit, recorded fallback: never a zero.
 */
export type IntensityProblemReason =
  | "missing-interval"
  | "negative-intensity"
  | "absurd-intensity"
  | "http-error"
  | "unreachable"
  | "rate-limited"
  | "changed-format"
  | "unauthorised"
  | "wrong-kind";

export interface IntensityProblem {
  reason: IntensityProblemReason;
  /** The interval affected; the whole request when the source failed as a whole. */
  period: FactorPeriod;
  detail: string;
}

/** What a source answered for one request: the usable figures and, separately, what was wrong. */
export interface IntensitySeries<Point> {
  points: Point[];
  problems: IntensityProblem[];
}

export interface AverageIntensityRequest {
  region: string;
  startMs: number;
  endMs: number;
  kind: AverageIntensityKind;
}

/**
 * The one interface every grid-average factor source implements: the shipped
 * datasets, the UK Carbon Intensity and Electricity Maps clients, and the
 * on-chain intensity record (OnChainIntensitySource). A source never throws
 * for a bad answer: it reports each problem with its reason, and the caller
 * falls back explicitly (resolveHourlyFactors).
 */
export interface GridIntensitySource {
  readonly id: string;
  averageIntensities(request: AverageIntensityRequest): Promise<IntensitySeries<AverageIntensity>>;
}

/** Marginal signals, kept behind their own interface so they are never offered as factors. */
export interface MarginalSignalSource {
  readonly id: string;
  marginalSignals(request: {
    region: string;
    startMs: number;
    endMs: number;
    signal: "co2_moer" | "percentile";
  }): Promise<IntensitySeries<MarginalSignal>>;
}

/**
 * The seam for the on-chain intensity record (Chainlink Functions): a
 * GridIntensitySource whose figures name the record they came from, so a
 * container can reference the chain instead of the gateway.
 */
export interface OnChainIntensitySource extends GridIntensitySource {
  /** The record contract and chain the figures are read from. */
  readonly record: { chainId: number; address: `0x${string}` };
}
