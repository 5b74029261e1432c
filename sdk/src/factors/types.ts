/**
 * Emission factor types. A dataset file (data/*.json) holds the publisher's
 * figures once, with their citation and licence at the dataset level; a
 * resolved EmissionFactorRecord repeats everything about one figure, so that its
 * hash (factorRef) pins source, version, region, period and value together.
 */

/** Direct: combustion at the power plant only (GHG Protocol Scope 2). Lifecycle: includes upstream. */
export type FactorKind = "direct" | "lifecycle";

/**
 * The unit of `value`. g/kWh equals kg/MWh. CO2-only factors leave out CH4
 * and N2O and are flagged where used as CO2e.
 */
export type FactorUnit = "g CO2e/kWh" | "g CO2/kWh";

/** Half-open validity [startMs, endMs) in Unix ms (UTC). */
export interface FactorPeriod {
  startMs: number;
  endMs: number;
}

export interface FactorCitation {
  title: string;
  url: string;
  publisher: string;
}

export interface FactorLicence {
  name: string;
  url: string;
}

/** One factor, self-contained: what factorRef hashes. */
export interface EmissionFactorRecord {
  datasetId: string;
  source: string;
  version: string;
  region: string;
  regionName: string;
  period: FactorPeriod;
  kind: FactorKind;
  unit: FactorUnit;
  /** Exact decimal string, e.g. "349.946513455". */
  value: string;
  /** The figure as the publisher printed it, when its unit differs from `unit`. */
  published?: { value: string; unit: string };
  citation: FactorCitation;
  licence: FactorLicence;
}

/** A region the dataset covers in principle but whose figure is not shipped, with the reason. */
export interface PendingRegion {
  region: string;
  regionName: string;
  reason: string;
}

/** A validated dataset with its factors resolved. */
export interface FactorDataset {
  id: string;
  source: string;
  version: string;
  kind: FactorKind;
  unit: FactorUnit;
  citation: FactorCitation;
  licence: FactorLicence;
  notes: string[];
  factors: EmissionFactorRecord[];
  pending: PendingRegion[];
}
