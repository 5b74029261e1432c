import { createPublicClient, http } from "viem";
import type { PublicClient } from "viem";
import { CliUsageError } from "../cli/errors.ts";

export interface ChainReader {
  client: PublicClient;
  chainId: number;
}

/** A read-only client of the chain at `--rpc`; an endpoint that does not answer is a usage error. */
export async function createChainReader(rpcUrl: string): Promise<ChainReader> {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch (cause) {
    throw new CliUsageError(
      `--rpc ${rpcUrl} is not a URL`,
      "Pass the JSON-RPC endpoint, e.g. http://127.0.0.1:8545.",
      { cause },
    );
  }
  const client = createPublicClient({
    transport: http(url.toString(), { timeout: 30_000, retryCount: 1 }),
  });
  try {
    return { client, chainId: await client.getChainId() };
  } catch (cause) {
    throw new CliUsageError(
      `--rpc ${rpcUrl} does not answer JSON-RPC`,
      "Check the URL and that the node is running.",
      { cause },
    );
  }
}
