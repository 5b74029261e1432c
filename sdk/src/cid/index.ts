export {
  DAG_PB_CODEC,
  RAW_CODEC,
  SHA2_256_CODE,
  UNIXFS_CHUNK_SIZE_BYTES,
  UNIXFS_MAX_LINKS_PER_NODE,
} from "./constants.ts";
export { cidFromBytes } from "./cidFromBytes.ts";
export type { CidFromBytesErrorType } from "./cidFromBytes.ts";
export { cidToBytes } from "./cidToBytes.ts";
export { cidToHex } from "./cidToHex.ts";
export { computeCid } from "./computeCid.ts";
export { computeUnixfsBlocks } from "./computeUnixfsBlocks.ts";
export type {
  ComputeUnixfsBlocksOptions,
  ComputeUnixfsBlocksReturnType,
  Sha256,
  UnixfsBlock,
} from "./computeUnixfsBlocks.ts";
export { formatCid } from "./formatCid.ts";
export { parseCid } from "./parseCid.ts";
export type { ParseCidErrorType } from "./parseCid.ts";
export type { CID } from "multiformats/cid";
