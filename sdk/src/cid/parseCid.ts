import { CID } from "multiformats/cid";
import { base32 } from "multiformats/bases/base32";
import { base36 } from "multiformats/bases/base36";
import { base58btc } from "multiformats/bases/base58";
import { InvalidInputError } from "../errors/index.ts";

export type ParseCidErrorType = InvalidInputError;

// Multibase decoders for the encodings IPFS tools print: base32 (CIDv1 default),
// base58btc (CIDv0 "Qm…" and "z…"), base36 (IPNS-style "k…").
const decoder = base32.decoder.or(base58btc.decoder).or(base36.decoder);

/**
 * Parses a CID string, v0 ("Qm…") or v1 in base32, base58btc or base36.
 *
 * @param text - the CID as printed by `ipfs add` or a gateway.
 * @param path - how an error names the field holding the CID (default `cid`).
 * @throws {InvalidInputError} when the text is not a CID.
 * @example
 * ```ts
 * const cid = parseCid("bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq");
 * cid.code; // 0x55 (raw)
 * ```
 */
export function parseCid(text: string, path = "cid"): CID {
  const trimmed = text.trim();
  try {
    // CIDv0 has no multibase prefix; CID.parse handles it only without a decoder.
    return trimmed.startsWith("Qm") ? CID.parse(trimmed) : CID.parse(trimmed, decoder);
  } catch (cause) {
    throw new InvalidInputError(path, `not a CID: ${JSON.stringify(text.slice(0, 80))}`, {
      details: cause instanceof Error ? cause.message : undefined,
      hints: ["A CID looks like bafy… or bafk… (v1) or Qm… (v0)."],
      cause,
    });
  }
}
