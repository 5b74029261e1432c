import type { CID } from "multiformats/cid";

/**
 * The binary CID: version varint, codec varint, then the multihash (code,
 * length, digest). This is what the on-chain container header's `cid` field
 * and the EIP-712 `bytes cid` fields hold, so the codec travels with the
 * digest. A CIDv1 sha2-256 CID is 36 bytes.
 *
 * @example
 * ```ts
 * cidToBytes(parseCid("bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"));
 * // Uint8Array [0x01, 0x55, 0x12, 0x20, …32 digest bytes]
 * ```
 */
export function cidToBytes(cid: CID): Uint8Array {
  // A copy: CID.bytes is shared with the CID object, which must stay immutable.
  return cid.bytes.slice();
}
