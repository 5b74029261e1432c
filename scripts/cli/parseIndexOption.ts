import { CliUsageError } from "./errors.ts";

/** `--index N` as a leaf index within `count` leaves. */
export function parseIndexOption(text: unknown, count: number): number {
  const index = typeof text === "string" && /^\d+$/u.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(index))
    throw new CliUsageError(
      `--index must be a leaf index (0, 1, 2, …), got ${JSON.stringify(text)}`,
      "Pass the position of the leaf in the file's values, counting from 0.",
    );
  if (index >= count)
    throw new CliUsageError(
      `--index ${index} is out of range: the file has ${count} leaves`,
      `Pass an index from 0 to ${count - 1}.`,
    );
  return index;
}
