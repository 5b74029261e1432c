import type { Hex } from "viem";
import { keccak256, stringToHex } from "viem";
import type { Eip712Types } from "./assertTypedMessage.ts";
import { eip712TypeString } from "./eip712TypeString.ts";

/**
 * keccak256 of a struct's EIP-712 type string: the TYPEHASH a Solidity
 * contract declares. Tests compare it with the contracts' constants.
 *
 * @throws {InvariantError} when the primary type is not defined.
 * @example
 * ```ts
 * eip712TypeHash(jobStampTypes, "JobStamp"); // "0x…" (docs/formats.md lists each)
 * ```
 */
export function eip712TypeHash(types: Eip712Types, primaryType: string): Hex {
  return keccak256(stringToHex(eip712TypeString(types, primaryType)));
}
