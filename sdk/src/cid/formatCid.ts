import type { CID } from "multiformats/cid";

/**
 * The canonical text of a CID: base32 lower case for CIDv1 (`bafy…`,
 * `bafk…`), base58btc for CIDv0 (`Qm…`), as Kubo prints them.
 *
 * @example
 * ```ts
 * formatCid(computeCid(new TextEncoder().encode("hello")));
 * // "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
 * ```
 */
export function formatCid(cid: CID): string {
  return cid.toString();
}
