import { createPublicClient, http } from "viem";
import type { CID } from "multiformats/cid";
import { gatewayBlockSource } from "@energy-intelligence/sdk/verify/gatewayBlockSource";
import { readVerifiedUnixfsFile } from "@energy-intelligence/sdk/verify/readVerifiedUnixfsFile";
import { verifyContainerFromChain } from "@energy-intelligence/sdk/verify/verifyContainerFromChain";
import { verifyLotFromChain } from "@energy-intelligence/sdk/verify/verifyLotFromChain";
import type { VerificationReport } from "@energy-intelligence/sdk/verify/verificationReport";
import type { RuntimeConfig } from "../config/runtimeConfigSchema.ts";

export interface BrowserVerification {
  report: VerificationReport & { anchor?: Record<string, string> | undefined };
  /** Every document read and checked against its CID, by CID. */
  documents: Map<string, Uint8Array>;
}

/** The chain answered for another chain id than the deployment's: the checks would be meaningless. */
export class WrongChainError extends Error {
  override name = "WrongChainError";
}

/**
 * Runs the sdk's lot or container verification in the browser. Chain reads go through this
 * site's read-only /api/rpc and blocks through its /ipfs pass-through (same origin, no CORS);
 * neither is trusted: every block is checked against its CID and every figure recomputed.
 */
export async function runBrowserVerification(parameters: {
  kind: "lot" | "container";
  id: string;
  config: RuntimeConfig;
  origin: string;
}): Promise<BrowserVerification> {
  const { config, origin } = parameters;
  const client = createPublicClient({ transport: http(`${origin}/api/rpc`, { batch: true }) });
  const chainId = await client.getChainId();
  if (chainId !== config.chainId) {
    throw new WrongChainError(
      `the RPC endpoint serves chain ${chainId}, but this deployment is on chain ${config.chainId}`,
    );
  }
  const documents = new Map<string, Uint8Array>();
  const sourceName = `${config.ipfsGatewayUrl} (through this site)`;
  const blocks = gatewayBlockSource(origin, fetch, 30_000);
  const readFile = async (cid: CID): Promise<Uint8Array> => {
    const bytes = await readVerifiedUnixfsFile(cid, blocks, sourceName);
    documents.set(cid.toString(), bytes);
    return bytes;
  };
  const { deployments } = config;
  if (parameters.kind === "container") {
    const report = await verifyContainerFromChain({
      client,
      chainId,
      deployments: { registry: deployments.EnergyRegistry, containers: deployments.DataContainers },
      id: BigInt(parameters.id),
      readFile,
      sourceName,
    });
    return { report, documents };
  }
  const report = await verifyLotFromChain({
    client,
    deployments,
    lotId: BigInt(parameters.id),
    readFile,
    sourceName,
  });
  return { report, documents };
}
