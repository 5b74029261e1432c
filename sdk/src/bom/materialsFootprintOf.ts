import { InvalidInputError } from "../errors/index.ts";
import type { PactProductFootprint } from "../pact/productFootprintSchema.ts";
import type { BomComponent } from "./billOfMaterialsSchema.ts";
import { componentMilligrams, signedMilligramsToKg } from "./kilogramDecimals.ts";

/** One component's share of one piece's footprint, as taken from its supplier's PACT footprint. */
export interface MaterialsComponentFootprint {
  component: string;
  quantity: string;
  unit: BomComponent["unit"];
  supplierFootprintId: string;
  supplierCompanyName: string;
  supplierProductName: string;
  /** quantity × supplier's pcfExcludingBiogenicCO2Withdrawal per declared unit, rounded up to the mg. */
  pcfExcludingBiogenicMilligrams: bigint;
  pcfIncludingBiogenicMilligrams: bigint;
  fossilMilligrams: bigint;
}

export interface MaterialsFootprint {
  components: MaterialsComponentFootprint[];
  /** Sum over components, mg CO2e per piece (pcfExcludingBiogenicCO2Withdrawal). */
  totalMilligrams: bigint;
  /** The same in kg, exact decimal string. */
  totalKg: string;
}

/**
 * The purchased-materials footprint of one piece: each BOM component's
 * quantity times its supplier's declared per-unit PCF. A component whose
 * footprint is missing, deprecated, or declared in another unit is refused
 * (named by index), never guessed.
 *
 * @example
 * ```ts
 * const materials = materialsFootprintOf({ components: bom.products[0].components, supplierFootprints });
 * ```
 */
export function materialsFootprintOf(parameters: {
  components: readonly BomComponent[];
  supplierFootprints: ReadonlyMap<string, PactProductFootprint>;
}): MaterialsFootprint {
  const components = parameters.components.map((component, index) => {
    const path = `components.${index}`;
    const pf = parameters.supplierFootprints.get(component.supplierFootprintId.toLowerCase());
    if (pf === undefined)
      throw new InvalidInputError(
        `${path}.supplierFootprintId`,
        `no supplier footprint ${component.supplierFootprintId} is kept`,
        { hints: ["Run `ei pact pull` against the supplier's PACT endpoint first."] },
      );
    if (pf.status !== "Active")
      throw new InvalidInputError(
        `${path}.supplierFootprintId`,
        `supplier footprint ${pf.id} is ${pf.status}`,
      );
    if (pf.pcf.declaredUnitOfMeasurement !== component.unit)
      throw new InvalidInputError(
        `${path}.unit`,
        `the BOM says ${component.unit} but the supplier's footprint is per ${pf.pcf.declaredUnitOfMeasurement}`,
      );
    const share = (footprintKg: string) =>
      componentMilligrams({
        path,
        quantity: component.quantity,
        footprintKg,
        declaredUnitAmount: pf.pcf.declaredUnitAmount,
      });
    return {
      component: component.component,
      quantity: component.quantity,
      unit: component.unit,
      supplierFootprintId: pf.id,
      supplierCompanyName: pf.companyName,
      supplierProductName: pf.productNameCompany,
      pcfExcludingBiogenicMilligrams: share(pf.pcf.pcfExcludingBiogenicCO2Withdrawal),
      pcfIncludingBiogenicMilligrams: share(pf.pcf.pcfIncludingBiogenicCO2Withdrawal),
      fossilMilligrams: share(pf.pcf.fossilGhgEmissions),
    };
  });
  const totalMilligrams = components.reduce(
    (sum, component) => sum + component.pcfExcludingBiogenicMilligrams,
    0n,
  );
  return { components, totalMilligrams, totalKg: signedMilligramsToKg(totalMilligrams) };
}
