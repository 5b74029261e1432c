import { CliUsageError } from "../cli/errors.ts";

/** A container id as given on the command line: decimal, or 0x-hex of a uint256. */
export function parseContainerId(text: unknown, what = "container id"): bigint {
  if (typeof text === "string" && /^(?:[0-9]{1,78}|0x[0-9a-fA-F]{1,64})$/u.test(text)) {
    const id = BigInt(text);
    if (id < 2n ** 256n) return id;
  }
  throw new CliUsageError(
    `${what} ${JSON.stringify(text)} is not a uint256`,
    "Pass the ERC-1155 token id in decimal or 0x-hex (the gateway and the subgraph list it).",
  );
}
