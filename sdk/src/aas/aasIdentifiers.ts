import { getAddress } from "viem";
import type { Hex } from "viem";

/** Global asset id of a product lot: the same URN the PACT footprint lists in `productIds`. */
export function lotGlobalAssetId(lot: { chainId: number; contract: Hex; lotId: bigint }): string {
  return `urn:ei:lot:${lot.chainId}:${getAddress(lot.contract).toLowerCase()}:${lot.lotId}`;
}

/** Global asset id of a machine: its registry id under its site. */
export function machineGlobalAssetId(machine: { siteId: Hex; machineId: Hex }): string {
  return `urn:ei:machine:${machine.siteId.toLowerCase()}:${machine.machineId.toLowerCase()}`;
}

/** The shell's own id (`urn:ei:aas:` + the asset's id after `urn:ei:`). */
export function shellIdOf(globalAssetId: string): string {
  return `urn:ei:aas:${globalAssetId.replace(/^urn:ei:/u, "")}`;
}

/** The Carbon Footprint submodel's id of a shell. */
export function carbonFootprintSubmodelIdOf(globalAssetId: string): string {
  return `${shellIdOf(globalAssetId)}:carbon-footprint`;
}
