import type { Database } from "better-sqlite3";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  lotProofExtensionJsonSchema,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";
import { materialsExtensionJsonSchema } from "@energy-intelligence/sdk/bom/index";
import { sendOAuthError, sendPactError } from "./pactErrors.ts";
import { pactCriteriaSchema, pactEventSchema, type PactCriteria } from "./pactEventSchema.ts";
import type { PactClientsRepository } from "./pactClientsRepository.ts";
import type { PactFootprintsRepository } from "./pactFootprintsRepository.ts";

export interface PactRoutesOptions {
  clients: PactClientsRepository;
  footprints: PactFootprintsRepository;
  db: Database;
  /** Bearer token lifetime; default one hour. */
  tokenLifetimeMs?: number | undefined;
  /** Largest page; a larger `limit` is served as this many with a next link. Default 100. */
  maxPageSize?: number | undefined;
  now?: (() => number) | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const ARRAY_CRITERIA = ["productId", "companyId", "geography", "classification"] as const;
const SCALAR_CRITERIA = ["validOn", "validAfter", "validBefore", "status"] as const;
const THREE_YEARS = 3;

const requestBase = (request: FastifyRequest) =>
  `${request.protocol}://${request.headers.host ?? request.hostname}`;

/** The validity period the spec implies when none is set: 3 years from the reference period's end. */
function validityOf(pf: PactProductFootprint): { start: number; end: number } {
  if (pf.validityPeriodStart !== undefined && pf.validityPeriodEnd !== undefined)
    return { start: Date.parse(pf.validityPeriodStart), end: Date.parse(pf.validityPeriodEnd) };
  const start = Date.parse(pf.pcf.referencePeriodEnd);
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + THREE_YEARS);
  return { start, end: end.getTime() };
}

function matches(pf: PactProductFootprint, criteria: PactCriteria): boolean {
  const any = (wanted: readonly string[] | undefined, have: readonly string[]) =>
    wanted === undefined || wanted.some((value) => have.includes(value));
  const geography = [
    pf.pcf.geographyCountry,
    pf.pcf.geographyCountrySubdivision,
    pf.pcf.geographyRegionOrSubregion,
  ].filter((value): value is NonNullable<typeof value> => value !== undefined);
  const { start, end } = validityOf(pf);
  return (
    any(criteria.productId, pf.productIds) &&
    any(criteria.companyId, pf.companyIds) &&
    any(criteria.geography, geography) &&
    any(criteria.classification, pf.productClassifications ?? []) &&
    (criteria.status === undefined || criteria.status === pf.status) &&
    (criteria.validOn === undefined ||
      (start <= Date.parse(criteria.validOn) && Date.parse(criteria.validOn) < end)) &&
    (criteria.validAfter === undefined || Date.parse(criteria.validAfter) < start) &&
    (criteria.validBefore === undefined || Date.parse(criteria.validBefore) > end)
  );
}

/**
 * The PACT Technical Specifications v3.0 HTTP API (docs/standards.md):
 * `POST /auth/token` (OAuth 2.0 client credentials, HTTP Basic client auth,
 * form-encoded), the OpenID provider configuration that points at it,
 * `GET /3/footprints` (the spec's filters, `limit`, RFC 8288 `Link: rel="next"`
 * pagination with an absolute URL on the request's host), `GET
 * /3/footprints/{id}` and `POST /3/events` (CloudEvents, structured mode).
 * Errors are the spec's `{ code, message }` bodies; the token endpoint's are
 * RFC 6749 §5.2. Refused requests change nothing.
 *
 * Registered as its own plugin so that its body parsers (form and
 * `application/cloudevents+json`) stay inside it.
 */
export function pactRoutes(app: FastifyInstance, options: PactRoutesOptions): void {
  const now = options.now ?? Date.now;
  const lifetimeMs = options.tokenLifetimeMs ?? 3_600_000;
  const maxPage = options.maxPageSize ?? 100;

  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 4096 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  app.addContentTypeParser(
    "application/cloudevents+json",
    { parseAs: "string", bodyLimit: 4 * 1024 * 1024 },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string) as unknown);
      } catch {
        const error = new Error("the body is not JSON") as Error & { statusCode: number };
        error.statusCode = 400;
        done(error, undefined);
      }
    },
  );
  // Inside this plugin every error, parse errors included, is a PACT error body.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, "pact request failed");
      return sendPactError(reply, "InternalError", "An internal or unexpected error has occurred");
    }
    return sendPactError(reply, "BadRequest", error.message);
  });

  app.get("/.well-known/openid-configuration", { schema: { hide: true } }, (request) => {
    const base = requestBase(request);
    return {
      issuer: base,
      token_endpoint: `${base}/auth/token`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic"],
      response_types_supported: ["token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["none"],
      jwks_uri: `${base}/.well-known/jwks.json`,
    };
  });
  // The public JSON Schema our footprints' lot-proof extension names as its dataSchema.
  app.get("/pact/extensions/ei-lot-proof/1.0.0/schema.json", { schema: { hide: true } }, () =>
    lotProofExtensionJsonSchema(),
  );
  // … and the one a materials-plus-production footprint (bill of materials) names.
  app.get("/pact/extensions/ei-materials/1.0.0/schema.json", { schema: { hide: true } }, () =>
    materialsExtensionJsonSchema(),
  );
  // The discovery document names a key set; we issue opaque tokens, so it is empty.
  app.get("/.well-known/jwks.json", { schema: { hide: true } }, () => ({ keys: [] }));

  app.post("/auth/token", { schema: { hide: true } }, (request, reply) => {
    const header = request.headers.authorization ?? "";
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/iu.exec(header);
    if (match?.[1] === undefined)
      return sendOAuthError(
        reply,
        401,
        "invalid_client",
        "HTTP Basic client authentication is required",
      );
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return sendOAuthError(reply, 401, "invalid_client", "Authentication failed");
    // RFC 6749 §2.3.1: both halves are form-encoded before Basic encoding.
    let clientId: string;
    let clientSecret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/gu, " "));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/gu, " "));
    } catch {
      return sendOAuthError(reply, 401, "invalid_client", "Authentication failed");
    }
    const body = request.body;
    if (
      !request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") ||
      typeof body !== "object" ||
      body === null
    )
      return sendOAuthError(
        reply,
        400,
        "invalid_request",
        "expected an application/x-www-form-urlencoded body",
      );
    const grant = (body as Record<string, unknown>).grant_type;
    if (grant === undefined)
      return sendOAuthError(reply, 400, "invalid_request", "grant_type is missing");
    if (grant !== "client_credentials")
      return sendOAuthError(
        reply,
        400,
        "unsupported_grant_type",
        "only client_credentials is supported",
      );
    if (!options.clients.authenticate(clientId, clientSecret))
      return sendOAuthError(reply, 401, "invalid_client", "Authentication failed");
    const token = options.clients.issueToken(clientId, now(), lifetimeMs);
    return reply.header("cache-control", "no-store").send({
      access_token: token,
      token_type: "bearer",
      expires_in: Math.floor(lifetimeMs / 1000),
    });
  });

  /** Checks the bearer token; on failure sends the error and returns undefined. */
  const authorize = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
    const match = /^Bearer\s+(\S+)$/iu.exec(request.headers.authorization ?? "");
    if (match?.[1] === undefined) {
      void sendPactError(reply, "AccessDenied", "Access denied: a bearer token is required");
      return undefined;
    }
    const check = options.clients.checkToken(match[1], now());
    if (check.status === "expired") {
      void sendPactError(reply, "TokenExpired", "The specified access token has expired");
      return undefined;
    }
    if (check.status === "unknown") {
      void sendPactError(reply, "AccessDenied", "Access denied");
      return undefined;
    }
    return check.clientId;
  };

  app.get("/3/footprints", { schema: { hide: true } }, (request, reply) => {
    if (authorize(request, reply) === undefined) return reply;
    const url = new URL(request.url, "http://host");
    const params = url.searchParams;
    const raw: Record<string, unknown> = {};
    for (const key of new Set(params.keys())) {
      if (key === "$filter")
        return sendPactError(
          reply,
          "NotImplemented",
          "OData $filter is deprecated in PACT 3.0 and not implemented",
        );
      if (key === "limit" || key === "offset") continue;
      if ((ARRAY_CRITERIA as readonly string[]).includes(key)) raw[key] = params.getAll(key);
      else if ((SCALAR_CRITERIA as readonly string[]).includes(key)) {
        if (params.getAll(key).length > 1)
          return sendPactError(reply, "BadRequest", `${key} may be given once`);
        raw[key] = params.get(key);
      } else return sendPactError(reply, "BadRequest", `unknown filter: ${key}`);
    }
    const criteria = pactCriteriaSchema.safeParse(raw);
    if (!criteria.success) {
      const [issue] = criteria.error.issues;
      return sendPactError(
        reply,
        "BadRequest",
        `${issue?.path.join(".") ?? "filter"}: ${issue?.message ?? "invalid"}`,
      );
    }
    const integer = (name: string, min: number): number | undefined | null => {
      const value = params.get(name);
      if (value === null) return undefined;
      return /^\d+$/u.test(value) && Number(value) >= min && Number.isSafeInteger(Number(value))
        ? Number(value)
        : null;
    };
    const limit = integer("limit", 1);
    const offset = integer("offset", 0);
    if (limit === null)
      return sendPactError(reply, "BadRequest", "limit must be a positive integer");
    if (offset === null)
      return sendPactError(reply, "BadRequest", "offset must be a non-negative integer");
    // A stored row that no longer passes the schema is left out of listings, with a warning.
    const all = options.footprints
      .all((id, reason) => {
        request.log.warn({ footprintId: id, reason }, "pact footprint unreadable; not listed");
      })
      .filter((pf) => matches(pf, criteria.data));
    const start = offset ?? 0;
    const size = Math.min(limit ?? maxPage, maxPage);
    const page = all.slice(start, start + size);
    if (start + size < all.length) {
      const next = new URL(`${requestBase(request)}${url.pathname}${url.search}`);
      next.searchParams.set("limit", String(size));
      next.searchParams.set("offset", String(start + size));
      reply.header("link", `<${next.toString()}>; rel="next"`);
    }
    return reply.send({ data: page });
  });

  app.get<{ Params: { id: string } }>(
    "/3/footprints/:id",
    { schema: { hide: true } },
    (request, reply) => {
      if (authorize(request, reply) === undefined) return reply;
      if (!UUID.test(request.params.id))
        return sendPactError(reply, "BadRequest", "a footprint id is a UUID");
      const id = request.params.id.toLowerCase();
      const found = options.footprints.read(id);
      if (found.status === "missing")
        return sendPactError(reply, "NoSuchFootprint", "The specified footprint does not exist.");
      if (found.status === "unreadable") {
        // It exists but is not a valid footprint: the server's fault, the spec's InternalError.
        request.log.error({ footprintId: id, reason: found.reason }, "pact footprint unreadable");
        return sendPactError(
          reply,
          "InternalError",
          "The footprint is stored but cannot be served; the host system's log says why.",
        );
      }
      return reply.send({ data: found.footprint });
    },
  );

  app.post("/3/events", { schema: { hide: true } }, (request, reply) => {
    const clientId = authorize(request, reply);
    if (clientId === undefined) return reply;
    const type = request.headers["content-type"] ?? "";
    if (!/^application\/(cloudevents\+)?json/iu.test(type))
      return sendPactError(
        reply,
        "BadRequest",
        "expected application/cloudevents+json (structured mode)",
      );
    const parsed = pactEventSchema.safeParse(request.body);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const path = issue?.path.join(".") ?? "";
      return sendPactError(
        reply,
        "BadRequest",
        `malformed event${path === "" ? "" : ` at ${path}`}: ${issue?.message ?? "invalid"}`,
      );
    }
    const event = parsed.data;
    // Stored as received; a retry of the same (source, id) is accepted and not stored twice.
    options.db
      .prepare(
        "INSERT OR IGNORE INTO pact_events (source, event_id, type, client_id, received_at_ms, json) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(event.source, event.id, event.type, clientId, now(), JSON.stringify(request.body));
    return reply.code(200).send();
  });
}
