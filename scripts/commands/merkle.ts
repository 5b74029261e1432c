import type { CliCommand } from "../cli/command.ts";
import { merkleProofCommand } from "./merkleProof.ts";
import { merkleRootCommand } from "./merkleRoot.ts";
import { merkleVerifyCommand } from "./merkleVerify.ts";

/** `ei merkle root|proof|verify`: trees in OpenZeppelin's StandardMerkleTree format. */
export const merkleCommand: CliCommand = {
  name: "merkle",
  description: "Merkle roots, proofs and proof checks (OpenZeppelin StandardMerkleTree format)",
  subcommands: [merkleRootCommand, merkleProofCommand, merkleVerifyCommand],
};
