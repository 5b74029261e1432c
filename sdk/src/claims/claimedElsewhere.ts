import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { certificateKey, type CertificateIdentity } from "./certificateKey.ts";
import type { CertificateClaimsSnapshot } from "./readCertificateClaims.ts";

/** What the chain says about one certificate, from one site's point of view. */
export interface CertificateClaimStatus {
  key: Hex;
  /** False: the certificate is not on chain at all (nothing can have been claimed). */
  registered: boolean;
  volumeWattHours: bigint;
  /** Claimed in total, by every site and company. */
  claimedWattHours: bigint;
  /** Claimed by the asking site, over all its claims. */
  claimedBySiteWattHours: bigint;
  /** claimedWattHours − claimedBySiteWattHours: what other sites use. */
  claimedElsewhereWattHours: bigint;
}

/** The check the market-based engine calls; pure and synchronous. */
export type ClaimedElsewhere = (
  certificate: CertificateIdentity,
  siteId: Hex,
) => CertificateClaimStatus;

/**
 * The ClaimedElsewhere check over a snapshot read with readCertificateClaims. A certificate the snapshot
 * does not hold answers `registered: false` with zeros; a site it was not read for is an error (it would
 * otherwise count the site's own claims as someone else's).
 *
 * @throws {InvalidInputError} when the snapshot holds the certificate but not the site's claims.
 * @example
 * ```ts
 * const check = claimedElsewhereFromSnapshot(snapshot);
 * check({ scheme: "AIB-EECS", certificateId: "GO-1" }, siteId).claimedElsewhereWattHours; // 3_500_000n
 * ```
 */
export function claimedElsewhereFromSnapshot(
  snapshot: CertificateClaimsSnapshot,
): ClaimedElsewhere {
  return (certificate, siteId) => {
    const key = certificateKey(certificate);
    const onChain = snapshot.certificates.get(key);
    if (!onChain?.registered) {
      return {
        key,
        registered: false,
        volumeWattHours: 0n,
        claimedWattHours: 0n,
        claimedBySiteWattHours: 0n,
        claimedElsewhereWattHours: 0n,
      };
    }
    const bySite = onChain.claimedBySite.get(siteId);
    if (bySite === undefined) {
      throw new InvalidInputError("siteId", `the claims snapshot was not read for site ${siteId}`, {
        hints: ["pass the site in readCertificateClaims' siteIds"],
      });
    }
    return {
      key,
      registered: true,
      volumeWattHours: onChain.volumeWattHours,
      claimedWattHours: onChain.claimedWattHours,
      claimedBySiteWattHours: bySite,
      claimedElsewhereWattHours: onChain.claimedWattHours - bySite,
    };
  };
}
