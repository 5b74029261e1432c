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

/**
 * A secondary source a dataset's figures were transcribed from and checked
 * against (the publisher's own workbook is the `citation`). Factors name the
 * sources that confirm them by `id`.
 */
export interface FactorSource {
  id: string;
  title: string;
  /** The table, sheet or field the figures were read from. */
  table: string;
  /** The data year of the figures. */
  year: number;
  url: string;
  publisher: string;
}

/**
 * How a published CO2e rate relates to its gas rates: CO2e = Σ gas × GWP, with
 * the gas rates rounded to `ratesDecimals` places by the publisher. The loader
 * checks every factor that lists its gases against this, within the rounding.
 */
export interface Co2eFromGases {
  /** E.g. "IPCC AR5, 100-year (CH4 28, N2O 265)". */
  gwpSet: string;
  gwp: { co2: string; ch4: string; n2o: string };
  /** The unit of the gas rates, e.g. "lb/MWh"; `published` is then in "lb CO2e/MWh". */
  unit: string;
  ratesDecimals: number;
}

/** The publisher's gas rates behind one CO2e factor, in `Co2eFromGases.unit`. */
export interface FactorGases {
  co2: string;
  ch4: string;
  n2o: string;
}

/** What a dataset says about one factor beyond the hashed record. */
export interface FactorProvenance {
  gases?: FactorGases;
  /** Ids of the dataset's `sources` that confirm the figure. */
  sources: string[];
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
  /** Secondary sources the figures were transcribed from (parseFactorDataset always sets it). */
  sources?: FactorSource[];
  co2eFromGases?: Co2eFromGases;
  /** Per shipped region: gas rates and confirming sources, where the dataset records them. */
  provenance?: Record<string, FactorProvenance>;
  /**
   * Transmission and distribution losses (GHG Protocol Scope 3 category 3), where the
   * publisher gives a separate factor: its own dataset (id `<id>-td`), so a T&D figure
   * can never be picked up as a Scope 2 factor. Use transmissionAndDistributionEmissions.
   */
  transmissionAndDistribution?: FactorDataset;
}
