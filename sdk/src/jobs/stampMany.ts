import type { Account, Address, Hex, PublicClient, WalletClient } from "viem";
import { jobStampsAbi } from "../contracts/generated/abis.ts";
import { InvalidInputError } from "../errors/index.ts";
import type { JobStampsError } from "./JobStampsError.ts";
import { decodeJobStampsError } from "./decodeJobStampsError.ts";
import type { SignedJobStamp } from "./signJobStamp.ts";

export type StampManyErrorType = JobStampsError | InvalidInputError;

export interface StampManyCallParameters {
  address: Address;
  /** Applied in order, all or nothing: a start before its stop. */
  stamps: readonly SignedJobStamp[];
}

export interface StampManyParameters extends StampManyCallParameters {
  publicClient: PublicClient;
  /** Any account pays the gas: relayers are not trusted, the signatures are. */
  walletClient: WalletClient;
  account?: Account | Address;
  /** Gas limit; estimated (by the simulation) when omitted. */
  gas?: bigint;
}

/**
 * The `stampMany` call for a batch of signed stamps, for wagmi or viem.
 *
 * @throws {InvalidInputError} for an empty batch.
 * @example
 * ```ts
 * const data = encodeFunctionData(stampManyCall({ address, stamps }));
 * ```
 */
export function stampManyCall(parameters: StampManyCallParameters) {
  if (parameters.stamps.length === 0)
    throw new InvalidInputError("stamps", "a batch needs at least one stamp");
  return {
    address: parameters.address,
    abi: jobStampsAbi,
    functionName: "stampMany",
    args: [
      parameters.stamps.map((signed) => ({
        stamp: signed.stamp,
        signer: signed.signer,
        signature: signed.signature,
      })),
    ],
  } as const;
}

/**
 * Relays a batch of signed stamps in one transaction: simulate (so a bad stamp
 * is named before gas is spent), then send.
 *
 * @returns the transaction hash.
 * @throws {JobStampsError} naming the contract's refusal (bad signature, replayed nonce, not started…).
 * @example
 * ```ts
 * const hash = await stampMany({ publicClient, walletClient, address, stamps: [signedStart, signedStop] });
 * ```
 */
export async function stampMany(parameters: StampManyParameters): Promise<Hex> {
  const account = parameters.account ?? parameters.walletClient.account;
  if (account === undefined) throw new TypeError("stampMany: the wallet client has no account");
  const call = stampManyCall(parameters);
  try {
    const { request } = await parameters.publicClient.simulateContract({ ...call, account });
    return await parameters.walletClient.writeContract({
      ...request,
      account,
      chain: parameters.walletClient.chain ?? parameters.publicClient.chain,
      ...(parameters.gas === undefined ? {} : { gas: parameters.gas }),
    });
  } catch (error) {
    throw decodeJobStampsError(error) ?? error;
  }
}
