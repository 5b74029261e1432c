/**
 * Kubo's defaults for `ipfs add --cid-version=1`, which our CIDs reproduce so
 * that an auditor with a stock IPFS node gets the same CID for the same bytes.
 */

/** Fixed chunk size (`--chunker=size-262144`). */
export const UNIXFS_CHUNK_SIZE_BYTES = 262_144;

/** Most links in one node of the balanced DAG layout (Kubo's `DefaultLinksPerBlock`). */
export const UNIXFS_MAX_LINKS_PER_NODE = 174;

/** Multicodec code of raw leaves (`--raw-leaves`, implied by CIDv1). */
export const RAW_CODEC = 0x55;

/** Multicodec code of dag-pb, the codec of UnixFS nodes with links. */
export const DAG_PB_CODEC = 0x70;

/** Multihash code of sha2-256. */
export const SHA2_256_CODE = 0x12;
