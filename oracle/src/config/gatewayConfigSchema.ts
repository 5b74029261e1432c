import { z } from "zod";
import { MAX_READINGS_PER_MESSAGE } from "@energy-intelligence/sdk";
import {
  chainConfigSchema,
  containersConfigSchema,
  ipfsConfigSchema,
} from "../containers/containersConfigSchema.ts";
import { factorSourcesConfigSchema } from "../factors/factorSourcesConfigSchema.ts";
import { adaptersConfigSchema } from "../adapters/adaptersConfigSchema.ts";
import { jobsConfigSchema } from "../jobs/jobsConfigSchema.ts";
import { lotsConfigSchema } from "../lots/lotsConfigSchema.ts";
import { pactConfigSchema } from "../pact/pactConfigSchema.ts";

const port = z.int().min(0).max(65_535);

/**
 * The gateway's configuration file (JSON), every field optional with the
 * embedded defaults shown. Secrets never live here: the oracle key comes from
 * `oracleKeyFile` (a path) or the EI_ORACLE_KEY environment variable.
 */
export const gatewayConfigSchema = z.strictObject({
  /** Holds gateway.sqlite (and, later, the IPFS blockstore). */
  dataDir: z.string().min(1).default("data/gateway"),
  http: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: port.default(8080),
      /** Whole-request deadline, so a slow client cannot hold a connection open. */
      requestTimeoutMs: z.int().min(1000).default(30_000),
      keepAliveTimeoutMs: z.int().min(100).default(5000),
    })
    .prefault({}),
  mqtt: z
    .discriminatedUnion("mode", [
      z.strictObject({
        /** An in-process aedes broker. */
        mode: z.literal("embedded"),
        host: z.string().min(1).default("127.0.0.1"),
        port: port.default(1883),
      }),
      z.strictObject({
        /** Subscribe to a production broker (Mosquitto, EMQX) with mqtt.js. */
        mode: z.literal("external"),
        url: z.string().regex(/^mqtts?:\/\/./u, "expected an mqtt:// or mqtts:// URL"),
        clientId: z.string().min(1).default("ei-gateway"),
        username: z.string().optional(),
        /** A file holding the broker password (kept out of this file). */
        passwordFile: z.string().optional(),
      }),
      z.strictObject({ mode: z.literal("off") }),
    ])
    .prefault({ mode: "embedded" }),
  ingest: z
    .strictObject({
      maxMessageBytes: z
        .int()
        .min(1024)
        .max(64 * 1024 * 1024)
        .default(4 * 1024 * 1024),
      maxClockSkewMs: z
        .int()
        .min(0)
        .default(5 * 60_000),
      /** Most readings per commit (one transaction, one fsync). */
      maxBatchReadings: z.int().min(1).default(20_000),
      /** How long a message waits for others before an idle queue commits. */
      maxDelayMs: z.int().min(0).max(1000).default(2),
      /** Readings queued before HTTP answers 503 and MQTT withholds PUBACKs. */
      maxQueuedReadings: z.int().min(MAX_READINGS_PER_MESSAGE).default(200_000),
      /** `worker`: SQLite on its own thread (default); `inline`: on the main thread. */
      writer: z.enum(["worker", "inline"]).default("worker"),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    })
    .prefault({}),
  /** A file holding the oracle's secp256k1 key (0x + 64 hex). EI_ORACLE_KEY overrides it. */
  oracleKeyFile: z.string().optional(),
  /** Streams closed into interval containers, period and grace (oracle/README.md, Anchoring). */
  containers: containersConfigSchema,
  /** Where container documents are stored: light Helia in dataDir, or Kubo. */
  ipfs: ipfsConfigSchema,
  /** The chain containers are anchored on; without it (or without a key) nothing is anchored. */
  chain: chainConfigSchema,
  /** Grid-intensity source (shipped, UK Carbon Intensity, Electricity Maps, on-chain), contractual instruments, WattTime (oracle/src/factors). */
  factors: factorSourcesConfigSchema,
  /** Devices read in their own protocols (docs/devices.md): Modbus, SunSpec, SNMP, Redfish, P1, pulse, emon, LoRaWAN. */
  adapters: adaptersConfigSchema,
  /** Job stamping: web2 API, relays, operator SMS, batched stampMany (docs/stamping.md). */
  jobs: jobsConfigSchema,
  /** Product lots minted from stopped jobs, with their footprint documents (docs/jobs-and-footprints.md). */
  lots: lotsConfigSchema,
  /** The PACT v3 data exchange for buyers (docs/standards.md, Serving PACT). */
  pact: pactConfigSchema,
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

/** Environment variables the gateway reads, validated at boot. */
export const gatewayEnvSchema = z.object({
  EI_ORACLE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits")
    .optional(),
  EI_ORACLE_KEY_FILE: z.string().min(1).optional(),
  EI_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
});
export type GatewayEnv = z.output<typeof gatewayEnvSchema>;
