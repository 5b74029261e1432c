import { z } from "zod";

const http = {
  timeoutMs: z.int().min(100).default(10_000),
  /** A 429's Retry-After up to this long is waited out once; longer ones fall back and back off. */
  maxRetryWaitMs: z.int().min(0).default(5_000),
  cacheTtlMs: z
    .int()
    .min(0)
    .default(15 * 60_000),
};

/**
 * Where the gateway takes grid intensities from (oracle/src/factors). Every
 * live source falls back, hour by hour and recorded with its reason, to the
 * shipped datasets for the stream's region: the shipped source is always the
 * floor. Secrets (Electricity Maps token, WattTime password) come from files,
 * never from this config.
 */
export const gridIntensitySourceSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("shipped") }),
    z.strictObject({
      type: z.literal("uk-carbon-intensity"),
      baseUrl: z.url().default("https://api.carbonintensity.org.uk"),
      /** The NESO region id, 1–17 (13 London, 15 England, 16 Scotland, 17 Wales). */
      regionId: z.int().min(1).max(17),
      ...http,
    }),
    z.strictObject({
      type: z.literal("electricity-maps"),
      baseUrl: z.url().default("https://api.electricitymap.org"),
      zone: z.string().min(1),
      /** A file holding the auth-token. */
      authTokenFile: z.string().min(1),
      ...http,
    }),
    z.strictObject({
      type: z.literal("on-chain"),
      /** The intensity record (Chainlink Functions consumer) read through the gateway's chain RPC. */
      recordAddress: z
        .string()
        .regex(/^0x[0-9a-fA-F]{40}$/u)
        .transform((value) => value as `0x${string}`),
      /** The region key the record stores intensities under. */
      region: z.string().min(1),
    }),
  ])
  .prefault({ type: "shipped" });
export type GridIntensitySourceConfig = z.output<typeof gridIntensitySourceSchema>;

/** WattTime marginal signals, for job scheduling only (never an emission factor). */
export const marginalSignalSourceSchema = z
  .strictObject({
    baseUrl: z.url().default("https://api.watttime.org"),
    region: z.string().min(1),
    username: z.string().min(1),
    /** A file holding the WattTime password. */
    passwordFile: z.string().min(1),
    ...http,
  })
  .optional();

/** The `factors` section of the gateway config. */
export const factorSourcesConfigSchema = z
  .strictObject({
    /** Grid-average intensities for location-based Scope 2 (and, with kind lifecycle, product footprints). */
    grid: gridIntensitySourceSchema,
    /** Direct (Scope 2) or lifecycle (product footprint, ISO 14067) figures from the grid source. */
    kind: z.enum(["direct", "lifecycle"]).default("direct"),
    /** A file of contractual instruments (ei-contractual-instruments-v1): GOs, RECs, PPAs. */
    instrumentsFile: z.string().optional(),
    /** The site's market boundary (bidding zone) instruments must come from; defaults to the stream's region. */
    market: z.string().optional(),
    marginal: marginalSignalSourceSchema,
  })
  .prefault({});
export type FactorSourcesConfig = z.output<typeof factorSourcesConfigSchema>;
