import type { Address, Hex } from "viem";
import { isAddressEqual } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import type { EnergyTypedData } from "./messageTypes.ts";
import { recoverEip712Signer } from "./recoverEip712Signer.ts";

export type VerifyEoaEip712SignatureErrorType = InvalidInputError;

export interface VerifyEoaEip712SignatureParameters {
  typedData: EnergyTypedData;
  /** The account that should have signed. */
  signer: Address;
  signature: Hex;
}

/**
 * Whether an externally owned account (a private key) signed the typed data:
 * pure, no chain access. A well-formed signature by anyone else, or a
 * non-canonical (high-s) one, gives false. Contract signers need
 * verifyEip712Signature with a client.
 *
 * @throws {InvalidInputError} when the typed data is invalid or the signature is not 65 bytes of hex.
 * @example
 * ```ts
 * await verifyEoaEip712Signature({ typedData, signer: account.address, signature }); // true
 * ```
 */
export async function verifyEoaEip712Signature(
  parameters: VerifyEoaEip712SignatureParameters,
): Promise<boolean> {
  try {
    const recovered = await recoverEip712Signer(parameters);
    return isAddressEqual(recovered, parameters.signer);
  } catch (error) {
    // A high-s twin or a bad v is a signature that does not verify, not bad input.
    if (
      error instanceof InvalidInputError &&
      error.path === "signature" &&
      !error.shortMessage.includes("65 bytes")
    )
      return false;
    throw error;
  }
}
