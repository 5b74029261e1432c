export { buildMerkleTree } from "./buildMerkleTree.ts";
export type {
  BuildMerkleTreeErrorType,
  BuildMerkleTreeParameters,
  BuildMerkleTreeReturnType,
} from "./buildMerkleTree.ts";
export { hashMerkleLeaf } from "./hashMerkleLeaf.ts";
export type {
  HashMerkleLeafErrorType,
  HashMerkleLeafParameters,
  HashMerkleLeafReturnType,
} from "./hashMerkleLeaf.ts";
export { loadMerkleTree } from "./loadMerkleTree.ts";
export type {
  LoadMerkleTreeErrorType,
  LoadMerkleTreeParameters,
  LoadMerkleTreeReturnType,
} from "./loadMerkleTree.ts";
export { verifyMerkleProof } from "./verifyMerkleProof.ts";
export type {
  VerifyMerkleProofErrorType,
  VerifyMerkleProofParameters,
  VerifyMerkleProofReturnType,
} from "./verifyMerkleProof.ts";
export { verifyMerkleMultiProof } from "./verifyMerkleMultiProof.ts";
export type {
  VerifyMerkleMultiProofErrorType,
  VerifyMerkleMultiProofParameters,
  VerifyMerkleMultiProofReturnType,
} from "./verifyMerkleMultiProof.ts";
export { MerkleTree } from "./MerkleTree.ts";
export { UnsupportedMerkleFormatError } from "./errors.ts";
export { keccak256Into } from "./keccak256Into.ts";
export type {
  Hex,
  LeafEncoding,
  LeafValue,
  MerkleMultiProof,
  MerkleMultiProofOfHashes,
  StandardMerkleTreeDump,
} from "./types.ts";
