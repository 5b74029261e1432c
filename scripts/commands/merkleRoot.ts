import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";

const argsSchema = z.tuple([z.string().min(1)]);

/** `ei merkle root <file>`: the root StandardMerkleTree.of(values, types) would give. */
export const merkleRootCommand: CliCommand = {
  name: "root",
  description:
    "print the Merkle root of the leaves in a file (same as OpenZeppelin's StandardMerkleTree)",
  configure: (command) => {
    command
      .argument(
        "<file>",
        'JSON {"types": [...], "values": [[...], ...]} or a StandardMerkleTree dump; - for stdin',
      )
      .addHelpText("after", '\nWith --json: {"root", "leafCount", "types"}.');
  },
  action: async (context, args) => {
    const [file] = argsSchema.parse(args);
    // Loaded on use, so other commands (and --help) do not pay for the Merkle code.
    const { readMerkleInput } = await import("../cli/readMerkleInput.ts");
    const input = await readMerkleInput(file);
    const tree = input.tree();
    context.print({ root: tree.root, leafCount: tree.length, types: input.types }, tree.root);
    return ExitCode.ok;
  },
};
