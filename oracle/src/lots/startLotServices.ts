import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import { type Hex, createPublicClient, defineChain, http } from "viem";
import { loadDeploymentsFile } from "../chain/loadDeploymentsFile.ts";
import type { OracleKey } from "../config/loadOracleKey.ts";
import type { ChainConfig, StreamConfig } from "../containers/containersConfigSchema.ts";
import type { ContentStore } from "../ipfs/contentStore.ts";
import type { PactConfig } from "../pact/pactConfigSchema.ts";
import type { PactFootprintsRepository } from "../pact/pactFootprintsRepository.ts";
import { createLotPactPublisher } from "./lotPactFootprints.ts";
import type { LotsConfig } from "./lotsConfigSchema.ts";
import { ProductLotsRepository } from "./productLotsRepository.ts";
import { type LotMinter, startLotMinter } from "./startLotMinter.ts";

export interface LotServices {
  /** One minter per site, keyed by lowercase site id. */
  minters: ReadonlyMap<Hex, LotMinter>;
  repository: ProductLotsRepository;
  /** Whether minted lots are published to the PACT store. */
  publishesPact: boolean;
  close(): Promise<void>;
}

export interface StartLotServicesParameters {
  db: Database;
  lots: LotsConfig;
  chain: ChainConfig;
  streams: readonly StreamConfig[];
  store: ContentStore;
  oracleKey: OracleKey | undefined;
  /** With PACT on: where minted lots' ProductFootprints go, and the gateway's URL for its links. */
  pact?:
    { config: PactConfig; footprints: PactFootprintsRepository; publicUrl: string } | undefined;
  logger: Logger;
}

/**
 * Starts the gateway's lot minters (one per site) from `lots` in the gateway
 * config. Returns undefined (lots off) when `lots.enabled` is false, or
 * without a chain, an oracle key or a site. The contracts and their deploy
 * blocks come from the chain's deployments file.
 *
 * @throws {InvalidInputError} at `chain.deploymentsFile` when it lacks EnergyRegistry, JobStamps or ProductLots.
 * @example
 * ```ts
 * const lots = await startLotServices({ db, lots: config.lots, chain: config.chain, streams, store, oracleKey, logger });
 * ```
 */
export async function startLotServices(
  parameters: StartLotServicesParameters,
): Promise<LotServices | undefined> {
  const { lots: config, chain, oracleKey, logger } = parameters;
  if (!config.enabled) return undefined;
  if (chain === undefined || oracleKey === undefined) {
    logger.warn("lot minting off: configure a chain and an oracle key");
    return undefined;
  }
  if (chain.deploymentsFile === undefined) {
    logger.warn("lot minting off: chain.deploymentsFile is needed (ProductLots, JobStamps)");
    return undefined;
  }
  const siteIds = [
    ...new Set(
      (config.siteIds ?? parameters.streams.map((stream) => stream.siteId)).map(
        (id) => id.toLowerCase() as Hex,
      ),
    ),
  ];
  if (siteIds.length === 0) {
    logger.warn("lot minting off: no site (give lots.siteIds or containers.streams)");
    return undefined;
  }
  const deployed = loadDeploymentsFile(chain.deploymentsFile, [
    "EnergyRegistry",
    "JobStamps",
    "ProductLots",
  ]);
  const contracts = {
    registry: deployed.EnergyRegistry,
    jobs: deployed.JobStamps,
    lots: deployed.ProductLots,
  };
  const pact = parameters.pact;
  let publisher;
  if (pact !== undefined) {
    const transport = http(chain.rpcUrl, { timeout: chain.requestTimeoutMs, retryCount: 0 });
    const chainId = await createPublicClient({ transport }).getChainId();
    const client = createPublicClient({
      chain: defineChain({
        id: chainId,
        name: `chain-${chainId}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [chain.rpcUrl] } },
      }),
      transport,
    });
    publisher = createLotPactPublisher({
      client,
      chainId,
      registry: contracts.registry,
      lots: contracts.lots,
      footprints: pact.footprints,
      config: pact.config,
      publicUrl: pact.publicUrl,
      streams: parameters.streams,
    });
  }
  const minters = new Map<Hex, LotMinter>();
  try {
    for (const siteId of siteIds) {
      minters.set(
        siteId,
        await startLotMinter({
          db: parameters.db,
          store: parameters.store,
          rpcUrl: chain.rpcUrl,
          oracleKey,
          contracts,
          siteId,
          streams: parameters.streams,
          rules: config.rules,
          autoMint: config.autoMint,
          pollIntervalMs: config.pollIntervalMs,
          retryMs: config.retryMs,
          requestTimeoutMs: chain.requestTimeoutMs,
          pact: publisher,
          logger,
        }),
      );
    }
  } catch (error) {
    await Promise.all([...minters.values()].map((minter) => minter.stop()));
    throw error;
  }
  logger.info(
    { sites: siteIds, productLots: contracts.lots.address, pact: publisher !== undefined },
    "lot minting started",
  );
  return {
    minters,
    repository: new ProductLotsRepository(parameters.db),
    publishesPact: publisher !== undefined,
    close: async () => {
      await Promise.all([...minters.values()].map((minter) => minter.stop()));
    },
  };
}
