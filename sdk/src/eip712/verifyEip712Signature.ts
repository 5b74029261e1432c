import type { Address, Hex, PublicClient } from "viem";
import { verifyTypedData } from "viem/actions";
import type { InvalidInputError } from "../errors/index.ts";
import { assertEnergyTypedData } from "./assertEnergyTypedData.ts";
import type { EnergyTypedData } from "./messageTypes.ts";
import { toViemTypedData } from "./toViemTypedData.ts";

export type VerifyEip712SignatureErrorType = InvalidInputError;

export interface VerifyEip712SignatureParameters {
  /** A client of the chain where the signer lives (for contract signers). */
  client: PublicClient;
  typedData: EnergyTypedData;
  /** The account that should have signed: an EOA or a contract wallet. */
  signer: Address;
  signature: Hex;
}

/**
 * Whether `signer` signed the typed data, whatever kind of account it is:
 * an EOA (ecrecover), a deployed contract wallet (ERC-1271
 * `isValidSignature`, as OpenZeppelin's SignatureChecker does on chain), or a
 * not-yet-deployed one (ERC-6492), through viem's verifyTypedData action.
 *
 * @throws {InvalidInputError} when the typed data is invalid.
 * @example
 * ```ts
 * const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
 * await verifyEip712Signature({ client: publicClient, typedData, signer: safeAddress, signature });
 * ```
 */
export async function verifyEip712Signature(
  parameters: VerifyEip712SignatureParameters,
): Promise<boolean> {
  const { client, typedData, signer, signature } = parameters;
  assertEnergyTypedData(typedData);
  return verifyTypedData(client, { ...toViemTypedData(typedData), address: signer, signature });
}
