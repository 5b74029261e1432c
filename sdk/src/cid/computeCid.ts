import type { CID } from "multiformats/cid";
import type { ComputeUnixfsBlocksOptions } from "./computeUnixfsBlocks.ts";
import { computeUnixfsBlocks } from "./computeUnixfsBlocks.ts";

/**
 * The CID `ipfs add --cid-version=1` gives these bytes: CIDv1, sha2-256,
 * UnixFS with raw leaves, 256 KiB chunks, balanced layout of 174 links (see
 * {@link computeUnixfsBlocks}). The CID is returned whole (version, codec and
 * multihash), never as a bare digest: a raw CID and a dag-pb CID with the same
 * digest are different content.
 *
 * @param options - `sha256`: a faster native SHA-256 where the runtime has one.
 * @example
 * ```ts
 * computeCid(new TextEncoder().encode("hello")).toString();
 * // "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
 * ```
 */
export function computeCid(bytes: Uint8Array, options: ComputeUnixfsBlocksOptions = {}): CID {
  return computeUnixfsBlocks(bytes, options).cid;
}
