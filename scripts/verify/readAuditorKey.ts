import { readFile } from "node:fs/promises";
import type { Hex } from "viem";
import { CliUsageError } from "../cli/errors.ts";

/**
 * An auditor's X25519 private key from a file: 0x-hex of 32 bytes, alone or as
 * `{"privateKey": "0x…"}` (what `generateAuditorKeyPair` returns, saved as
 * JSON). Never printed.
 */
export async function readAuditorKey(path: string): Promise<Hex> {
  let text: string;
  try {
    text = (await readFile(path, "utf8")).trim();
  } catch (cause) {
    throw new CliUsageError(
      `${path}: cannot read the auditor key file`,
      "Check the path given to --auditor-key.",
      { cause },
    );
  }
  let candidate: unknown = text;
  if (text.startsWith("{")) {
    try {
      candidate = (JSON.parse(text) as { privateKey?: unknown }).privateKey;
    } catch {
      candidate = undefined;
    }
  }
  if (typeof candidate !== "string" || !/^0x[0-9a-fA-F]{64}$/u.test(candidate)) {
    throw new CliUsageError(
      `${path}: not an auditor key`,
      'The file must hold the X25519 private key as 0x + 64 hex digits, or {"privateKey": "0x…"}.',
    );
  }
  return candidate.toLowerCase() as Hex;
}
