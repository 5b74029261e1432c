import type { Hex } from "viem";
import { fromHex } from "multiformats/bytes";
import { CID } from "multiformats/cid";
import { InvalidInputError } from "../errors/index.ts";

export type CidFromBytesErrorType = InvalidInputError;

/**
 * Decodes a binary CID (as stored on chain) from bytes or 0x-hex. The input
 * must be exactly one CID: trailing bytes are refused, so two different byte
 * strings never decode to the same CID.
 *
 * @param path - how an error names the field holding the CID (default `cid`).
 * @throws {InvalidInputError} when the input is not exactly one binary CID.
 * @example
 * ```ts
 * cidFromBytes("0x015512202cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824").toString();
 * // "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
 * ```
 */
export function cidFromBytes(input: Uint8Array | Hex, path = "cid"): CID {
  let bytes: Uint8Array;
  if (typeof input === "string") {
    if (!/^0x(?:[0-9a-fA-F]{2})*$/u.test(input))
      throw new InvalidInputError(path, "not 0x-prefixed hex of whole bytes");
    bytes = fromHex(input.slice(2));
  } else {
    bytes = input;
  }
  let cid: CID;
  try {
    // CID.decode throws on trailing bytes, which is what we want.
    cid = CID.decode(bytes);
  } catch (cause) {
    throw new InvalidInputError(path, "not a binary CID", {
      details: cause instanceof Error ? cause.message : undefined,
      hints: ["The field must hold cidToBytes(cid): version, codec, multihash."],
      cause,
    });
  }
  return cid;
}
