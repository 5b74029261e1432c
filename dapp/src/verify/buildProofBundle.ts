import { computeCid } from "@energy-intelligence/sdk/cid/index";
import { canonicalJsonBytes } from "@energy-intelligence/sdk/json/canonicalJsonBytes";
import type { VerificationReport } from "@energy-intelligence/sdk/verify/verificationReport";

export const PROOF_BUNDLE_FORMAT = "ei-proof-bundle-v1";

export interface ProofBundleInput {
  kind: "lot" | "container";
  id: string;
  chainId: number;
  verifiedAtMs: number;
  /** The contracts the checks trusted (the auditor's deployments). */
  contracts: Record<string, string>;
  report: VerificationReport & { anchor?: Record<string, string> | undefined };
  /** Documents fetched and checked against their CIDs, by CID. */
  documents: ReadonlyMap<string, Uint8Array>;
}

/**
 * What an auditor keeps: the checks as they ran, the contracts they trusted and every document
 * they read, as canonical JSON (RFC 8785) so its CID, recorded with an attestation, names exactly
 * these bytes. Documents are embedded as text (they are JSON), so the bundle reads without tools.
 */
export function buildProofBundle(input: ProofBundleInput): { bytes: Uint8Array; cid: string } {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const bundle = {
    format: PROOF_BUNDLE_FORMAT,
    subject: { kind: input.kind, id: input.id, chainId: input.chainId },
    verifiedAt: new Date(input.verifiedAtMs).toISOString(),
    contracts: input.contracts,
    result: {
      ok: input.report.ok,
      complete: input.report.complete,
      firstFailure: input.report.firstFailure?.id ?? null,
      anchor: input.report.anchor ?? null,
      checks: input.report.checks.map(({ id, ok, skipped, detail }) => ({
        id,
        ok,
        skipped,
        detail,
      })),
    },
    documents: [...input.documents.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([cid, bytes]) => ({ cid, text: decoder.decode(bytes) })),
  };
  const bytes = canonicalJsonBytes(bundle);
  return { bytes, cid: computeCid(bytes).toString() };
}
