import { z } from "zod";
import { InvalidInputError } from "@energy-intelligence/sdk/errors/index";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseIndexOption } from "../cli/parseIndexOption.ts";
import { readJsonFile } from "../cli/readJsonFile.ts";
import { zodUsageError } from "../cli/withInputFile.ts";

const argsSchema = z.tuple([z.string().min(1)]);
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/u, "must be a 32-byte 0x-hex hash");
/** A proof file: a JSON array of hashes, or `ei merkle proof --json` output. */
const proofFileSchema = z.union([z.array(hash), z.looseObject({ proof: z.array(hash) })]);

function parseProofList(text: string): `0x${string}`[] {
  const items = text.trim() === "" ? [] : text.split(",").map((item) => item.trim());
  return items.map((item, position) => {
    const parsed = hash.safeParse(item);
    if (!parsed.success)
      throw new CliUsageError(
        `--proof item ${position}: ${JSON.stringify(item.slice(0, 70))} is not a 32-byte 0x-hex hash`,
        "Pass the hashes printed by `ei merkle proof`, separated by commas.",
      );
    return parsed.data as `0x${string}`;
  });
}

async function readProof(options: Readonly<Record<string, unknown>>): Promise<`0x${string}`[]> {
  const { proof, proofFile } = options;
  if ((proof === undefined) === (proofFile === undefined))
    throw new CliUsageError(
      "give exactly one of --proof and --proof-file",
      'Use --proof 0xab…,0xcd… (empty "" for a one-leaf tree) or --proof-file proof.json.',
    );
  if (typeof proof === "string") return parseProofList(proof);
  const file = String(proofFile);
  const parsed = proofFileSchema.safeParse(await readJsonFile(file));
  if (!parsed.success)
    throw zodUsageError(
      file,
      parsed.error,
      "The proof file must be a JSON array of hashes or `ei --json merkle proof` output.",
    );
  return (Array.isArray(parsed.data) ? parsed.data : parsed.data.proof) as `0x${string}`[];
}

/** `ei merkle verify <file> --root R --index N --proof …`: exit 0 when the proof holds, 1 when not. */
export const merkleVerifyCommand: CliCommand = {
  name: "verify",
  description: "check that a leaf of the file is in the tree with a given root (exit 0 yes, 1 no)",
  configure: (command) => {
    command
      .argument("<file>", "the same input as `ei merkle root`; only the leaf at --index is used")
      .requiredOption("--root <hash>", "the root to check against (e.g. read from chain)")
      .requiredOption("--index <n>", "the leaf's position in values, from 0")
      .option("--proof <hashes>", "the proof: comma-separated 32-byte hashes, leaf to root")
      .option(
        "--proof-file <file>",
        "the proof as a JSON array, or `ei --json merkle proof` output",
      )
      .addHelpText(
        "after",
        '\nWith --json: {"valid", "root", "index", "leafHash"}. Exit 0 valid, 1 invalid, 2 bad input.',
      );
  },
  action: async (context, args, options) => {
    const [file] = argsSchema.parse(args);
    const root = hash.safeParse(options.root);
    if (!root.success)
      throw new CliUsageError(
        `--root must be a 32-byte 0x-hex hash, got ${JSON.stringify(options.root)}`,
        "Pass the root printed by `ei merkle root` or stored on chain.",
      );
    const proof = await readProof(options);
    // Loaded on use, so other commands (and --help) do not pay for the Merkle code.
    const { readMerkleInput } = await import("../cli/readMerkleInput.ts");
    const { hashMerkleLeaf, verifyMerkleProof } =
      await import("@energy-intelligence/sdk/merkle/index");
    const input = await readMerkleInput(file);
    const index = parseIndexOption(options.index, input.values.length);
    const value = input.values[index] ?? [];
    // Only the leaf is needed: no need to build the whole tree.
    let leafHash: `0x${string}`;
    try {
      leafHash = hashMerkleLeaf(input.types, value);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // hashMerkleLeaf calls the leaf "value"; name the file's row instead.
      throw new CliUsageError(
        `${file}: ${error.shortMessage.replace(/^value/u, `values[${index}]`)}`,
        error.hints[0] ?? "Fix that field in the file and run the command again.",
        { cause: error },
      );
    }
    const valid = verifyMerkleProof(root.data as `0x${string}`, leafHash, proof);
    context.print({ valid, root: root.data, index, leafHash }, valid ? "valid" : "invalid");
    return valid ? ExitCode.ok : ExitCode.checkFailed;
  },
};
