import { z } from "zod";
import { deploymentsSchema } from "@energy-intelligence/sdk/contracts/deploymentsSchema";

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((url) => url.replace(/\/+$/, ""))
  .describe("an http(s) URL");

/**
 * What the dapp learns at run time, not at build time, so one production build serves any stack.
 * The server reads it from the environment (see readRuntimeConfig) and hands it to the browser;
 * nothing in it is secret.
 */
export const runtimeConfigSchema = z.strictObject({
  /** graph-node-shaped GraphQL endpoint of the subgraph (the embedded indexer or graph-node). */
  subgraphUrl: httpUrl,
  /** The oracle gateway's HTTP API (`/v1/…`). */
  gatewayUrl: httpUrl,
  /** A trustless IPFS gateway serving `/ipfs/<cid>` (the gateway's own, Kubo, or a public one). */
  ipfsGatewayUrl: httpUrl,
  chainId: z.number().int().positive(),
  /** JSON-RPC endpoint the browser reads the chain from (the wallet uses its own for writes). */
  rpcUrl: httpUrl,
  /** `deployments/<chainId>.json`: `{ContractName: {address, startBlock}}`. */
  deployments: deploymentsSchema,
  /** The origin buyers reach this dapp at, for QR codes and links printed on packaging. */
  publicUrl: httpUrl.optional(),
});
export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
