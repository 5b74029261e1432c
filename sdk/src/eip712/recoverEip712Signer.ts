import type { Address, Hex } from "viem";
import { recoverTypedDataAddress } from "viem";
import type { InvalidInputError } from "../errors/index.ts";
import { assertEnergyTypedData } from "./assertEnergyTypedData.ts";
import { assertEoaSignature } from "./assertEoaSignature.ts";
import type { EnergyTypedData } from "./messageTypes.ts";
import { toViemTypedData } from "./toViemTypedData.ts";

export type RecoverEip712SignerErrorType = InvalidInputError;

export interface RecoverEip712SignerParameters {
  typedData: EnergyTypedData;
  signature: Hex;
}

/**
 * The address of the key that made an EOA signature over the typed data, with
 * no chain access. Only canonical (low-s) 65-byte signatures are accepted,
 * as OpenZeppelin's ECDSA does on chain, so a signature recovers here exactly
 * when it would there. Compare the result with the expected signer; for
 * contract signers (ERC-1271) use verifyEip712Signature with a client.
 *
 * @throws {InvalidInputError} for malformed or non-canonical signatures or invalid typed data.
 * @example
 * ```ts
 * const signer = await recoverEip712Signer({ typedData, signature });
 * ```
 */
export async function recoverEip712Signer(
  parameters: RecoverEip712SignerParameters,
): Promise<Address> {
  assertEnergyTypedData(parameters.typedData);
  assertEoaSignature(parameters.signature);
  return recoverTypedDataAddress({
    ...toViemTypedData(parameters.typedData),
    signature: parameters.signature,
  });
}
