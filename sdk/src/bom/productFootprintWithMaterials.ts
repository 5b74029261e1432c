import { keccak256, stringToHex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import {
  productFootprintSchema,
  type PactProductFootprint,
} from "../pact/productFootprintSchema.ts";
import { kgToMilligramsCeil, signedMilligramsToKg } from "./kilogramDecimals.ts";
import {
  EI_MATERIALS_EXTENSION_VERSION,
  materialsExtensionDataSchema,
} from "./materialsExtensionSchema.ts";
import type { MaterialsFootprint } from "./materialsFootprintOf.ts";

/** A name-based UUID (RFC 9562 version 8) from keccak256 of `text`. */
function uuidV8Of(text: string): string {
  const raw = keccak256(stringToHex(text)).slice(2, 34);
  const variant = ((parseInt(raw.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const hex = `${raw.slice(0, 12)}8${raw.slice(13, 16)}${variant}${raw.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Shares round down (never overstated); ratings round up (never flattered).
// Exact on the decimal string (no float: 2.3 × 10 is not 23 in binary).
function tenthsOf(value: string, round: "down" | "up"): number {
  const [whole = "0", fraction = ""] = value.replace(/^\+/u, "").split(".");
  const base = Number(whole) * 10 + Number(fraction.charAt(0) || "0");
  return round === "up" && /[1-9]/u.test(fraction.slice(1)) ? base + 1 : base;
}
const shareTenths = (value: string) => tenthsOf(value, "down");
const ratingTenths = (value: string) => tenthsOf(value, "up");
const fromTenths = (value: number) =>
  value % 10 === 0 ? `${value / 10}` : `${Math.floor(value / 10)}.${value % 10}`;

export interface ProductFootprintWithMaterialsParameters {
  /** This site's production-step footprint of the lot (`productFootprintFromLot`). */
  production: PactProductFootprint;
  materials: MaterialsFootprint;
  /** The suppliers' footprints the materials came from, by id (for data quality). */
  supplierFootprints: ReadonlyMap<string, PactProductFootprint>;
  /** URL of the `ei-materials` extension's JSON Schema. */
  materialsExtensionSchemaUrl: string;
}

/**
 * A lot's footprint with its purchased materials: this site's production
 * electricity plus, per piece, each BOM component's share of its supplier's
 * declared PCF. The PCF fields are the sums; the `ei-materials` extension and
 * `comment` keep the two parts apart, and the boundary text says exactly what
 * is inside (the components' own boundaries as their suppliers declared them,
 * and this site's production electricity), so the figure is not read as more
 * than it is. Its id differs from the production-only footprint's (another
 * PCF) and is stable for the same production footprint and BOM.
 *
 * Data quality: `primaryDataShare` is the emissions-weighted share of the
 * parts' own shares (a supplier that gives none counts 0); each DQR is the
 * worst of the parts' (a supplier without DQRs counts 3), never flattered.
 *
 * @throws {InvalidInputError} a production footprint that is not per piece, or a result that fails the PACT schema.
 */
export function productFootprintWithMaterials(
  parameters: ProductFootprintWithMaterialsParameters,
): PactProductFootprint {
  const { production, materials } = parameters;
  if (production.pcf.declaredUnitOfMeasurement !== "piece")
    throw new InvalidInputError(
      "production.pcf.declaredUnitOfMeasurement",
      "a bill of materials is per piece; the production footprint must be too",
    );
  const prodMg = (value: string, field: string) =>
    kgToMilligramsCeil(`production.pcf.${field}`, value);
  const sum = (own: bigint, pick: (c: MaterialsFootprint["components"][number]) => bigint) =>
    materials.components.reduce((total, component) => total + pick(component), own);
  const productionMg = prodMg(
    production.pcf.pcfExcludingBiogenicCO2Withdrawal,
    "pcfExcludingBiogenicCO2Withdrawal",
  );
  const excluding = sum(productionMg, (c) => c.pcfExcludingBiogenicMilligrams);
  const including = sum(
    prodMg(production.pcf.pcfIncludingBiogenicCO2Withdrawal, "pcfIncludingBiogenicCO2Withdrawal"),
    (c) => c.pcfIncludingBiogenicMilligrams,
  );
  const fossil = sum(
    prodMg(production.pcf.fossilGhgEmissions, "fossilGhgEmissions"),
    (c) => c.fossilMilligrams,
  );

  // Emissions-weighted primary data share, in tenths of a percent, rounded down.
  const parts = [
    {
      mg: productionMg,
      share: production.pcf.primaryDataShare ?? "0",
      dqi: production.pcf.dqi,
    },
    ...materials.components.map((component) => {
      const pf = parameters.supplierFootprints.get(component.supplierFootprintId.toLowerCase());
      return {
        mg: component.pcfExcludingBiogenicMilligrams,
        share: pf?.pcf.primaryDataShare ?? "0",
        dqi: pf?.pcf.dqi,
      };
    }),
  ];
  const weight = parts.reduce((total, part) => total + (part.mg > 0n ? part.mg : 0n), 0n);
  const weighted = parts.reduce(
    (total, part) => total + (part.mg > 0n ? part.mg * BigInt(shareTenths(part.share)) : 0n),
    0n,
  );
  const primaryDataShare = weight === 0n ? "0" : fromTenths(Number(weighted / weight));
  const worst = (key: "technologicalDQR" | "temporalDQR" | "geographicalDQR") =>
    fromTenths(Math.max(...parts.map((part) => ratingTenths(part.dqi?.[key] ?? "3"))));

  const componentsText = materials.components
    .map(
      (c) =>
        `${c.quantity} ${c.unit} ${c.component} (${c.supplierCompanyName}, PACT footprint ${c.supplierFootprintId}): ${signedMilligramsToKg(c.pcfExcludingBiogenicMilligrams)} kg`,
    )
    .join("; ");
  const productionKg = signedMilligramsToKg(productionMg);
  const data = materialsExtensionDataSchema.parse({
    productionFootprintId: production.id,
    productionKgCo2e: productionKg,
    materialsKgCo2e: materials.totalKg,
    components: materials.components.map((c) => ({
      component: c.component,
      quantity: c.quantity,
      unit: c.unit,
      supplierFootprintId: c.supplierFootprintId,
      supplierCompanyName: c.supplierCompanyName,
      supplierProductName: c.supplierProductName,
      kgCo2e: signedMilligramsToKg(c.pcfExcludingBiogenicMilligrams),
    })),
  });
  const bomKey = materials.components
    .map((c) => `${c.supplierFootprintId}:${c.quantity}:${c.unit}`)
    .join(",");

  const candidate: PactProductFootprint = {
    ...production,
    id: uuidV8Of(`ei-pact-pf-materials-v1:${production.id}:${bomKey}`),
    comment: [
      `Materials plus production, per piece: ${signedMilligramsToKg(excluding)} kg CO2e = purchased materials ${materials.totalKg} kg (suppliers' declared PCFs × bill-of-materials quantities: ${componentsText}) + this site's production-step electricity ${productionKg} kg (PACT footprint ${production.id}).`,
      "Outside the boundary: other energy carriers and direct process emissions at this site, purchased inputs not in the bill of materials, packaging, outbound transport, and all stages after the gate.",
      production.comment ?? "",
    ]
      .filter((line) => line !== "")
      .join(" "),
    pcf: {
      ...production.pcf,
      pcfExcludingBiogenicCO2Withdrawal: signedMilligramsToKg(excluding),
      pcfIncludingBiogenicCO2Withdrawal: signedMilligramsToKg(including),
      fossilGhgEmissions: signedMilligramsToKg(fossil < 0n ? 0n : fossil),
      boundaryProcessesDescription:
        `Purchased components listed in the bill of materials, each within the boundary its supplier declared in its PACT footprint; plus this site's production stage, electricity only. ${production.pcf.boundaryProcessesDescription ?? ""}`.trim(),
      exemptedEmissionsDescription:
        "No emissions inside the declared boundary are exempted by us; suppliers' own exemptions apply to their components. Other energy carriers and process emissions at this site, inputs not in the bill of materials, packaging and transport are outside the boundary.",
      primaryDataShare,
      dqi: {
        technologicalDQR: worst("technologicalDQR"),
        temporalDQR: worst("temporalDQR"),
        geographicalDQR: worst("geographicalDQR"),
      },
    },
    extensions: [
      ...(production.extensions ?? []),
      {
        specVersion: EI_MATERIALS_EXTENSION_VERSION,
        dataSchema: parameters.materialsExtensionSchemaUrl,
        data,
      },
    ],
  };
  const parsed = productFootprintSchema.safeParse(candidate);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new InvalidInputError(
      issue?.path.join(".") ?? "footprint",
      issue?.message ?? "not a PACT footprint",
    );
  }
  return parsed.data;
}
