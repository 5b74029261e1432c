import type { Command } from "commander";
import { z } from "zod";

/** The lot-source options of `ei export pact|aas`, declared once. */
export function addLotSourceOptions(command: Command): Command {
  return command
    .argument("<lot>", "the lot's ERC-1155 token id (decimal or 0x-hex)")
    .option("--rpc <url>", "JSON-RPC endpoint: rebuild from the chain (with --ipfs)")
    .option("--ipfs <source>", "IPFS HTTP gateway URL or a directory of blocks (with --rpc)")
    .option("--deployments <file>", "deployments file (default deployments/<chainId>.json)")
    .option(
      "--public-url <url>",
      "the gateway's public URL the footprint's links use (with --rpc; default http://127.0.0.1:8080)",
    )
    .option(
      "--data-dir <dir>",
      "the gateway's data directory: its published footprint, and the supplier footprints for --bom (default data/gateway)",
    )
    .option("--bom <file>", "an ei-bom-v1 bill of materials: add the purchased materials per piece")
    .option("--out <file>", "write to this file instead of stdout");
}

export const lotSourceOptionsSchema = z.object({
  rpc: z.string().optional(),
  ipfs: z.string().optional(),
  deployments: z.string().optional(),
  publicUrl: z.url().optional(),
  dataDir: z.string().min(1).optional(),
  bom: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
});
