import type { Account, Address, Hex, LocalAccount, WalletClient } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { buildJobStampTypedData } from "../eip712/buildJobStampTypedData.ts";
import type { Eip712Domain, JobStamp } from "../eip712/messageTypes.ts";
import { signEip712TypedData } from "../eip712/signEip712TypedData.ts";

export type SignJobStampErrorType = InvalidInputError;

/** A stamp with its signer and signature: one element of `stampMany`. */
export interface SignedJobStamp {
  stamp: JobStamp;
  signer: Address;
  signature: Hex;
}

export interface SignJobStampParameters {
  /** The JobStamps domain: `eip712Domain({ chainId, verifyingContract: jobStampsAddress })`. */
  domain: Eip712Domain;
  stamp: JobStamp;
  /** An operator's or the site gateway's key (local account), or a wallet client. */
  signer: LocalAccount | WalletClient;
  account?: Account | Address;
}

/**
 * Signs a job stamp (EIP-712 `JobStamp`) for relaying through `stampMany`.
 * Operators sign their own stamps (a relay channel); the site gateway signs on
 * a web2 user's behalf (api, sms, portal channels).
 *
 * @throws {InvalidInputError} for invalid stamp fields or a wallet client without account.
 * @example
 * ```ts
 * const signed = await signJobStamp({ domain, stamp: { jobId, siteId, action: StampAction.start, machineIds, productId, units: 0n, time, channel: StampChannel.relay, nonce: 7n }, signer: operatorAccount });
 * ```
 */
export async function signJobStamp(parameters: SignJobStampParameters): Promise<SignedJobStamp> {
  const typedData = buildJobStampTypedData({ domain: parameters.domain, stamp: parameters.stamp });
  const signer = parameters.signer;
  let address: Address;
  if (!("request" in signer)) address = signer.address;
  else {
    const account = parameters.account ?? signer.account;
    if (account === undefined)
      throw new InvalidInputError("account", "the wallet client has no account");
    address = typeof account === "string" ? account : account.address;
  }
  const signature = await signEip712TypedData({
    signer,
    typedData,
    ...(parameters.account === undefined ? {} : { account: parameters.account }),
  });
  return { stamp: parameters.stamp, signer: address, signature };
}
