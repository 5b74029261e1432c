import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Database } from "better-sqlite3";
import type { EmbeddedBroker } from "./adapters/mqttEmbeddedBroker.ts";
import { startEmbeddedBroker } from "./adapters/mqttEmbeddedBroker.ts";
import type { ExternalSubscriber } from "./adapters/mqttExternalSubscriber.ts";
import { startExternalSubscriber } from "./adapters/mqttExternalSubscriber.ts";
import { buildApp } from "./app.ts";
import { DeviceDirectory } from "./auth/deviceDirectory.ts";
import type { GatewayConfig, GatewayEnv } from "./config/gatewayConfigSchema.ts";
import { type OracleKey, loadOracleKey } from "./config/loadOracleKey.ts";
import { GroupCommitter } from "./ingest/groupCommitter.ts";
import { createInlineWriter } from "./ingest/inlineWriter.ts";
import { IngestPipeline } from "./ingest/ingestPipeline.ts";
import type { IngestWriter } from "./ingest/ingestTypes.ts";
import { createWorkerWriter } from "./ingest/workerWriter.ts";
import { createLogger } from "./logger.ts";
import { type GatewayMetrics, createGatewayMetrics } from "./metrics/gatewayMetrics.ts";
import { DevicesRepository } from "./store/devicesRepository.ts";
import { IngestEventsRepository } from "./store/ingestEventsRepository.ts";
import { openStore } from "./store/openStore.ts";
import { type AnchoringServices, startAnchoringServices } from "./anchor/startAnchoringServices.ts";
import { startStampingServices } from "./jobs/startStampingServices.ts";
import { createConfiguredLiveFactors } from "./factors/createConfiguredLiveFactors.ts";
import { loadContractualInstruments } from "./factors/loadContractualInstruments.ts";
import { startCertificateClaims } from "./claims/startCertificateClaims.ts";
import { type GatewayAdapters, createGatewayAdapters } from "./adapters/startAdapters.ts";
import { type LotServices, startLotServices } from "./lots/startLotServices.ts";
import { ProductLotsRepository } from "./lots/productLotsRepository.ts";
import { PactClientsRepository } from "./pact/pactClientsRepository.ts";
import { PactFootprintsRepository } from "./pact/pactFootprintsRepository.ts";

export interface Gateway {
  config: GatewayConfig;
  logger: Logger;
  /** The main thread's connection (reads, device registry); the writer thread has its own. */
  db: Database;
  app: FastifyInstance;
  pipeline: IngestPipeline;
  metrics: GatewayMetrics;
  /** Undefined when no key is configured: ingest runs, signing and anchoring do not. */
  oracleKey: OracleKey | undefined;
  /** Container closing, IPFS and anchoring. */
  anchoring: AnchoringServices;
  /** Device adapters (polling, P1, pulse, emon, LoRaWAN) and their health. */
  adapters: GatewayAdapters;
  /** Lot minters (one per site) and the lots repository; undefined unless `lots.enabled`. */
  lots: LotServices | undefined;
  /**
   * The PACT v3 API (undefined unless `pact.enabled`): `url` is its base (the
   * gateway's public URL), `clients.create(name, Date.now())` makes a buyer's
   * client id and secret (the secret is returned once, stored hashed).
   */
  pact: GatewayPact | undefined;
  httpUrl: string;
  /** The embedded broker's URL, the external broker's, or undefined when MQTT is off. */
  mqttUrl: string | undefined;
  /** Stops taking messages, commits everything already received, closes the store. */
  close(): Promise<void>;
}

export interface GatewayPact {
  url: string;
  clients: PactClientsRepository;
  footprints: PactFootprintsRepository;
}

/**
 * Starts the gateway: store, ingest, HTTP API and MQTT. The only place that
 * listens on sockets.
 *
 * @example
 * ```ts
 * const gateway = await startGateway(loadGatewayConfig({ file }), loadGatewayEnv(process.env));
 * closeOnSignals(gateway);
 * ```
 */
export async function startGateway(
  config: GatewayConfig,
  env: GatewayEnv = {},
  options: { logger?: Logger } = {},
): Promise<Gateway> {
  const logger = options.logger ?? createLogger({ level: env.EI_LOG_LEVEL ?? config.log.level });
  const oracleKey = loadOracleKey(config, env);
  const startedAtMs = Date.now();
  const db = openStore({ dataDir: config.dataDir });
  const devices = new DevicesRepository(db);
  const events = new IngestEventsRepository(db);
  const directory = new DeviceDirectory(devices);
  const writer: IngestWriter =
    config.ingest.writer === "worker"
      ? await createWorkerWriter({ dataDir: config.dataDir })
      : createInlineWriter(db);
  // The metrics read the queue, and the queue reports commits to the metrics.
  const queue: { committer?: GroupCommitter } = {};
  const metrics = createGatewayMetrics({
    startedAtMs,
    queue: () => ({
      depth: queue.committer?.depthReadings ?? 0,
      waiting: queue.committer?.waitingReadings ?? 0,
      capacity: config.ingest.maxQueuedReadings,
    }),
  });
  const committer = new GroupCommitter(
    writer,
    {
      maxBatchReadings: config.ingest.maxBatchReadings,
      maxDelayMs: config.ingest.maxDelayMs,
      maxQueuedReadings: config.ingest.maxQueuedReadings,
    },
    (stats) => {
      metrics.commits.inc();
      metrics.commitSeconds.inc({}, stats.durationMs / 1000);
    },
  );
  queue.committer = committer;
  const pipeline = new IngestPipeline({
    directory,
    committer,
    metrics,
    logger,
    options: {
      maxMessageBytes: config.ingest.maxMessageBytes,
      maxClockSkewMs: config.ingest.maxClockSkewMs,
    },
  });

  let adapters: GatewayAdapters;
  try {
    adapters = createGatewayAdapters({
      adapters: config.adapters,
      dataDir: config.dataDir,
      db,
      devices,
      pipeline,
      registry: metrics.registry,
      logger,
    });
  } catch (error) {
    // A configuration mistake: release what is open so the caller can report it and exit.
    await committer.close();
    await writer.close();
    directory.close();
    db.close();
    throw error;
  }

  // Certificates the containers use are claimed on chain (oracle/src/claims) when it is configured.
  const claims = await startCertificateClaims({
    db,
    market: await loadContractualInstruments(config.factors),
    chain: config.chain,
    oracleKey,
    siteIds: config.containers.streams.map((stream) => stream.siteId),
    logger,
  });
  const anchoring = await startAnchoringServices({
    db,
    dataDir: config.dataDir,
    containers: config.containers,
    ipfs: config.ipfs,
    chain: config.chain,
    oracleKey,
    logger,
    metrics: metrics.registry,
    liveFactors: await createConfiguredLiveFactors(config.factors, config.chain),
    market: claims.market,
  });
  const stamping = await startStampingServices({
    db,
    jobs: config.jobs,
    chain: config.chain,
    oracleKey,
    logger,
  });

  let broker: EmbeddedBroker | undefined;
  let subscriber: ExternalSubscriber | undefined;
  const storeUp = (): boolean => {
    try {
      return db.open && db.prepare("SELECT 1 AS one").get() !== undefined;
    } catch {
      return false;
    }
  };
  const pactStore = config.pact.enabled
    ? { clients: new PactClientsRepository(db), footprints: new PactFootprintsRepository(db) }
    : undefined;
  const app = await buildApp({
    logger,
    pipeline,
    devices,
    events,
    metrics,
    http: config.http,
    anchoring: { services: anchoring, db },
    stamping,
    adapters,
    lots: config.lots.enabled ? { repository: new ProductLotsRepository(db) } : undefined,
    pact:
      pactStore === undefined
        ? undefined
        : {
            ...pactStore,
            db,
            tokenLifetimeMs: config.pact.tokenLifetimeMs,
            maxPageSize: config.pact.maxPageSize,
          },
    readiness: () => ({
      ...anchoring.readiness(),
      store: storeUp(),
      mqtt:
        config.mqtt.mode === "off" || (broker?.isUp() ?? false) || (subscriber?.isUp() ?? false),
    }),
  });
  const httpUrl = await app.listen({ host: config.http.host, port: config.http.port });

  let mqttUrl: string | undefined;
  if (config.mqtt.mode === "embedded") {
    broker = await startEmbeddedBroker({
      host: config.mqtt.host,
      port: config.mqtt.port,
      pipeline,
      logger,
    });
    mqttUrl = broker.url;
  } else if (config.mqtt.mode === "external") {
    subscriber = await startExternalSubscriber({ ...config.mqtt, pipeline, logger });
    mqttUrl = config.mqtt.url;
  }
  await adapters.start({ mqttUrl });
  const publicUrl = (config.pact.publicUrl ?? httpUrl).replace(/\/+$/u, "");
  let lots: LotServices | undefined;
  const lotsStarting = startLotServices({
    db,
    lots: config.lots,
    chain: config.chain,
    streams: config.containers.streams,
    store: anchoring.store,
    oracleKey,
    pact:
      pactStore === undefined
        ? undefined
        : { config: config.pact, footprints: pactStore.footprints, publicUrl },
    logger,
  });
  logger.info(
    {
      httpUrl,
      mqttUrl,
      dataDir: config.dataDir,
      oracleKey: oracleKey === undefined ? "none" : oracleKey.source,
      writer: config.ingest.writer,
    },
    "gateway started",
  );

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      logger.info("gateway closing");
      // 1. Stop taking new messages (in-flight requests and publishes finish).
      await Promise.all([app.close(), broker?.close(), subscriber?.close(), adapters.close()]);
      // Lot minters read the store and write IPFS: stop them before either closes.
      await lots?.close();
      // 2. Commit everything already received, then close the store.
      await committer.close();
      await writer.close();
      // Stop closing and anchoring (their progress is all in the store already).
      await anchoring.close();
      await claims.close();
      await stamping?.close();
      directory.close();
      db.close();
      logger.info("gateway closed");
      logger.flush();
    })();
    return closing;
  };

  try {
    lots = await lotsStarting;
  } catch (error) {
    // A configuration mistake (deployments file without ProductLots, …): close what runs.
    await close();
    throw error;
  }

  return {
    config,
    logger,
    db,
    app,
    pipeline,
    metrics,
    oracleKey,
    anchoring,
    adapters,
    lots,
    pact: pactStore === undefined ? undefined : { url: publicUrl, ...pactStore },
    httpUrl,
    mqttUrl,
    close,
  };
}

/**
 * Closes the gateway cleanly on SIGTERM and SIGINT (nothing received is lost:
 * it is committed before exit), then exits 0; a second signal exits at once.
 */
export function closeOnSignals(
  gateway: Gateway,
  onClosed: () => void = () => process.exit(0),
): void {
  let signalled = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (signalled) process.exit(1);
    signalled = true;
    gateway.logger.info({ signal }, "signal received");
    gateway.close().then(onClosed, (error: unknown) => {
      gateway.logger.error({ err: error }, "error while closing");
      process.exit(1);
    });
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
