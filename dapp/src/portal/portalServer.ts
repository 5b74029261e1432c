import type { Database } from "better-sqlite3";
import type { Hex } from "viem";
import { z } from "zod";
import type { SiteCatalog } from "../wallet/readSiteCatalog.ts";
import { LoginRateLimiter, type LoginRateLimits } from "./loginRateLimiter.ts";
import { PasskeyError, Passkeys, type RelyingParty } from "./passkeys.ts";
import {
  DEFAULT_SCRYPT,
  MAX_PASSWORD_LENGTH,
  type ScryptParameters,
  hashPassword,
  needsRehash,
  verifyPassword,
} from "./passwordHash.ts";
import {
  PortalSessions,
  type PortalSession,
  type SessionPolicy,
  sameSecret,
} from "./portalSessions.ts";
import { PortalStampError, type PortalStamper } from "./portalStamper.ts";
import { type PortalUser, PortalUsers, hasSiteRole } from "./portalUsers.ts";

export interface PortalServerParameters {
  db: Database;
  /** The portal's public origin (`https://portal.example.com`): CSRF origin check, passkey origin. */
  origin: string;
  /** Shown by authenticators when a passkey is made. */
  rpName?: string;
  stamper: PortalStamper;
  catalog: (siteId: Hex) => Promise<SiteCatalog>;
  scrypt?: ScryptParameters;
  sessions?: SessionPolicy;
  rateLimits?: LoginRateLimits;
  /**
   * Which request header carries the client's address, as set by the reverse
   * proxies in front of the portal (default `x-forwarded-for`). Read only when
   * `trustedProxies` is 1 or more.
   */
  clientAddressHeader?: string;
  /**
   * How many reverse proxies in front of the portal append to that header. The
   * client address is the entry the outermost of them appended (the Nth from the
   * right); entries further left came from the client and are ignored. 0 (the
   * default) trusts no header: Next's route handlers cannot see the TCP peer
   * (`next start` puts it in X-Forwarded-For only when the request has none, so
   * a client could name any address), so no per-address limit applies then and
   * the per-username limit is the guard.
   */
  trustedProxies?: number;
}

/** Path prefix of the portal's API (Next route handlers under app/api/portal). */
export const PORTAL_API_PREFIX = "/api/portal/";

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits");
const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});
const startBody = z.strictObject({
  siteId: bytes32,
  reference: z.string().min(1).max(64),
  machines: z.array(z.string().min(1)).min(1).max(32),
  product: z.string().min(1),
});
const stopBody = z.strictObject({
  siteId: bytes32,
  jobId: bytes32,
  units: z.number(),
});
// The browser library's JSON; @simplewebauthn/server checks every field it uses.
const credentialJson = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: z.string() }),
  clientExtensionResults: z.looseObject({}),
});

class HttpProblem extends Error {
  readonly status: number;
  readonly reason: string;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    reason: string,
    detail: string,
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = status;
    this.reason = reason;
    this.headers = headers;
  }
}

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad request",
  401: "Not signed in",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  415: "Unsupported media type",
  422: "Unprocessable request",
  429: "Too many attempts",
  503: "Service unavailable",
};

function problem(error: HttpProblem): Response {
  return Response.json(
    {
      type: `https://energy-intelligence.dev/problems/portal/${error.reason}`,
      title: TITLES[error.status] ?? "Error",
      status: error.status,
      detail: error.message,
      reason: error.reason,
    },
    {
      status: error.status,
      headers: {
        "content-type": "application/problem+json",
        "cache-control": "no-store",
        ...error.headers,
      },
    },
  );
}

function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = Response.json(body, { status, headers });
  response.headers.set("cache-control", "no-store");
  return response;
}

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (header === null) return undefined;
  for (const part of header.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/**
 * The web2 portal's server side, framework-agnostic: each method takes a Fetch
 * API `Request` and answers a `Response`, so Next's route handlers only
 * delegate (app/api/portal/[...route]/route.ts) and tests call it directly.
 *
 * Sessions are httpOnly, SameSite=Strict cookies (`__Host-` prefixed and Secure
 * on https). Every state-changing request must come from the portal's own
 * origin (Origin header, else Sec-Fetch-Site), be JSON, and, once signed in,
 * carry the session's CSRF token in `X-CSRF-Token`.
 */
export class PortalServer {
  readonly users: PortalUsers;
  readonly sessions: PortalSessions;
  readonly passkeys: Passkeys;
  readonly limiter: LoginRateLimiter;
  readonly #origin: string;
  readonly #secure: boolean;
  readonly #cookie: string;
  readonly #stamper: PortalStamper;
  readonly #catalog: (siteId: Hex) => Promise<SiteCatalog>;
  readonly #scrypt: ScryptParameters;
  readonly #clientAddressHeader: string;
  readonly #trustedProxies: number;
  #dummyHash: Promise<string> | undefined;

  constructor(parameters: PortalServerParameters) {
    const origin = new URL(parameters.origin);
    this.#origin = origin.origin;
    this.#secure = origin.protocol === "https:";
    // __Host-: the browser then refuses the cookie unless Secure, Path=/ and no Domain (no subdomain can set it).
    this.#cookie = this.#secure ? "__Host-ei_portal" : "ei_portal";
    const rp: RelyingParty = {
      name: parameters.rpName ?? "Energy-Intelligence portal",
      id: origin.hostname,
      origin: origin.origin,
    };
    this.users = new PortalUsers(parameters.db);
    this.sessions = new PortalSessions(parameters.db, parameters.sessions);
    this.passkeys = new Passkeys(parameters.db, rp);
    this.limiter = new LoginRateLimiter(parameters.db, parameters.rateLimits);
    this.#stamper = parameters.stamper;
    this.#catalog = parameters.catalog;
    this.#scrypt = parameters.scrypt ?? DEFAULT_SCRYPT;
    this.#clientAddressHeader = (parameters.clientAddressHeader ?? "x-forwarded-for").toLowerCase();
    this.#trustedProxies = parameters.trustedProxies ?? 0;
    if (!Number.isSafeInteger(this.#trustedProxies) || this.#trustedProxies < 0)
      throw new RangeError(`trustedProxies must be 0 or more, got ${this.#trustedProxies}`);
  }

  /** The session cookie's name. */
  get cookieName(): string {
    return this.#cookie;
  }

  #sessionCookie(token: string, maxAgeS: number): string {
    return [
      `${this.#cookie}=${token}`,
      "Path=/",
      "HttpOnly",
      "SameSite=Strict",
      `Max-Age=${maxAgeS}`,
      ...(this.#secure ? ["Secure"] : []),
    ].join("; ");
  }

  /** The client's address as the trusted proxies report it; undefined when none is trusted. */
  #clientAddress(request: Request): string | undefined {
    if (this.#trustedProxies === 0) return undefined;
    const entries = (request.headers.get(this.#clientAddressHeader) ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    // Fewer entries than proxies: the request did not pass through all of them.
    if (entries.length < this.#trustedProxies) return undefined;
    return entries[entries.length - this.#trustedProxies];
  }

  /** Same-origin and JSON, or refused: a cross-site form or fetch cannot change anything. */
  #checkOrigin(request: Request): void {
    const origin = request.headers.get("origin");
    if (origin !== null) {
      if (origin !== this.#origin)
        throw new HttpProblem(
          403,
          "csrf_origin",
          `requests must come from the portal's own pages (${this.#origin}), not ${origin}`,
        );
    } else if (request.headers.get("sec-fetch-site") !== "same-origin") {
      throw new HttpProblem(
        403,
        "csrf_origin",
        "the request does not say where it comes from (no Origin header); use the portal's pages",
      );
    }
    const type = request.headers.get("content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/json"))
      throw new HttpProblem(
        415,
        "unsupported_media_type",
        "send JSON (Content-Type: application/json)",
      );
  }

  #session(request: Request): { token: string; session: PortalSession; user: PortalUser } {
    const token = readCookie(request, this.#cookie);
    const session = this.sessions.resolve(token);
    const user = session === undefined ? undefined : this.users.byId(session.userId);
    if (token === undefined || session === undefined || user === undefined || user.disabled)
      throw new HttpProblem(401, "not_signed_in", "sign in to the portal first");
    return { token, session, user };
  }

  /** A signed-in, state-changing request: origin, JSON and the session's CSRF token. */
  #mutation(request: Request): { token: string; session: PortalSession; user: PortalUser } {
    this.#checkOrigin(request);
    const signedIn = this.#session(request);
    const sent = request.headers.get("x-csrf-token") ?? "";
    if (!sameSecret(sent, signedIn.session.csrfToken))
      throw new HttpProblem(
        403,
        "csrf_token",
        "the request lacks this session's CSRF token; reload the page and try again",
      );
    return signedIn;
  }

  async #body<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
    const text = await request.text();
    if (text.length > 64 * 1024)
      throw new HttpProblem(400, "body_too_large", "the request is too large");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpProblem(400, "invalid_json", "the request body is not JSON");
    }
    const result = schema.safeParse(parsed);
    if (!result.success)
      throw new HttpProblem(
        400,
        "invalid_request",
        result.error.issues
          .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
          .join("; "),
      );
    return result.data;
  }

  #sessionView(user: PortalUser, session: PortalSession) {
    return {
      user: {
        username: user.username,
        displayName: user.displayName,
        roles: user.roles,
        passkeys: this.passkeys.count(user.userId),
      },
      method: session.method,
      csrfToken: session.csrfToken,
      expiresAtMs: session.expiresAtMs,
    };
  }

  #signIn(user: PortalUser, method: PortalSession["method"]): Response {
    const { token, session } = this.sessions.create(user.userId, method);
    return json(this.#sessionView(user, session), 200, {
      "set-cookie": this.#sessionCookie(
        token,
        Math.floor(this.sessions.policy.absoluteTimeoutMs / 1000),
      ),
    });
  }

  #rateLimited(username: string, address: string | undefined): void {
    const decision = this.limiter.check(username, address);
    if (!decision.allowed)
      throw new HttpProblem(
        429,
        "too_many_attempts",
        `too many failed sign-ins; try again in ${Math.ceil(decision.retryAfterS / 60)} minute(s) or ask your site manager`,
        { "retry-after": String(decision.retryAfterS) },
      );
  }

  async #login(request: Request): Promise<Response> {
    this.#checkOrigin(request);
    const body = await this.#body(request, loginBody);
    const address = this.#clientAddress(request);
    this.#rateLimited(body.username, address);
    const user = this.users.byUsername(body.username);
    // A missing user costs one hash too, so timing does not reveal which usernames exist.
    this.#dummyHash ??= hashPassword("not a password of anyone", this.#scrypt);
    const stored = user?.passwordHash ?? (await this.#dummyHash);
    const valid = await verifyPassword(body.password, stored);
    if (user === undefined || user.passwordHash === null || !valid) {
      this.limiter.recordFailure(body.username, address);
      throw new HttpProblem(401, "invalid_credentials", "wrong username or password");
    }
    if (user.disabled)
      throw new HttpProblem(
        403,
        "user_disabled",
        "this portal account is disabled; ask your site manager",
      );
    this.limiter.recordSuccess(body.username);
    if (needsRehash(user.passwordHash, this.#scrypt))
      this.users.setPasswordHash(user.userId, await hashPassword(body.password, this.#scrypt));
    return this.#signIn(user, "password");
  }

  #logout(request: Request): Response {
    const { token } = this.#mutation(request);
    this.sessions.revoke(token);
    return json({ signedOut: true }, 200, { "set-cookie": this.#sessionCookie("", 0) });
  }

  async #passkeyRegisterOptions(request: Request): Promise<Response> {
    const { user } = this.#mutation(request);
    return json(await this.passkeys.registrationOptions(user));
  }

  async #passkeyRegister(request: Request): Promise<Response> {
    const { user } = this.#mutation(request);
    const body = await this.#body(request, credentialJson);
    try {
      const { credentialId } = await this.passkeys.register(
        user,
        body as unknown as Parameters<Passkeys["register"]>[1],
      );
      return json({ credentialId, passkeys: this.passkeys.count(user.userId) });
    } catch (error) {
      if (error instanceof PasskeyError)
        throw new HttpProblem(422, "passkey_invalid", error.message);
      throw error;
    }
  }

  async #passkeyLoginOptions(request: Request): Promise<Response> {
    this.#checkOrigin(request);
    const address = this.#clientAddress(request);
    this.#rateLimited("(passkey)", address);
    return json(await this.passkeys.authenticationOptions());
  }

  async #passkeyLogin(request: Request): Promise<Response> {
    this.#checkOrigin(request);
    const address = this.#clientAddress(request);
    this.#rateLimited("(passkey)", address);
    const body = await this.#body(request, credentialJson);
    let userId: number;
    try {
      userId = await this.passkeys.authenticate(
        body as unknown as Parameters<Passkeys["authenticate"]>[0],
      );
    } catch (error) {
      if (!(error instanceof PasskeyError)) throw error;
      this.limiter.recordFailure("(passkey)", address);
      throw new HttpProblem(401, "passkey_invalid", error.message);
    }
    const user = this.users.byId(userId);
    if (user === undefined || user.disabled)
      throw new HttpProblem(
        403,
        "user_disabled",
        "this portal account is disabled; ask your site manager",
      );
    return this.#signIn(user, "passkey");
  }

  #requireRole(user: PortalUser, siteId: Hex): void {
    if (!hasSiteRole(user, siteId, "operator"))
      throw new HttpProblem(
        403,
        "role_missing",
        `${user.username} is not an operator of site ${siteId}; ask the site manager for the operator role`,
      );
  }

  async #catalogOf(request: Request, siteId: string): Promise<Response> {
    const { user } = this.#session(request);
    if (!bytes32.safeParse(siteId).success)
      throw new HttpProblem(400, "invalid_request", "siteId: expected 0x and 64 hex digits");
    this.#requireRole(user, siteId as Hex);
    let catalog: SiteCatalog;
    try {
      catalog = await this.#catalog(siteId.toLowerCase() as Hex);
    } catch (error) {
      throw new HttpProblem(
        503,
        "chain_unavailable",
        `cannot read the chain: ${(error as Error).message}`,
      );
    }
    return json({
      machines: catalog.machines,
      products: catalog.products,
      jobs: catalog.jobs.slice(0, 50),
      blockNumber: catalog.blockNumber.toString(),
      relayAddress: this.#stamper.relayAddress,
    });
  }

  async #stamp(request: Request, action: "start" | "stop"): Promise<Response> {
    const { user } = this.#mutation(request);
    try {
      if (action === "start") {
        const body = await this.#body(request, startBody);
        this.#requireRole(user, body.siteId as Hex);
        return json(
          await this.#stamper.start({ userId: user.userId, ...body, siteId: body.siteId as Hex }),
          202,
        );
      }
      const body = await this.#body(request, stopBody);
      this.#requireRole(user, body.siteId as Hex);
      return json(
        await this.#stamper.stop({
          userId: user.userId,
          siteId: body.siteId as Hex,
          jobId: body.jobId as Hex,
          units: body.units,
        }),
        202,
      );
    } catch (error) {
      if (error instanceof PortalStampError)
        throw new HttpProblem(error.status, error.reason, error.message);
      throw error;
    }
  }

  async #route(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith(PORTAL_API_PREFIX))
      throw new HttpProblem(404, "not_found", `no portal route ${pathname}`);
    const route = pathname.slice(PORTAL_API_PREFIX.length).replace(/\/+$/u, "");
    const method = request.method.toUpperCase();
    const site = /^sites\/([^/]+)\/catalog$/u.exec(route);
    if (method === "GET" && route === "session") {
      const { user, session } = this.#session(request);
      return json(this.#sessionView(user, session));
    }
    if (method === "GET" && site !== null) return this.#catalogOf(request, site[1] ?? "");
    if (method !== "POST")
      throw new HttpProblem(405, "method_not_allowed", `${method} is not allowed on ${pathname}`);
    switch (route) {
      case "login":
        return this.#login(request);
      case "logout":
        return this.#logout(request);
      case "passkeys/register/options":
        return this.#passkeyRegisterOptions(request);
      case "passkeys/register":
        return this.#passkeyRegister(request);
      case "passkeys/login/options":
        return this.#passkeyLoginOptions(request);
      case "passkeys/login":
        return this.#passkeyLogin(request);
      case "jobs/start":
        return this.#stamp(request, "start");
      case "jobs/stop":
        return this.#stamp(request, "stop");
      default:
        throw new HttpProblem(404, "not_found", `no portal route ${pathname}`);
    }
  }

  /** Answers one portal API request; never throws (unexpected errors are a 500 without details). */
  async handle(request: Request): Promise<Response> {
    try {
      return await this.#route(request);
    } catch (error) {
      if (error instanceof HttpProblem) return problem(error);
      console.error("portal: unexpected error", error);
      return problem(new HttpProblem(500, "internal_error", "the portal failed; see its log"));
    }
  }
}
