import { z } from "zod";
import { ENERGY_SOURCES } from "@energy-intelligence/sdk/accounting/contractualInstruments";

const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits")
  .transform((value) => value.toLowerCase() as `0x${string}`);
const decimal = z
  .union([z.string().regex(/^(?:0|[1-9][0-9]*)$/u), z.int().min(0)])
  .transform((value) => BigInt(value));

/** One device channel a stream sums, with its counter's declared behaviour (sdk CounterChannelConfig). */
const streamChannelSchema = z.strictObject({
  deviceId: bytes32,
  channel: z.int().min(0).max(0xffff_ffff),
  /** Readings further apart than this are a gap; energy across it is flagged `gap-bridged`. */
  maxGapMs: z.int().positive().default(300_000),
  /** A drop to at most this counter value is a meter reset, not bad data. */
  resetThresholdMilliWattHours: decimal.default(1_000_000n),
  counterModulusMilliWattHours: decimal.optional(),
  maxPowerMilliWatts: decimal.optional(),
  /**
   * `generation`: an on-site generator (a SunSpec inverter channel; its exported counter is what it
   * produced), netted hour by hour against the stream's consumption channels (market-based,
   * `ei-container-v3`). Default `consumption`.
   */
  role: z.enum(["consumption", "generation"]).default("consumption"),
  /** What a generation channel runs on; required for `generation`. */
  source: z.enum(ENERGY_SOURCES).optional(),
});

const factorSourceSchema = z.strictObject({
  /** The grid region of a shipped dataset: an eGRID subregion, "GB", an EU country code, … */
  region: z.string().min(1),
  /** `latest-available` uses the newest earlier factor when none covers the hour, flagged. */
  policy: z.enum(["in-period", "latest-available"]).default("latest-available"),
});

/** A declared group of device channels closed into one container per period. */
export const streamConfigSchema = z
  .strictObject({
    siteId: bytes32,
    streamId: bytes32,
    channels: z.array(streamChannelSchema).min(1),
    location: factorSourceSchema,
    /** The residual-mix region (market-based); defaults to the location region. */
    market: factorSourceSchema.optional(),
  })
  .superRefine((stream, context) => {
    stream.channels.forEach((channel, index) => {
      if (channel.role === "generation" && channel.source === undefined)
        context.addIssue({
          code: "custom",
          path: ["channels", index, "source"],
          message: "a generation channel says what it runs on (solar, wind, …)",
        });
    });
    if (stream.channels.every((channel) => channel.role === "generation"))
      context.addIssue({
        code: "custom",
        path: ["channels"],
        message: "a stream needs at least one consumption channel",
      });
  });
export type StreamConfig = z.output<typeof streamConfigSchema>;

/** Interval containers: which streams, how long a period, how long to wait for late data. */
export const containersConfigSchema = z
  .strictObject({
    /** Period length; periods are aligned to the Unix epoch (15 min: :00, :15, :30, :45). */
    periodMs: z.int().min(1000).multipleOf(1000).default(900_000),
    /** How long after a period's end to wait for its closing readings before closing with a flagged estimate. */
    graceMs: z.int().min(0).default(120_000),
    /** How often the closer looks for periods to close. */
    checkIntervalMs: z.int().min(50).default(1000),
    /** A file holding the site secret (0x + ≥ 32 hex) that reading salts derive from; generated in dataDir when absent. */
    siteSecretFile: z.string().optional(),
    streams: z.array(streamConfigSchema).default([]),
    /**
     * Per site: `sealed` encrypts each container document to the site's auditors (X25519 +
     * AES-256-GCM, sdk/src/disclosure) while the header, totals and root stay public;
     * `public` (the default for sites not listed) publishes the readings in the clear.
     */
    disclosure: z
      .array(
        z.discriminatedUnion("mode", [
          z.strictObject({ siteId: bytes32, mode: z.literal("public") }),
          z.strictObject({
            siteId: bytes32,
            mode: z.literal("sealed"),
            /** The auditors' X25519 public keys (`ei`/sdk generateAuditorKeyPair), 0x + 64 hex each. */
            auditorPublicKeys: z.array(bytes32).min(1),
          }),
        ]),
      )
      .default([])
      .superRefine((entries, context) => {
        const seen = new Set<string>();
        entries.forEach((entry, index) => {
          if (seen.has(entry.siteId)) {
            context.addIssue({
              code: "custom",
              path: [index, "siteId"],
              message: `site ${entry.siteId} is listed twice`,
            });
          }
          seen.add(entry.siteId);
          if (entry.mode === "sealed") {
            const keys = new Set(entry.auditorPublicKeys);
            if (keys.size !== entry.auditorPublicKeys.length) {
              context.addIssue({
                code: "custom",
                path: [index, "auditorPublicKeys"],
                message: "an auditor key is listed twice",
              });
            }
          }
        });
      }),
  })
  .prefault({});
export type ContainersConfig = z.output<typeof containersConfigSchema>;

/** Where container documents go: light Helia in dataDir (embedded default) or a Kubo node. */
export const ipfsConfigSchema = z
  .discriminatedUnion("mode", [
    z.strictObject({ mode: z.literal("helia") }),
    z.strictObject({
      mode: z.literal("kubo"),
      /** Kubo's RPC API URL, e.g. http://127.0.0.1:5001. */
      url: z.url(),
      timeoutMs: z.int().min(100).default(10_000),
    }),
  ])
  .prefault({ mode: "helia" });
export type IpfsConfig = z.output<typeof ipfsConfigSchema>;

/** The chain the oracle anchors on; anchoring is off without it (or without an oracle key). */
export const chainConfigSchema = z
  .strictObject({
    rpcUrl: z.url(),
    /** deployments/<chainId>.json; DataContainers' address is read from it. */
    deploymentsFile: z.string().optional(),
    /** Overrides the deployments file. */
    containersAddress: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/u)
      .transform((value) => value as `0x${string}`)
      .optional(),
    /** Blocks on top of (and including) the anchoring block before a container is confirmed. */
    confirmations: z.int().min(1).default(2),
    /** Containers per anchorMany transaction (EIP-7825 caps a transaction at ~250). */
    maxBatchContainers: z.int().min(1).max(250).default(100),
    pollIntervalMs: z.int().min(20).default(1000),
    /** An unmined anchoring transaction is replaced with higher fees after this long. */
    replaceAfterMs: z.int().min(1000).default(60_000),
    requestTimeoutMs: z.int().min(100).default(5000),
    backoffInitialMs: z.int().min(10).default(500),
    backoffMaxMs: z.int().min(100).default(60_000),
  })
  .refine((chain) => chain.deploymentsFile !== undefined || chain.containersAddress !== undefined, {
    error: "give deploymentsFile or containersAddress",
  })
  .optional();
export type ChainConfig = z.output<typeof chainConfigSchema>;
