import type { Hex } from "viem";
import { InvariantError } from "../errors/index.ts";
import type { FootprintDocument } from "../footprints/footprintDocumentSchema.ts";
import { milligramsToKilogramDecimal } from "../pact/pactDecimals.ts";
import { carbonFootprintSubmodelIdOf, machineGlobalAssetId } from "./aasIdentifiers.ts";
import { buildAssetShell } from "./buildAssetShell.ts";
import {
  buildCarbonFootprintSubmodel,
  type CarbonFootprintEntry,
} from "./buildCarbonFootprintSubmodel.ts";
import { IDTA_LIFE_CYCLE_PHASES } from "./carbonFootprintSemanticIds.ts";
import { aas } from "./loadAasCore.ts";
import type { AasCore } from "./loadAasCore.ts";
import { verifyAasEnvironment } from "./verifyAasEnvironment.ts";

export interface BuildMachineAasParameters {
  siteId: Hex;
  machineId: Hex;
  /** Minted lots whose footprint documents meter this machine, with their mint time (ms). */
  lots: readonly { lotId: bigint; document: FootprintDocument; mintedAtMs: number }[];
  electricityMethod?: "market" | "location" | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/u, "Z");

/**
 * The Asset Administration Shell of a machine and its IDTA 02023 Carbon
 * Footprint submodel: one `ProductCarbonFootprint` per lot document that
 * metered it, each the emissions of the electricity the machine drew in that
 * document's allocation scope (life cycle phase B6, usage energy
 * consumption; reference unit: the machine, quantity 1). The template has no
 * reference period, so the `ei:entries` extension says which lot and window
 * each entry covers; windows of different lots may overlap and must not be
 * added up. This is the machine's use-phase electricity, not the footprint of
 * making the machine.
 *
 * @throws {InvariantError} aas-core's verification failed.
 */
export function buildMachineAas(parameters: BuildMachineAasParameters): AasCore.types.Environment {
  const method = parameters.electricityMethod ?? "market";
  const machineId = parameters.machineId.toLowerCase();
  const globalAssetId = machineGlobalAssetId(parameters);
  const submodelId = carbonFootprintSubmodelIdOf(globalAssetId);
  const entries: CarbonFootprintEntry[] = [];
  const notes: string[] = [];
  for (const lot of parameters.lots) {
    const machine = lot.document.machines.find((m) => m.machineId.toLowerCase() === machineId);
    if (machine === undefined) continue;
    const mg = BigInt(
      method === "market"
        ? machine.metered.emissionsMarketMilligramsCo2e
        : machine.metered.emissionsLocationMilligramsCo2e,
    );
    entries.push({
      calculationMethods: ["GHG Protocol"],
      co2eqKg: milligramsToKilogramDecimal(mg),
      referenceUnit: "piece",
      quantity: "1",
      lifeCyclePhases: [IDTA_LIFE_CYCLE_PHASES.usageEnergyConsumption],
      publicationDate: iso(lot.mintedAtMs),
    });
    const kWh = milligramsToKilogramDecimal(BigInt(machine.metered.energyMilliWattHours));
    notes.push(
      `entry ${entries.length - 1}: lot ${lot.lotId}, ${iso(lot.document.scope.startMs)} to ${iso(lot.document.scope.endMs)}, ${kWh} kWh metered`,
    );
  }
  const submodel = buildCarbonFootprintSubmodel({
    id: submodelId,
    description: `Electricity the machine drew, per lot allocation window (${method}-based grid factors): use-phase energy, not the machine's embodied footprint.`,
    entries,
    extensions: { "ei:entries": notes.join("; "), "ei:electricityMethod": method },
  });
  const shell = buildAssetShell({
    globalAssetId,
    idShort: `Machine_${machineId.slice(2, 18)}`,
    description: `Machine ${machineId} of site ${parameters.siteId.toLowerCase()}.`,
    submodelIds: [submodelId],
    specificAssetIds: { siteId: parameters.siteId.toLowerCase(), machineId },
  });
  const environment = new aas.types.Environment([shell], [submodel]);
  const failures = verifyAasEnvironment(environment);
  if (failures.length > 0)
    throw new InvariantError("the machine's AAS fails aas-core verification", {
      details: failures.map((f) => `${f.path}: ${f.message}`).join("\n"),
    });
  return environment;
}
