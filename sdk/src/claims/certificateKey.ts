import { encodeAbiParameters, keccak256, type Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";

/** An energy attribute certificate's identity: the scheme that issued it and the id it gave. */
export interface CertificateIdentity {
  /** The issuing registry or scheme, e.g. "AIB-EECS" (EU guarantee of origin), "I-REC", "M-RETS", "PPA". */
  scheme: string;
  /** The id the scheme gave the certificate (serial number or range). */
  certificateId: string;
}
export type CertificateKeyReturnType = Hex;
export type CertificateKeyErrorType = InvalidInputError;

/**
 * The key of a certificate in CertificateClaims: `keccak256(abi.encode(scheme, certificateId))`, the same
 * as the contract's `certificateKey`. The same serial number in two schemes gives two keys.
 *
 * @throws {InvalidInputError} when the scheme or the id is empty.
 * @example
 * ```ts
 * certificateKey({ scheme: "AIB-EECS", certificateId: "GO-DE-2026-01-WIND-000123" }); // "0x…"
 * ```
 */
export function certificateKey(certificate: CertificateIdentity): CertificateKeyReturnType {
  if (certificate.scheme.length === 0) {
    throw new InvalidInputError("scheme", "a certificate's scheme must not be empty");
  }
  if (certificate.certificateId.length === 0) {
    throw new InvalidInputError("certificateId", "a certificate's id must not be empty");
  }
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "string" }],
      [certificate.scheme, certificate.certificateId],
    ),
  );
}
