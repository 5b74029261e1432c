import ukDesnz2025Fuels from "./fuelData/uk-desnz-2025-fuels.json" with { type: "json" };
import usEpaHub2024Fuels from "./fuelData/us-epa-ghg-hub-2024-fuels.json" with { type: "json" };
import { parseFuelFactorDataset } from "./parseFuelFactorDataset.ts";
import type { FuelFactorDataset } from "./parseFuelFactorDataset.ts";

let cache: FuelFactorDataset[] | undefined;

/**
 * The shipped Scope 1 fuel factor datasets, validated on first use: US EPA GHG
 * Emission Factors Hub 2024 (natural gas and propane, CO2 per scf) and UK DESNZ
 * 2025 fuels (every figure pending: not confirmed here, see its notes).
 */
export function loadShippedFuelFactorDatasets(): readonly FuelFactorDataset[] {
  cache ??= [
    parseFuelFactorDataset(usEpaHub2024Fuels, "us-epa-ghg-hub-2024-fuels"),
    parseFuelFactorDataset(ukDesnz2025Fuels, "uk-desnz-2025-fuels"),
  ];
  return cache;
}
