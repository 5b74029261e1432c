import { READING_LEAF_TYPES } from "@energy-intelligence/sdk/readings/readingLeaf";

const word = (byte: string): string => `0x${byte.repeat(32)}`;

/**
 * A small `ei merkle` input in the reading-leaf format: uint64s as decimal
 * strings (one above 2^53), bytes32 salts and ids. Five leaves, so the tree is
 * unbalanced and proofs have different lengths.
 */
export const readingSample = {
  types: [...READING_LEAF_TYPES],
  values: [0, 1, 2, 3, 4].map((sequence) => [
    word((0x10 + sequence).toString(16)),
    word("d1"),
    sequence % 2,
    String(1000 + sequence),
    String(1_700_000_000_000 + sequence * 60_000),
    String(2n ** 60n + BigInt(sequence) * 1234n),
    "0",
    0,
    word("00"),
  ]),
};
