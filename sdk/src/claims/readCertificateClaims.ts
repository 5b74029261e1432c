import type { Address, Hex, PublicClient } from "viem";
import { certificateClaimsAbi } from "../contracts/generated/abis.ts";

/** One certificate as the chain has it, and how much of it each asked-about site has claimed. */
export interface CertificateOnChain {
  key: Hex;
  /** False when no certificate is registered under the key (then every figure is 0). */
  registered: boolean;
  volumeWattHours: bigint;
  claimedWattHours: bigint;
  claimCount: number;
  /** Claimed per site, for the sites asked about. */
  claimedBySite: ReadonlyMap<Hex, bigint>;
}

/** The claims of some certificates at one block: what the pure accounting code checks against. */
export interface CertificateClaimsSnapshot {
  blockNumber: bigint | undefined;
  certificates: ReadonlyMap<Hex, CertificateOnChain>;
}

export interface ReadCertificateClaimsParameters {
  /** The CertificateClaims contract. */
  address: Address;
  keys: readonly Hex[];
  /** The sites whose own claims matter (usually the one being accounted). */
  siteIds: readonly Hex[];
  /** Read at this block (default: latest), so a report can name the state it used. */
  blockNumber?: bigint;
}

/**
 * Reads the certificates under `keys` and the claims of `siteIds` on them, at one block.
 *
 * @example
 * ```ts
 * const snapshot = await readCertificateClaims(publicClient, { address, keys: [key], siteIds: [siteId] });
 * snapshot.certificates.get(key)?.claimedWattHours;
 * ```
 */
export async function readCertificateClaims(
  client: PublicClient,
  parameters: ReadCertificateClaimsParameters,
): Promise<CertificateClaimsSnapshot> {
  const { address, keys, siteIds, blockNumber } = parameters;
  const at = blockNumber === undefined ? {} : { blockNumber };
  const certificates = new Map<Hex, CertificateOnChain>();
  for (const key of keys) {
    const cert = await client.readContract({
      address,
      abi: certificateClaimsAbi,
      functionName: "certificate",
      args: [key],
      ...at,
    });
    const claimedBySite = new Map<Hex, bigint>();
    for (const siteId of siteIds) {
      claimedBySite.set(
        siteId,
        await client.readContract({
          address,
          abi: certificateClaimsAbi,
          functionName: "claimedBySite",
          args: [key, siteId],
          ...at,
        }),
      );
    }
    certificates.set(key, {
      key,
      registered: cert.volumeWattHours > 0n,
      volumeWattHours: cert.volumeWattHours,
      claimedWattHours: cert.claimedWattHours,
      claimCount: cert.claimCount,
      claimedBySite,
    });
  }
  return { blockNumber, certificates };
}

/** A snapshot that knows no certificate: for accounting without a chain (every status is unregistered). */
export function emptyClaimsSnapshot(): CertificateClaimsSnapshot {
  return { blockNumber: undefined, certificates: new Map() };
}
