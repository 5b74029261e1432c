import { z } from "zod";

const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits")
  .transform((value) => value.toLowerCase() as `0x${string}`);
const shareRule = z.enum(["energy", "machine-hours", "units", "none"]);

/**
 * Product lots (docs/jobs-and-footprints.md, "Minting"): the gateway follows
 * JobStopped events of its sites, builds each lot's footprint document from its
 * anchored containers, and mints the ProductLots token, signed by the oracle.
 *
 * Opt in (`enabled`, default false), independently of `jobs`: a site whose
 * operators stamp from their wallets mints lots without the web2 channels.
 * Needs a chain whose deployments file lists EnergyRegistry, JobStamps and
 * ProductLots (their start blocks bound every log scan), and an oracle key.
 */
export const lotsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Sites to mint for; default every site of `containers.streams`. */
    siteIds: z.array(bytes32).min(1).optional(),
    /** How a job's energy is cut (written into each footprint document). */
    rules: z
      .strictObject({
        /** Machines shared by overlapping jobs: `equal` parts or by `units`. */
        overlap: z.enum(["equal", "units"]).default("equal"),
        /** A machine's idle energy between jobs. */
        idle: shareRule.default("machine-hours"),
        /** Site meters tied to no machine. */
        overhead: shareRule.default("energy"),
      })
      .prefault({}),
    /** Mint a one-job lot for every JobStopped (default); off: only lots asked for through the API. */
    autoMint: z.boolean().default(true),
    /** How often JobStopped events are read. */
    pollIntervalMs: z.int().min(50).default(2000),
    /** How long a lot waiting for data or the chain waits before the next try. */
    retryMs: z.int().min(50).default(5000),
  })
  .prefault({});
export type LotsConfig = z.output<typeof lotsConfigSchema>;
