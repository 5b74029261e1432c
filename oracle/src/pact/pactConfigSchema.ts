import { z } from "zod";
import { pactGeographyCountrySchema, pactUrnSchema } from "@energy-intelligence/sdk/pact/index";

/**
 * The PACT v3 data exchange the gateway serves (docs/standards.md, "Serving
 * PACT"): `/auth/token`, `/.well-known/openid-configuration`, `/3/footprints`,
 * `/3/events`. Off unless `enabled`. When `lots` runs too, every minted lot
 * is published as a ProductFootprint in the step that records the mint.
 * Buyers' credentials are not configured here (secrets): they are created in
 * the store (`gateway.pact.clients.create`), stored hashed.
 */
export const pactConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /**
     * The gateway's URL as buyers reach it (behind a proxy, the public one). The
     * lot-proof extension's `dataSchema` and the default verify URL are built on
     * it. Default: the URL the gateway listens on.
     */
    publicUrl: z.url().optional(),
    /**
     * Where a buyer checks a lot against the chain (a dApp lot page, say):
     * `{lotId}` is replaced by the decimal token id, `{id}` by its 64 hex digits.
     * Default: `<publicUrl>/v1/tokens/{id}.json`, the lot's metadata on this gateway.
     */
    verifyUrl: z
      .string()
      .refine((value) => /\{(lotId|id)\}/u.test(value), "expected {lotId} or {id} in the URL")
      .refine((value) => URL.canParse(value.replaceAll(/\{(lotId|id)\}/gu, "1")), "expected a URL")
      .optional(),
    /** Bearer token lifetime. */
    tokenLifetimeMs: z
      .int()
      .min(60_000)
      .max(24 * 3_600_000)
      .default(3_600_000),
    /** Largest page of `GET /3/footprints`. */
    maxPageSize: z.int().min(1).max(1000).default(100),
    /** `companyName` and `companyIds`; default the site's name on chain and `urn:ei:site:<siteId>`. */
    company: z
      .strictObject({ name: z.string().min(1), ids: z.array(pactUrnSchema).min(1) })
      .optional(),
    /**
     * `pcf.geographyCountry` (ISO 3166-1 alpha-2). Default: the site's streams'
     * location region when it is a country code, else left out.
     */
    geographyCountry: pactGeographyCountrySchema.optional(),
    /** Which electricity figure is the PCF: market-based (PACT's choice) or location-based. */
    electricityMethod: z.enum(["market", "location"]).default("market"),
  })
  .prefault({});
export type PactConfig = z.output<typeof pactConfigSchema>;
