import type { Hex } from "viem";
import { hashTypedData } from "viem";
import type { InvalidInputError } from "../errors/index.ts";
import { assertEnergyTypedData } from "./assertEnergyTypedData.ts";
import type { EnergyTypedData } from "./messageTypes.ts";
import { toViemTypedData } from "./toViemTypedData.ts";

export type HashEip712TypedDataErrorType = InvalidInputError;

/**
 * The EIP-712 digest `keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message))`:
 * what is actually signed, and what a contract's `_hashTypedDataV4` returns.
 *
 * @throws {InvalidInputError} when the typed data is not valid (see assertEnergyTypedData).
 * @example
 * ```ts
 * hashEip712TypedData(buildFootprintTypedData({ domain, footprint })); // "0x…32 bytes"
 * ```
 */
export function hashEip712TypedData(typedData: EnergyTypedData): Hex {
  assertEnergyTypedData(typedData);
  return hashTypedData(toViemTypedData(typedData));
}
