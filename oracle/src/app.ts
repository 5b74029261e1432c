import fastifySwagger from "@fastify/swagger";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from "fastify";
import { sendProblem, sendRejection } from "./api/problem.ts";
import { devicesRoutes } from "./api/routes/devicesRoutes.ts";
import { operationsRoutes } from "./api/routes/operationsRoutes.ts";
import { readingsRoutes } from "./api/routes/readingsRoutes.ts";
import { containersRoutes } from "./api/routes/containersRoutes.ts";
import { ipfsRoutes } from "./api/routes/ipfsRoutes.ts";
import { readingSeriesRoutes } from "./api/routes/readingSeriesRoutes.ts";
import { adapterStatusRoutes } from "./api/routes/adapterStatusRoutes.ts";
import { loraWebhookRoutes } from "./api/routes/loraWebhookRoutes.ts";
import type { GatewayAdapters } from "./adapters/startAdapters.ts";
import type { AnchoringServices } from "./anchor/startAnchoringServices.ts";
import { stampingRoutes } from "./api/routes/stampingRoutes.ts";
import type { StampingServices } from "./jobs/startStampingServices.ts";
import { pactRoutes, type PactRoutesOptions } from "./pact/pactRoutes.ts";
import { lotMetadataRoutes } from "./lots/lotMetadataRoutes.ts";
import { registerAasRoutes } from "./aas/aasRoutes.ts";
import type { ProductLotsRepository } from "./lots/productLotsRepository.ts";
import type { Database } from "better-sqlite3";
import type { Ready } from "./api/schemas.ts";
import type { IngestPipeline } from "./ingest/ingestPipeline.ts";
import type { GatewayMetrics } from "./metrics/gatewayMetrics.ts";
import type { DevicesRepository } from "./store/devicesRepository.ts";
import type { IngestEventsRepository } from "./store/ingestEventsRepository.ts";

export interface AppDependencies {
  /** A pino logger (typed as Fastify's view of one). */
  logger: FastifyBaseLogger;
  pipeline: IngestPipeline;
  devices: DevicesRepository;
  events: IngestEventsRepository;
  metrics: GatewayMetrics;
  readiness: () => Ready["checks"];
  /** Containers, IPFS and anchoring: adds /ipfs, /v1/containers and the readings time series. */
  anchoring?: { services: AnchoringServices; db: Database } | undefined;
  http?: { requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** Job stamping (web2 API, relays, SMS): adds /v1/jobs, /v1/stamps, /v1/sms/twilio. */
  stamping?: StampingServices | undefined;
  /** Device adapters: adds /v1/adapters and the LoRaWAN webhooks. */
  adapters?: GatewayAdapters | undefined;
  /**
   * PACT v3 data exchange: adds /auth/token, /.well-known/openid-configuration, /3/footprints,
   * /3/events; with `lots` also the AAS Part 2 read API under /aas.
   */
  pact?: PactRoutesOptions | undefined;
  /** Product lots: adds the ERC-1155 metadata of minted lots at /v1/tokens/{id}.json. */
  lots?: { repository: ProductLotsRepository } | undefined;
}

/**
 * Builds the gateway's HTTP API without listening (server.ts listens; tests use
 * `inject`). Order: external plugins (OpenAPI), then our routes, then the one
 * error handler.
 *
 * @example
 * ```ts
 * const app = await buildApp(dependencies);
 * const response = await app.inject({ method: "GET", url: "/healthz" });
 * ```
 */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: dependencies.logger,
    // The slow-client guards: a request must finish, an idle keep-alive socket closes.
    requestTimeout: dependencies.http?.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: dependencies.http?.keepAliveTimeoutMs ?? 5000,
    connectionTimeout: dependencies.http?.requestTimeoutMs ?? 30_000,
    return503OnClosing: true,
    forceCloseConnections: "idle",
    // Per-request lines would dominate the log at thousands of messages per
    // second; ingest logs refusals and events itself, metrics count the rest.
    logController: new LogController({ disableRequestLogging: true }),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Energy-Intelligence gateway",
        version: "1",
        description:
          "Site gateway (oracle) API. Devices submit signed readings (docs/formats.md, Device messages); errors are RFC 9457 problem+json with a `reason` code.",
      },
      tags: [
        { name: "ingest", description: "Device readings in" },
        { name: "devices", description: "Registered devices" },
        { name: "operations", description: "Health, readiness, metrics" },
        { name: "readings", description: "Downsampled time series for dashboards" },
        { name: "containers", description: "Interval containers and their anchoring" },
        { name: "ipfs", description: "Read-only IPFS gateway over the container documents" },
        { name: "lorawan", description: "LoRaWAN network server webhooks (TTN v3, ChirpStack v4)" },
        {
          name: "jobs",
          description: "Job stamps: web2 API, relays, operator SMS (docs/stamping.md)",
        },
        {
          name: "lots",
          description: "ERC-1155 metadata of minted product lots (docs/jobs-and-footprints.md)",
        },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: "http",
            scheme: "bearer",
            description: "Per-site API key (ei apikey create)",
          },
        },
      },
    },
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      dependencies.metrics.messagesRejected.inc({ transport: "http", reason: "message_too_large" });
      return sendRejection(reply, "message_too_large", error.message);
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      // Log everything we know, tell the client nothing about internals.
      request.log.error(
        { err: error, method: request.method, url: request.url, reqId: request.id },
        "request failed",
      );
      return sendProblem(reply, { type: "about:blank", title: "Internal Server Error", status });
    }
    request.log.info({ err: error, url: request.url }, "bad request");
    return sendProblem(reply, {
      type: "about:blank",
      title: error.validation === undefined ? error.name || "Bad Request" : "Invalid request",
      status,
      detail: error.message,
    });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: "about:blank",
      title: "Not Found",
      status: 404,
      detail: `${request.method} ${request.url}`,
    }),
  );

  await app.register((scope, _options, done) => {
    readingsRoutes(scope, { pipeline: dependencies.pipeline });
    done();
  });
  devicesRoutes(app, { devices: dependencies.devices, events: dependencies.events });
  operationsRoutes(app, {
    registry: dependencies.metrics.registry,
    readiness: dependencies.readiness,
  });
  if (dependencies.anchoring !== undefined) {
    const { services, db } = dependencies.anchoring;
    readingSeriesRoutes(app, { db });
    containersRoutes(app, { containers: services.containers, batches: services.batches });
    ipfsRoutes(app, { store: services.store });
  }
  if (dependencies.adapters !== undefined) {
    adapterStatusRoutes(app, { adapters: dependencies.adapters });
    loraWebhookRoutes(app, { receivers: dependencies.adapters.lora });
  }
  if (dependencies.stamping !== undefined) stampingRoutes(app, dependencies.stamping);
  if (dependencies.lots !== undefined)
    lotMetadataRoutes(app, { lots: dependencies.lots.repository });
  const pact = dependencies.pact;
  if (pact !== undefined) {
    // Its own plugin: its body parsers and PACT error bodies stay inside it.
    await app.register((scope, _options, done) => {
      pactRoutes(scope, pact);
      done();
    });
    // Shells are built from the published footprints, so the AAS API needs both lots and PACT.
    if (dependencies.lots !== undefined) {
      await registerAasRoutes(app, {
        lots: dependencies.lots.repository,
        footprints: pact.footprints,
      });
    }
  }
  app.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());

  await app.ready();
  return app;
}
