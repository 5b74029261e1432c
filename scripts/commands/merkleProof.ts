import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseIndexOption } from "../cli/parseIndexOption.ts";

const argsSchema = z.tuple([z.string().min(1)]);

/** `ei merkle proof <file> --index N`: the proof of one leaf, with its value and leaf hash. */
export const merkleProofCommand: CliCommand = {
  name: "proof",
  description: "print the Merkle proof of one leaf, with its value and leaf hash",
  configure: (command) => {
    command
      .argument("<file>", "the same input as `ei merkle root`")
      .requiredOption("--index <n>", "the leaf's position in values, from 0")
      .addHelpText(
        "after",
        "\nThe proof line can be passed as is to `ei merkle verify --proof`.\n" +
          'With --json: {"root", "index", "value", "leafHash", "proof": [...]} (also accepted by --proof-file).',
      );
  },
  action: async (context, args, options) => {
    const [file] = argsSchema.parse(args);
    // Loaded on use, so other commands (and --help) do not pay for the Merkle code.
    const { readMerkleInput } = await import("../cli/readMerkleInput.ts");
    const input = await readMerkleInput(file);
    const index = parseIndexOption(options.index, input.values.length);
    const tree = input.tree();
    const result = {
      root: tree.root,
      index,
      value: input.values[index],
      leafHash: tree.getLeafHash(index),
      proof: tree.getProof(index),
    };
    context.print(
      result,
      [
        `root: ${result.root}`,
        `index: ${index}`,
        `value: ${JSON.stringify(result.value)}`,
        `leaf: ${result.leafHash}`,
        `proof: ${result.proof.join(",")}`,
      ].join("\n"),
    );
    return ExitCode.ok;
  },
};
