import { createPublicClient, http } from "viem";
import type { AverageIntensityKind } from "@energy-intelligence/sdk/factors/index";
import type { ChainConfig } from "../containers/containersConfigSchema.ts";
import {
  createGridIntensitySource,
  type CreateGridIntensitySourceDependencies,
} from "./createGridIntensitySource.ts";
import type { FactorSourcesConfig } from "./factorSourcesConfigSchema.ts";
import { onChainIntensityReader } from "./onChainIntensitySource.ts";
import type { LiveGridSource } from "./resolveLiveHourlyFactors.ts";

/**
 * The gateway's `factors` section turned into what the container closer takes: the live grid
 * source and the kind asked of it, or undefined for `shipped` (the shipped datasets alone). The
 * `on-chain` source reads its record through the `chain` section's RPC endpoint.
 *
 * @throws {Error} for `on-chain` without a chain section, or a missing or empty token file.
 * @example
 * ```ts
 * const liveFactors = await createConfiguredLiveFactors(config.factors, config.chain);
 * await startAnchoringServices({ ...parameters, liveFactors });
 * ```
 */
export async function createConfiguredLiveFactors(
  factors: FactorSourcesConfig,
  chain: ChainConfig,
): Promise<{ source: LiveGridSource; kind: AverageIntensityKind } | undefined> {
  let onChain: CreateGridIntensitySourceDependencies["onChain"];
  if (factors.grid.type === "on-chain") {
    if (chain === undefined)
      throw new Error("factors.grid type on-chain needs the chain section (rpcUrl)");
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    // The chain id names the record in every factor's provenance; asked once at boot.
    onChain = onChainIntensityReader({ client, chainId: await client.getChainId() });
  }
  const source = await createGridIntensitySource(factors.grid, { onChain });
  return source === undefined ? undefined : { source, kind: factors.kind };
}
