import { getAddress, keccak256, stringToHex } from "viem";
import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import type { FootprintDocument } from "../footprints/footprintDocumentSchema.ts";
import {
  divideRoundingUp,
  milligramsToKilogramDecimal,
  percentageRoundingDown,
} from "./pactDecimals.ts";
import {
  PACT_SPEC_VERSION,
  productFootprintSchema,
  type PactProductFootprint,
} from "./productFootprintSchema.ts";
import { readingProvenance } from "./readingProvenance.ts";
import { lotProofExtensionDataSchema } from "./lotProofExtensionSchema.ts";

/** Version of our lot-proof data model extension (the `data` of `extensions[0]`). */
export const EI_LOT_PROOF_EXTENSION_VERSION = "1.0.0";

/** The lot as minted: where its token lives and what its footprint CID is. */
export interface PactLotFacts {
  chainId: number;
  /** ProductLots contract address. */
  contract: Hex;
  lotId: bigint;
  /** CID of the lot's `ei-footprint-v1` document. */
  cid: string;
  /** When the lot was minted (block time, Unix ms): the footprint's `created`. */
  mintedAtMs: number;
  txHash?: Hex | undefined;
}

export interface ProductFootprintFromLotParameters {
  document: FootprintDocument;
  lot: PactLotFacts;
  company: { name: string; ids: readonly string[] };
  product: {
    name: string;
    description: string;
    /** Extra product URNs (GTIN, part number…); ours (product and lot) are always added. */
    ids?: readonly string[] | undefined;
    classifications?: readonly string[] | undefined;
    /** kg per piece; PACT makes it mandatory, `"0"` when unknown (stated in `comment`). */
    massPerPieceKg?: string | undefined;
  };
  geography?:
    | { country: string }
    | { countrySubdivision: string }
    | { regionOrSubregion: NonNullable<PactProductFootprint["pcf"]["geographyRegionOrSubregion"]> }
    | undefined;
  /** Which electricity figure is the PCF: market-based (default, PACT Methodology 3) or location-based. */
  electricityMethod?: "market" | "location" | undefined;
  /** IPCC assessment reports behind the grid factors' GWPs, as the operator declares them. Default AR6. */
  ipccCharacterizationFactors?: readonly string[] | undefined;
  /** Where a buyer checks the lot against the chain (the dApp's or `ei verify` page for this lot). */
  verifyUrl: string;
  /** URL of the lot-proof extension's JSON Schema (the gateway serves it). */
  extensionSchemaUrl: string;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/u, "Z");
const DAY_MS = 86_400_000;

/**
 * The PACT footprint id of a lot: a UUID (RFC 9562 version 8, name-based on
 * our own hash) derived from chain, contract and lot id, so that every host
 * and every export of the same lot gives the same id, and two lots never share one.
 */
export function pactFootprintIdOf(
  lot: Pick<PactLotFacts, "chainId" | "contract" | "lotId">,
): string {
  const hash = keccak256(
    stringToHex(`ei-pact-pf-v1:${lot.chainId}:${getAddress(lot.contract)}:${lot.lotId}`),
  );
  const raw = hash.slice(2, 34);
  // version 8 in nibble 12, variant 10xx in nibble 16
  const variant = ((parseInt(raw.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const hex = `${raw.slice(0, 12)}8${raw.slice(13, 16)}${variant}${raw.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The temporal data-quality rating from how long each emission factor's period is (worst wins). */
function temporalRating(document: FootprintDocument): string {
  const longest = Math.max(
    ...document.factors.map(({ factor }) => factor.period.endMs - factor.period.startMs),
  );
  if (longest <= DAY_MS) return "1";
  if (longest <= 366 * DAY_MS) return "2";
  return "3";
}

/**
 * Maps a minted lot's footprint document to a PACT v3 `ProductFootprint`.
 *
 * The figure is honest about its boundary: it is the electricity the lot's
 * production step drew (metered machines, their idle time and the shared
 * overhead per the document's allocation rules), per piece. It is not a
 * cradle-to-gate PCF; `boundaryProcessesDescription`, `comment` and
 * `exemptedEmissionsDescription` say so. Numbers (docs/standards.md):
 * - `pcfExcludingBiogenicCO2Withdrawal` = ceil(lot total mg CO2e / units) in
 *   kg, exact to the milligram (never below the measured figure; the
 *   on-chain per-unit figure rounds down, so the two differ by < 1 mg);
 * - `primaryDataShare` = imported energy between measured readings / all,
 *   in percent, one decimal, rounded down;
 * - `dqi.technologicalDQR` = 1 + 2 × (non-measured share), rounded up to
 *   one decimal; temporal from the factors' period lengths; geographical 2
 *   (grid-region average factors).
 *
 * @throws {InvalidInputError} a lot of zero units, or a footprint that fails the PACT schema (field named).
 * @example
 * ```ts
 * const pf = productFootprintFromLot({ document, lot, company, product, verifyUrl, extensionSchemaUrl });
 * ```
 */
export function productFootprintFromLot(
  parameters: ProductFootprintFromLotParameters,
): PactProductFootprint {
  const { document, lot, company, product } = parameters;
  const method = parameters.electricityMethod ?? "market";
  const units = BigInt(document.lot.units);
  if (units <= 0n)
    throw new InvalidInputError(
      "document.lot.units",
      "a lot of zero units has no per-unit footprint",
    );
  const totalMg = BigInt(
    method === "market"
      ? document.lot.total.emissionsMarketMilligramsCo2e
      : document.lot.total.emissionsLocationMilligramsCo2e,
  );
  const perUnitMg = divideRoundingUp(totalMg, units);
  const perUnitKg = milligramsToKilogramDecimal(perUnitMg);
  const perUnitEnergyMWh = divideRoundingUp(BigInt(document.lot.total.energyMilliWattHours), units);

  const provenance = readingProvenance(document);
  const primaryDataShare = percentageRoundingDown(
    provenance.measuredMilliWattHours,
    provenance.totalMilliWattHours,
  );
  // technological = 1 + 2 × (1 − share), rounded up to one decimal (in tenths, exact on integers).
  const nonMeasured = provenance.totalMilliWattHours - provenance.measuredMilliWattHours;
  const techTenths =
    10n +
    (provenance.totalMilliWattHours === 0n
      ? 20n
      : divideRoundingUp(20n * nonMeasured, provenance.totalMilliWattHours));
  const technologicalDQR =
    techTenths % 10n === 0n ? `${techTenths / 10n}` : `${techTenths / 10n}.${techTenths % 10n}`;

  const lotUrn = `urn:ei:lot:${lot.chainId}:${getAddress(lot.contract).toLowerCase()}:${lot.lotId}`;
  const productUrn = `urn:ei:product:${document.siteId}:${document.productId}`;
  const productIds = [...new Set([...(product.ids ?? []), productUrn, lotUrn])];
  const sources = [
    ...new Map(
      document.factors.map(({ factor }) => [
        `${factor.source}\u0000${factor.version}`,
        { name: factor.source, version: factor.version },
      ]),
    ).values(),
  ];
  const geography = parameters.geography;
  const rules = document.rules;
  const massKnown = product.massPerPieceKg !== undefined;

  const candidate = {
    id: pactFootprintIdOf(lot),
    specVersion: PACT_SPEC_VERSION,
    version: 1,
    created: isoSeconds(lot.mintedAtMs),
    status: "Active",
    companyName: company.name,
    companyIds: [...company.ids],
    productDescription: product.description,
    productIds,
    ...(product.classifications === undefined
      ? {}
      : { productClassifications: [...product.classifications] }),
    productNameCompany: product.name,
    comment: [
      `Partial footprint: the ${method}-based emissions of the electricity metered for this lot's production step only, per piece, allocated from on-chain stamped jobs and anchored meter readings (lot ${lot.lotId}, ${units} pieces).`,
      "Not included: materials and purchased components, other energy carriers, direct process emissions, packaging, transport, and all stages after the gate.",
      massKnown
        ? ""
        : "Product mass is not recorded by this system: productMassPerDeclaredUnit is 0.",
      "Fossil and biogenic carbon content of the product are not assessed by this system and are reported as 0.",
      `Every figure can be recomputed from the footprint document ${lot.cid} and checked on chain: ${parameters.verifyUrl}`,
    ]
      .filter((line) => line !== "")
      .join(" "),
    pcf: {
      declaredUnitOfMeasurement: "piece",
      declaredUnitAmount: "1",
      productMassPerDeclaredUnit: product.massPerPieceKg ?? "0",
      referencePeriodStart: isoSeconds(document.scope.startMs),
      referencePeriodEnd: isoSeconds(document.scope.endMs),
      pcfExcludingBiogenicCO2Withdrawal: perUnitKg,
      pcfIncludingBiogenicCO2Withdrawal: perUnitKg,
      // Grid electricity factors are not split by carbon origin: all of it is declared fossil.
      fossilGhgEmissions: perUnitKg,
      fossilCarbonContent: "0",
      biogenicCarbonContent: "0",
      biogenicCO2Withdrawal: "0",
      ipccCharacterizationFactors: [...(parameters.ipccCharacterizationFactors ?? ["AR6"])],
      crossSectoralStandards: ["GHGP-Product"],
      boundaryProcessesDescription:
        "Production stage, electricity only: the electricity drawn by the machines that ran this lot's jobs (during the jobs and, per the allocation rules, their idle time), plus the site's shared overhead electricity allocated to the jobs, converted with hourly grid emission factors. No other process or life-cycle stage is inside this boundary.",
      ...(geography === undefined
        ? {}
        : "country" in geography
          ? { geographyCountry: geography.country }
          : "countrySubdivision" in geography
            ? { geographyCountrySubdivision: geography.countrySubdivision }
            : { geographyRegionOrSubregion: geography.regionOrSubregion }),
      secondaryEmissionFactorSources: sources,
      exemptedEmissionsPercent: "0",
      exemptedEmissionsDescription:
        "No emissions inside the declared boundary (production-step electricity) are exempted. Everything outside that boundary (materials, other energy, process emissions, packaging, transport) is not covered at all: this is not a cradle-to-gate footprint and must be combined with upstream data.",
      allocationRulesDescription: `Metered electricity per machine is allocated to the jobs running on it by time (concurrent jobs: ${rules.overlap}); idle electricity between jobs by ${rules.idle}; shared overhead electricity by ${rules.overhead}; a job's share is then divided by its units (rounding: ${document.rounding}). Unallocated energy is kept in the document and not charged to any product.`,
      primaryDataShare,
      dqi: {
        technologicalDQR,
        temporalDQR: temporalRating(document),
        geographicalDQR: "2",
      },
    },
    extensions: [
      {
        specVersion: EI_LOT_PROOF_EXTENSION_VERSION,
        dataSchema: parameters.extensionSchemaUrl,
        data: {
          chainId: lot.chainId,
          productLots: getAddress(lot.contract),
          lotId: lot.lotId.toString(),
          ...(lot.txHash === undefined ? {} : { mintTransaction: lot.txHash }),
          footprintCid: lot.cid,
          footprintFormat: document.format,
          verifyUrl: parameters.verifyUrl,
          electricityMethod: method,
          units: units.toString(),
          perUnit: {
            energyKilowattHours: milligramsToKilogramDecimal(perUnitEnergyMWh),
            emissionsLocationKgCo2e: milligramsToKilogramDecimal(
              divideRoundingUp(BigInt(document.lot.total.emissionsLocationMilligramsCo2e), units),
            ),
            emissionsMarketKgCo2e: milligramsToKilogramDecimal(
              divideRoundingUp(BigInt(document.lot.total.emissionsMarketMilligramsCo2e), units),
            ),
          },
          provenance: {
            readings: provenance.readings,
            measuredReadings: provenance.measuredReadings,
            flags: [...document.flags],
          },
        },
      },
    ],
  };
  const extension = lotProofExtensionDataSchema.safeParse(candidate.extensions[0]?.data);
  if (!extension.success) {
    const [issue] = extension.error.issues;
    throw new InvalidInputError(
      `extensions.0.data.${issue?.path.join(".") ?? ""}`,
      issue?.message ?? "not a lot-proof extension",
    );
  }
  const parsed = productFootprintSchema.safeParse(candidate);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const path = issue?.path.join(".") ?? "";
    throw new InvalidInputError(
      path === "" ? "footprint" : path,
      issue?.message ?? "not a PACT footprint",
    );
  }
  return parsed.data;
}
