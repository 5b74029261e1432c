import {
  BaseError as ViemBaseError,
  ContractFunctionRevertedError,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { certificateClaimsAbi } from "../contracts/generated/abis.ts";
import { BaseError } from "../errors/index.ts";

export interface ClaimCertificateParameters {
  /** The CertificateClaims contract. */
  address: Address;
  /** The certificate's key (certificateKey). */
  key: Hex;
  /** The consuming site; the caller must manage it or be its oracle. */
  siteId: Hex;
  volumeWattHours: bigint;
  /** The consumption period the claim covers, Unix seconds, half-open. */
  periodStart: number;
  periodEnd: number;
}
export interface ClaimCertificateReturnType {
  hash: Hex;
  remainingWattHours: bigint;
}
export type ClaimCertificateErrorType = CertificateVolumeExceededError;

/** The certificate has less left than the claim asks: claimed already, by this or another site. */
export class CertificateVolumeExceededError extends BaseError {
  override name = "CertificateVolumeExceededError";
  readonly key: Hex;
  readonly requestedWattHours: bigint;
  readonly remainingWattHours: bigint;

  constructor(key: Hex, requestedWattHours: bigint, remainingWattHours: bigint, cause: unknown) {
    super(
      `certificate ${key} has ${remainingWattHours} Wh left, the claim asks ${requestedWattHours} Wh`,
      {
        details: "a certificate's claims, across all sites and companies, never exceed its volume",
        hints: ["claim at most the remaining volume, or use another certificate"],
        cause,
      },
    );
    this.key = key;
    this.requestedWattHours = requestedWattHours;
    this.remainingWattHours = remainingWattHours;
  }
}

/**
 * Claims part or all of a certificate's remaining volume for a site. Simulates first: a claim beyond what
 * is left throws CertificateVolumeExceededError (nothing is sent); any other revert throws viem's decoded
 * contract error (Claims_NotSiteClaimant, Claims_UnknownCertificate, …). Waits for the receipt.
 *
 * @example
 * ```ts
 * const { remainingWattHours } = await claimCertificate(publicClient, walletClient, {
 *   address, key, siteId, volumeWattHours: 6_500_000n, periodStart, periodEnd,
 * });
 * ```
 */
export async function claimCertificate(
  publicClient: PublicClient,
  walletClient: WalletClient<Transport, Chain | undefined, Account>,
  parameters: ClaimCertificateParameters,
): Promise<ClaimCertificateReturnType> {
  const { address, key, siteId, volumeWattHours, periodStart, periodEnd } = parameters;
  let simulated;
  try {
    simulated = await publicClient.simulateContract({
      address,
      abi: certificateClaimsAbi,
      functionName: "claim",
      args: [key, siteId, volumeWattHours, periodStart, periodEnd],
      account: walletClient.account,
    });
  } catch (error) {
    const reverted =
      error instanceof ViemBaseError
        ? error.walk((e) => e instanceof ContractFunctionRevertedError)
        : null;
    if (
      reverted instanceof ContractFunctionRevertedError &&
      reverted.data?.errorName === "Claims_VolumeExceeded"
    ) {
      const [, requested, remaining] = reverted.data.args as readonly [Hex, bigint, bigint];
      throw new CertificateVolumeExceededError(key, requested, remaining, error);
    }
    throw error;
  }
  const hash = await walletClient.writeContract(simulated.request);
  await publicClient.waitForTransactionReceipt({ hash });
  return { hash, remainingWattHours: simulated.result };
}
