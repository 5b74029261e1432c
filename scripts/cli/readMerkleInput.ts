import { z } from "zod";
import { buildMerkleTree, loadMerkleTree } from "@energy-intelligence/sdk/merkle/index";
import type { MerkleTree } from "@energy-intelligence/sdk/merkle/index";
import { CliUsageError } from "./errors.ts";
import { readJsonFile } from "./readJsonFile.ts";
import { withInputFile, zodUsageError } from "./withInputFile.ts";

/** `{"types": [...], "values": [[...], ...]}`: the arguments of `StandardMerkleTree.of(values, types)`. */
const valuesFileSchema = z.strictObject({
  types: z.array(z.string().min(1, "an ABI type cannot be empty")).min(1, "list at least one type"),
  values: z.array(z.array(z.unknown())).min(1, "list at least one leaf"),
});

/** A `StandardMerkleTree.dump()` (format "standard-v1"); loadMerkleTree checks the rest. */
const dumpFileSchema = z.looseObject({ format: z.literal("standard-v1") });

const SHAPE_HINT =
  'The file must be {"types": ["bytes32", "uint64", ...], "values": [[...], ...]} ' +
  "(uints as decimal strings when above 2^53) or a StandardMerkleTree dump.";

export interface MerkleInput {
  types: readonly string[];
  /** The leaf values, in input order. */
  values: readonly (readonly unknown[])[];
  /** The tree, built (or loaded from a dump) only when asked for. */
  tree: () => MerkleTree;
}

/**
 * JSON numbers above 2^53 have already lost digits when JSON.parse returns,
 * so a uint256 written as a bare number would silently become another value.
 * Refuse them, naming where they are.
 */
function refuseUnsafeNumbers(file: string, value: unknown, path: string): void {
  if (typeof value === "number" && !Number.isSafeInteger(value))
    throw new CliUsageError(
      `${file}: ${path}: ${value} is not an exact integer in JSON`,
      'Write large or exact integers as decimal strings, e.g. "12345678901234567890".',
    );
  if (Array.isArray(value))
    value.forEach((item, index) => {
      refuseUnsafeNumbers(file, item, `${path}[${index}]`);
    });
  else if (typeof value === "object" && value !== null)
    for (const [key, item] of Object.entries(value))
      refuseUnsafeNumbers(file, item, `${path}.${key}`);
}

/**
 * Reads an `ei merkle` input file: leaf types and values, or a tree dump.
 * Every failure is a usage error naming the file, the row and the field.
 */
export async function readMerkleInput(file: string): Promise<MerkleInput> {
  const json = await readJsonFile(file);

  if (dumpFileSchema.safeParse(json).success) {
    const tree = withInputFile(file, () => loadMerkleTree(json));
    // Values by input index, as StandardMerkleTree numbers them.
    const values = Array.from({ length: tree.length }, (_, index) => tree.getValue(index));
    return { types: tree.leafEncoding, values, tree: () => tree };
  }

  const parsed = valuesFileSchema.safeParse(json);
  if (!parsed.success) throw zodUsageError(file, parsed.error, SHAPE_HINT);
  const { types, values } = parsed.data;
  values.forEach((row, index) => {
    if (row.length !== types.length)
      throw new CliUsageError(
        `${file}: values[${index}]: has ${row.length} fields, types lists ${types.length}`,
        "Give every row one value per type, in the order of types.",
      );
    refuseUnsafeNumbers(file, row, `values[${index}]`);
  });
  let built: MerkleTree | undefined;
  return {
    types,
    values,
    tree: () => (built ??= withInputFile(file, () => buildMerkleTree(types, values))),
  };
}
