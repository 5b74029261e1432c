import { hexToBytes } from "@noble/hashes/utils.js";
import { InvalidInputError } from "../errors/index.ts";

/**
 * Decodes 0x-hex key material, checking its length, so a truncated key fails
 * here with the field's name rather than deep inside a curve library.
 *
 * @throws {InvalidInputError} with `path` = `name`.
 * @example
 * ```ts
 * hexToKeyBytes("0x" + "11".repeat(32), "publicKey", 32, 32); // Uint8Array(32)
 * ```
 */
export function hexToKeyBytes(
  hex: string,
  name: string,
  minBytes: number,
  maxBytes: number,
): Uint8Array {
  if (!/^0x(?:[0-9a-fA-F]{2})*$/u.test(hex)) {
    throw new InvalidInputError(name, "expected 0x-prefixed hex bytes");
  }
  const bytes = hexToBytes(hex.slice(2));
  if (bytes.length < minBytes || bytes.length > maxBytes) {
    throw new InvalidInputError(
      name,
      minBytes === maxBytes
        ? `expected ${minBytes} bytes, got ${bytes.length}`
        : `expected ${minBytes} to ${maxBytes} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}
