import type { Hex } from "viem";
import { toHex } from "multiformats/bytes";
import type { CID } from "multiformats/cid";

/**
 * The binary CID (see {@link cidToBytes}) as 0x-prefixed hex, the form viem
 * takes for a `bytes` field in typed data or a contract call.
 *
 * @example
 * ```ts
 * cidToHex(parseCid("bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"));
 * // "0x015512202cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
 * ```
 */
export function cidToHex(cid: CID): Hex {
  // multiformats' hex helper, not viem's: keeps viem out of the CID path (CLI start-up).
  return `0x${toHex(cid.bytes)}`;
}
