import { z } from "zod";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/u, "expected a 0x-address")
  .transform((value) => value as `0x${string}`);
const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits")
  .transform((value) => value.toLowerCase() as `0x${string}`);

/** One phone allowed to text job stamps: its site and the machines it may stamp ("*" for all). */
export const smsPhoneSchema = z.strictObject({
  /** E.164, exactly as Twilio sends it in `From` (e.g. +4915112345678). */
  number: z.string().regex(/^\+[1-9][0-9]{6,14}$/u, "expected an E.164 number like +4915112345678"),
  siteId: bytes32,
  /** Machine names or ids this phone may stamp; ["*"] for every machine of the site. */
  machines: z.array(z.string().min(1)).min(1),
  /** SKU used when a START names none (else the site's only product, else the operator is asked). */
  defaultSku: z.string().min(1).optional(),
});
export type SmsPhoneConfig = z.output<typeof smsPhoneSchema>;

/** Operator text messages through Twilio (docs/stamping.md, SMS). */
export const smsConfigSchema = z.strictObject({
  /** A file holding the Twilio auth token that signs webhooks (kept out of this file). */
  authTokenFile: z.string().min(1),
  /**
   * The webhook URL exactly as configured in Twilio: the signature covers it,
   * and behind a proxy the gateway cannot see it. Defaults to the request's own URL.
   */
  webhookUrl: z.url().optional(),
  phones: z.array(smsPhoneSchema).default([]),
});

/**
 * Job stamping: the web2 API, SMS, relays, and the batched submission to
 * JobStamps. Off unless `enabled`, and when the gateway has no chain or no oracle key.
 */
export const jobsConfigSchema = z
  .strictObject({
    /** Opt in: a gateway stamps jobs only when its site uses the web2 channels. */
    enabled: z.boolean().default(false),
    /** Override the deployments file's JobStamps and EnergyRegistry. */
    jobStampsAddress: address.optional(),
    registryAddress: address.optional(),
    /**
     * A file holding the key that pays for stampMany transactions. Without it the
     * oracle key pays; give a separate one when anchoring runs on a chain that
     * does not mine at once, so the two never race for a transaction nonce.
     */
    relayerKeyFile: z.string().optional(),
    maxBatchStamps: z.int().min(1).max(200).default(50),
    /** How long the first queued stamp waits for others to share its transaction. */
    batchDelayMs: z.int().min(0).max(600_000).default(2000),
    pollIntervalMs: z.int().min(20).default(1000),
    backoffInitialMs: z.int().min(10).default(500),
    backoffMaxMs: z.int().min(100).default(60_000),
    /** How often machines, products and on-chain jobs are re-read from the chain. */
    directoryRefreshMs: z.int().min(100).default(30_000),
    sms: smsConfigSchema.optional(),
  })
  .prefault({});
export type JobsConfig = z.output<typeof jobsConfigSchema>;
