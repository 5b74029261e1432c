import type { TypedDataDefinition } from "viem";
import type { EnergyTypedData } from "./messageTypes.ts";

/** viem's loosely typed form of a typed-data definition (its `Record<string, unknown>` variant). */
export type ViemTypedData = TypedDataDefinition<Record<string, unknown>, string>;

/**
 * Hands our typed data to viem. Each of our three definitions type-checks
 * against viem on its own; their union does not fit viem's generics, so the
 * union goes through viem's untyped-record overload. Validation happens
 * before, in assertEnergyTypedData, and viem validates again.
 *
 * @example
 * ```ts
 * hashTypedData(toViemTypedData(typedData));
 * ```
 */
export function toViemTypedData(typedData: EnergyTypedData): ViemTypedData {
  return {
    domain: typedData.domain,
    types: typedData.types,
    primaryType: typedData.primaryType,
    message: typedData.message as unknown as Record<string, unknown>,
  };
}
