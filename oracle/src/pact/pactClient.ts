import {
  productFootprintSchema,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";

/** A PACT host refused a request or answered something that is not PACT. */
export class PactClientError extends Error {
  override name = "PactClientError";
  /** The spec's error code (`AccessDenied`…) or the OAuth error (`invalid_client`…), when the host sent one. */
  readonly code: string | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: { code?: string; status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
  }
}

export interface PactClientOptions {
  /** The host's base URL (the one its `/3/footprints` and `/auth/token` hang off). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch | undefined;
  /** Page size asked for; the host may send fewer. */
  pageSize?: number | undefined;
  /** Stops after this many pages (a host whose next links never end). Default 1000. */
  maxPages?: number | undefined;
}

/** A footprint the host sent that fails the PACT v3 data model, with every failing field. */
export interface RejectedFootprint {
  /** Position in the listing (0-based across pages). */
  index: number;
  id: string | undefined;
  issues: string[];
}

export interface PactPullResult {
  accepted: PactProductFootprint[];
  rejected: RejectedFootprint[];
  pages: number;
}

const base = (url: string) => url.replace(/\/+$/u, "");
// RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding.
const formEncode = (text: string) => encodeURIComponent(text).replace(/%20/gu, "+");

async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new PactClientError(`${what}: HTTP ${response.status} with a body that is not JSON`, {
      status: response.status,
      cause,
    });
  }
}

function errorOf(body: unknown, status: number, what: string): PactClientError {
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const code =
    typeof record.code === "string"
      ? record.code
      : typeof record.error === "string"
        ? record.error
        : undefined;
  const message =
    typeof record.message === "string"
      ? record.message
      : typeof record.error_description === "string"
        ? record.error_description
        : "";
  return new PactClientError(
    `${what}: HTTP ${status}${code === undefined ? "" : ` ${code}`}${message === "" ? "" : `: ${message}`}`,
    { status, ...(code === undefined ? {} : { code }) },
  );
}

/**
 * The token endpoint: the OpenID provider configuration's `token_endpoint`
 * when the host publishes one (PACT v3 says a host SHOULD), else
 * `<base>/auth/token`.
 */
async function tokenEndpointOf(options: PactClientOptions, doFetch: typeof fetch): Promise<string> {
  const fallback = `${base(options.baseUrl)}/auth/token`;
  try {
    const response = await doFetch(`${base(options.baseUrl)}/.well-known/openid-configuration`, {
      headers: { accept: "application/json" },
    });
    if (!response.ok) return fallback;
    const body = (await response.json()) as { token_endpoint?: unknown };
    return typeof body.token_endpoint === "string" ? body.token_endpoint : fallback;
  } catch {
    return fallback;
  }
}

/** OAuth 2.0 client credentials (RFC 6749 §4.4) with HTTP Basic client authentication. */
export async function fetchPactToken(options: PactClientOptions): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const endpoint = await tokenEndpointOf(options, doFetch);
  const response = await doFetch(endpoint, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    },
    body: "grant_type=client_credentials",
  });
  const body = await readJson(response, "token request");
  if (!response.ok) throw errorOf(body, response.status, "token request refused");
  const token = (body as { access_token?: unknown }).access_token;
  if (typeof token !== "string" || token === "")
    throw new PactClientError("token response has no access_token", { status: response.status });
  return token;
}

/** The `rel="next"` target of an RFC 8288 Link header, if any. */
export function nextLinkOf(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(/,(?=\s*<)/u)) {
    const match = /<([^>]*)>\s*;(.*)$/u.exec(part.trim());
    if (match !== null && /\brel="?next"?/iu.test(match[2] ?? "")) return match[1];
  }
  return undefined;
}

/**
 * Pulls every footprint a PACT v3 host lists for us: a token by client
 * credentials, then `GET /3/footprints` page by page along the `Link:
 * rel="next"` headers. Each footprint is checked against the PACT v3 data
 * model; one that fails is returned in `rejected` with all its failing fields,
 * never in `accepted`. A next link to another origin is refused (the bearer
 * token must not leave the host it was issued by).
 *
 * @throws {PactClientError} the host refused (its error code and message), or answered something not PACT.
 */
export async function pullPactFootprints(options: PactClientOptions): Promise<PactPullResult> {
  const doFetch = options.fetch ?? fetch;
  const token = await fetchPactToken(options);
  const origin = new URL(base(options.baseUrl)).origin;
  const first = new URL(`${base(options.baseUrl)}/3/footprints`);
  if (options.pageSize !== undefined) first.searchParams.set("limit", String(options.pageSize));
  let url: string | undefined = first.toString();
  const accepted: PactProductFootprint[] = [];
  const rejected: RejectedFootprint[] = [];
  let pages = 0;
  let index = 0;
  const maxPages = options.maxPages ?? 1000;
  while (url !== undefined) {
    if (pages >= maxPages)
      throw new PactClientError(
        `stopped after ${maxPages} pages: the host's next links do not end`,
      );
    if (new URL(url).origin !== origin)
      throw new PactClientError(`the next link ${url} leaves ${origin}; not following it`);
    const response = await doFetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    });
    const body = await readJson(response, `GET ${url}`);
    if (!response.ok) throw errorOf(body, response.status, `GET ${url} refused`);
    const data = (body as { data?: unknown }).data;
    if (!Array.isArray(data))
      throw new PactClientError(`GET ${url}: the body has no "data" array`, {
        status: response.status,
      });
    pages += 1;
    for (const item of data as unknown[]) {
      const parsed = productFootprintSchema.safeParse(item);
      if (parsed.success) accepted.push(parsed.data);
      else {
        const id = (item as { id?: unknown } | null)?.id;
        rejected.push({
          index,
          id: typeof id === "string" ? id : undefined,
          issues: parsed.error.issues.map(
            (issue) => `${issue.path.join(".") || "(footprint)"}: ${issue.message}`,
          ),
        });
      }
      index += 1;
    }
    const next = nextLinkOf(response.headers.get("link"));
    url = next === undefined ? undefined : new URL(next, url).toString();
  }
  return { accepted, rejected, pages };
}
