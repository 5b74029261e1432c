import { InvariantError } from "../errors/index.ts";
import { signedMilligramsToKg } from "../bom/kilogramDecimals.ts";
import type { MaterialsFootprint } from "../bom/materialsFootprintOf.ts";
import { lotProofExtensionDataSchema } from "../pact/lotProofExtensionSchema.ts";
import type { PactProductFootprint } from "../pact/productFootprintSchema.ts";
import { carbonFootprintSubmodelIdOf } from "./aasIdentifiers.ts";
import { buildAssetShell } from "./buildAssetShell.ts";
import {
  buildCarbonFootprintSubmodel,
  type CarbonFootprintEntry,
} from "./buildCarbonFootprintSubmodel.ts";
import { IDTA_LIFE_CYCLE_PHASES } from "./carbonFootprintSemanticIds.ts";
import { aas } from "./loadAasCore.ts";
import type { AasCore } from "./loadAasCore.ts";
import { verifyAasEnvironment } from "./verifyAasEnvironment.ts";

export interface BuildLotAasParameters {
  /** The lot's production footprint as PACT maps it (`productFootprintFromLot`): one source for both standards. */
  footprint: PactProductFootprint;
  /** The purchased materials per piece, when the product has a bill of materials. */
  materials?: MaterialsFootprint | undefined;
}

const THREE_YEARS_MS = 3 * 365.25 * 86_400_000;

/**
 * The Asset Administration Shell of a product lot (metamodel v3.0) and its
 * IDTA 02023 Carbon Footprint submodel: one `ProductCarbonFootprint` for this
 * site's production electricity (life cycle phase A3, per piece) and, with a
 * bill of materials, a separate one for the purchased materials (A1), so the
 * two are never read as one. The global asset id is the lot's URN (the same
 * the PACT footprint lists); the submodel's extensions carry the declared
 * boundary and where the on-chain proof is. Checked with aas-core's
 * verification: an environment that fails it is a bug here, never returned.
 *
 * @throws {InvariantError} aas-core's verification failed (the failures are in `details`).
 * @example
 * ```ts
 * const env = buildLotAas({ footprint: productFootprintFromLot(parameters) });
 * ```
 */
export function buildLotAas(parameters: BuildLotAasParameters): AasCore.types.Environment {
  const { footprint } = parameters;
  const proof = lotProofExtensionDataSchema.parse(footprint.extensions?.[0]?.data);
  const globalAssetId = `urn:ei:lot:${proof.chainId}:${proof.productLots.toLowerCase()}:${proof.lotId}`;
  const submodelId = carbonFootprintSubmodelIdOf(globalAssetId);
  const created = footprint.created;
  const expires = new Date(Date.parse(footprint.pcf.referencePeriodEnd) + THREE_YEARS_MS)
    .toISOString()
    .replace(/\.\d{3}Z$/u, "Z");
  const methods = footprint.pcf.crossSectoralStandards.map((standard) =>
    standard === "GHGP-Product" ? "GHG Protocol" : standard,
  );
  const entries: CarbonFootprintEntry[] = [
    {
      calculationMethods: methods,
      co2eqKg: footprint.pcf.pcfExcludingBiogenicCO2Withdrawal,
      referenceUnit: "piece",
      quantity: "1",
      lifeCyclePhases: [IDTA_LIFE_CYCLE_PHASES.production],
      publicationDate: created,
      expirationDate: expires,
    },
  ];
  const materials = parameters.materials;
  if (materials !== undefined)
    entries.push({
      calculationMethods: ["GHG Protocol"],
      co2eqKg: signedMilligramsToKg(materials.totalMilligrams),
      referenceUnit: "piece",
      quantity: "1",
      lifeCyclePhases: [IDTA_LIFE_CYCLE_PHASES.rawMaterialSupply],
      publicationDate: created,
    });
  const submodel = buildCarbonFootprintSubmodel({
    id: submodelId,
    description:
      materials === undefined
        ? "Carbon footprint of one piece of this lot: the production step's metered electricity only (not cradle-to-gate)."
        : "Carbon footprint of one piece of this lot, in two parts: purchased materials (suppliers' declared footprints × bill of materials) and this site's production-step electricity.",
    entries,
    extensions: {
      "ei:boundary": footprint.pcf.boundaryProcessesDescription ?? "",
      "ei:electricityMethod": proof.electricityMethod,
      "ei:pactFootprintId": footprint.id,
      "ei:footprintCid": proof.footprintCid,
      "ei:verifyUrl": proof.verifyUrl,
      ...(materials === undefined
        ? {}
        : {
            "ei:materials": materials.components
              .map(
                (c) =>
                  `${c.quantity} ${c.unit} ${c.component}: ${signedMilligramsToKg(c.pcfExcludingBiogenicMilligrams)} kg (${c.supplierCompanyName}, PACT ${c.supplierFootprintId})`,
              )
              .join("; "),
          }),
    },
  });
  const shell = buildAssetShell({
    globalAssetId,
    idShort: `Lot_${proof.lotId}`,
    description: `Product lot ${proof.lotId} of ${footprint.productNameCompany} (${proof.units} pieces), token on ProductLots ${proof.productLots}, chain ${proof.chainId}.`,
    submodelIds: [submodelId],
    specificAssetIds: {
      productLots: proof.productLots,
      lotId: proof.lotId,
      chainId: String(proof.chainId),
    },
  });
  const environment = new aas.types.Environment([shell], [submodel]);
  const failures = verifyAasEnvironment(environment);
  if (failures.length > 0)
    throw new InvariantError("the lot's AAS fails aas-core verification", {
      details: failures.map((f) => `${f.path}: ${f.message}`).join("\n"),
    });
  return environment;
}
