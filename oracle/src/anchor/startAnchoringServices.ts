import path from "node:path";
import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import { createChainAccess } from "../chain/createChainAccess.ts";
import { loadDeploymentsFile } from "../chain/loadDeploymentsFile.ts";
import type { OracleKey } from "../config/loadOracleKey.ts";
import { ContainerCloser, type ContainerCloserOptions } from "../containers/containerCloser.ts";
import type {
  ChainConfig,
  ContainersConfig,
  IpfsConfig,
} from "../containers/containersConfigSchema.ts";
import { loadSiteSecret } from "../containers/loadSiteSecret.ts";
import type { ContentStore } from "../ipfs/contentStore.ts";
import { createHeliaContentStore } from "../ipfs/createHeliaContentStore.ts";
import { createKuboContentStore } from "../ipfs/createKuboContentStore.ts";
import type { MetricsRegistry } from "../metrics/metricsRegistry.ts";
import { AnchorBatchesRepository } from "../store/anchorBatchesRepository.ts";
import { ContainerStreamsRepository } from "../store/containerStreamsRepository.ts";
import { ContainersRepository } from "../store/containersRepository.ts";
import { ReadingsQueries } from "../store/readingsQueries.ts";
import { Anchorer } from "./anchorer.ts";

export interface AnchoringServices {
  store: ContentStore;
  containers: ContainersRepository;
  batches: AnchorBatchesRepository;
  readings: ReadingsQueries;
  closer: ContainerCloser;
  /** Without a chain or an oracle key it only stores documents in IPFS. */
  anchorer: Anchorer;
  /** Whether containers are anchored (a chain and an oracle key are configured). */
  anchoring: boolean;
  /** Runs one closing pass now (tests; the timer runs them otherwise). */
  closeNow(nowMs?: number): number;
  /** Resolves live hourly factors for the due periods (when a live source is configured), then closes. */
  closeNowWithFactors(nowMs?: number): Promise<number>;
  readiness(): { ipfs: boolean; chain: boolean };
  close(): Promise<void>;
}

export interface StartAnchoringServicesParameters {
  db: Database;
  dataDir: string;
  containers: ContainersConfig;
  ipfs: IpfsConfig;
  chain: ChainConfig;
  oracleKey: OracleKey | undefined;
  logger: Logger;
  metrics?: MetricsRegistry | undefined;
  /** Overrides the content store (tests inject an outage around the real one). */
  store?: ContentStore | undefined;
  /** The configured live grid source (config `factors`, createGridIntensitySource); shipped datasets alone when absent. */
  liveFactors?: ContainerCloserOptions["liveFactors"];
  /** Contractual instruments and market boundary (config `factors.instrumentsFile`, `factors.market`). */
  market?: ContainerCloserOptions["market"];
}

/**
 * Starts the container half of the gateway on the main thread's connection:
 * the content store, the closer (on a timer) and the anchorer (its own loop).
 * Ingest does not wait on any of it; each part waits out its own outages.
 *
 * @example
 * ```ts
 * const services = await startAnchoringServices({ db, dataDir, containers, ipfs, chain, oracleKey, logger });
 * await services.close();
 * ```
 */
export async function startAnchoringServices(
  parameters: StartAnchoringServicesParameters,
): Promise<AnchoringServices> {
  const { db, logger } = parameters;
  const store =
    parameters.store ??
    (parameters.ipfs.mode === "kubo"
      ? createKuboContentStore({ url: parameters.ipfs.url, timeoutMs: parameters.ipfs.timeoutMs })
      : await createHeliaContentStore({ directory: path.join(parameters.dataDir, "ipfs") }));
  const containers = new ContainersRepository(db);
  const batches = new AnchorBatchesRepository(db);
  const readings = new ReadingsQueries(db);
  const deviceRefStatement = db.prepare(
    "SELECT device_ref AS ref FROM devices WHERE device_id = ?",
  );
  const closer = new ContainerCloser({
    db,
    containers,
    streams: new ContainerStreamsRepository(db),
    readings,
    deviceRef: (deviceId) => (deviceRefStatement.get(deviceId) as { ref: number } | undefined)?.ref,
    streamConfigs: parameters.containers.streams,
    periodMs: parameters.containers.periodMs,
    graceMs: parameters.containers.graceMs,
    siteSecret: loadSiteSecret({
      file: parameters.containers.siteSecretFile,
      dataDir: parameters.dataDir,
    }),
    logger,
    metrics: parameters.metrics,
    liveFactors: parameters.liveFactors,
    market: parameters.market,
    sealedSites: new Map(
      parameters.containers.disclosure.flatMap((entry) =>
        entry.mode === "sealed" ? [[entry.siteId, entry.auditorPublicKeys] as const] : [],
      ),
    ),
  });

  const chainConfig = parameters.chain;
  const oracleKey = parameters.oracleKey;
  const anchoring = chainConfig !== undefined && oracleKey !== undefined;
  if (!anchoring && parameters.containers.streams.length > 0) {
    logger.warn(
      { chain: chainConfig !== undefined, oracleKey: oracleKey !== undefined },
      "anchoring off: containers are closed and stored in IPFS only (configure chain and an oracle key)",
    );
  }
  const containersAddress = anchoring
    ? (chainConfig.containersAddress ??
      loadDeploymentsFile(chainConfig.deploymentsFile ?? "", ["DataContainers"]).DataContainers
        .address)
    : undefined;
  const anchorer = new Anchorer({
    containers,
    batches,
    store,
    connectChain:
      !anchoring || containersAddress === undefined
        ? undefined
        : () =>
            createChainAccess({
              rpcUrl: chainConfig.rpcUrl,
              oracleKey,
              containersAddress,
              requestTimeoutMs: chainConfig.requestTimeoutMs,
            }),
    logger,
    metrics: parameters.metrics,
    confirmations: chainConfig?.confirmations ?? 1,
    maxBatchContainers: chainConfig?.maxBatchContainers ?? 100,
    pollIntervalMs: chainConfig?.pollIntervalMs ?? 1000,
    replaceAfterMs: chainConfig?.replaceAfterMs ?? 60_000,
    backoff: {
      initialMs: chainConfig?.backoffInitialMs ?? 500,
      maxMs: chainConfig?.backoffMaxMs ?? 60_000,
    },
  });
  anchorer.start();

  const closeNow = (nowMs = Date.now()): number => {
    const created = closer.closeDue(nowMs);
    if (created > 0) anchorer.kick();
    return created;
  };
  const closeNowWithFactors = async (nowMs = Date.now()): Promise<number> => {
    const created = await closer.closeDueWithFactors(nowMs);
    if (created > 0) anchorer.kick();
    return created;
  };
  let pass: Promise<void> | undefined;
  const timer = setInterval(() => {
    // A pass yields between periods (and a live source answers asynchronously): one pass at a
    // time, never overlapping.
    if (pass !== undefined) return;
    pass = (
      parameters.liveFactors === undefined
        ? closer.closeDueYielding().then((created) => {
            if (created > 0) anchorer.kick();
            return created;
          })
        : closeNowWithFactors()
    )
      .then(
        () => undefined,
        (error: unknown) => {
          logger.error({ err: error }, "closing pass failed");
        },
      )
      .finally(() => {
        pass = undefined;
      });
  }, parameters.containers.checkIntervalMs);
  timer.unref();

  let closing: Promise<void> | undefined;
  return {
    store,
    containers,
    batches,
    readings,
    closer,
    anchorer,
    anchoring,
    closeNow,
    closeNowWithFactors,
    readiness: () => ({ ipfs: anchorer.storeUp, chain: !anchoring || anchorer.chainUp }),
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        // A pass waiting on the live source finishes before the store it writes to closes.
        await pass;
        await anchorer.stop();
        await store.close();
      })();
      return closing;
    },
  };
}
