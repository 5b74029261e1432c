// Browser side of the portal API: JSON in and out, the CSRF token on every
// state-changing call, and problem+json answers turned into one readable line.

export interface PortalSessionView {
  user: {
    username: string;
    displayName: string;
    roles: { siteId: `0x${string}`; role: "operator" | "site-manager" }[];
    passkeys: number;
  };
  method: "password" | "passkey";
  csrfToken: string;
  expiresAtMs: number;
}

export interface PortalCatalogView {
  machines: { machineId: `0x${string}`; name: string }[];
  products: { productId: `0x${string}`; sku: string; name: string }[];
  jobs: {
    jobId: `0x${string}`;
    productId: `0x${string}`;
    machineIds: `0x${string}`[];
    startedAtS: number;
    startChannel: string;
    stoppedAtS: number | null;
    units: number | null;
    stopChannel: string | null;
  }[];
  blockNumber: string;
  relayAddress: `0x${string}`;
}

export class PortalApiError extends Error {
  override name = "PortalApiError";
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

async function call<T>(
  route: string,
  init: { method?: "GET" | "POST"; body?: unknown; csrfToken?: string } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/portal/${route}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...(init.csrfToken === undefined ? {} : { "x-csrf-token": init.csrfToken }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch {
    throw new PortalApiError(
      0,
      "network",
      "The portal server cannot be reached. Check the connection and try again.",
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = (body ?? {}) as { reason?: string; detail?: string; title?: string };
    throw new PortalApiError(
      response.status,
      problem.reason ?? "error",
      problem.detail ?? problem.title ?? `The portal answered ${response.status}.`,
    );
  }
  return body as T;
}

export const portalApi = {
  session: () => call<PortalSessionView>("session"),
  login: (username: string, password: string) =>
    call<PortalSessionView>("login", { body: { username, password } }),
  logout: (csrfToken: string) => call<unknown>("logout", { body: {}, csrfToken }),
  catalog: (siteId: string) => call<PortalCatalogView>(`sites/${siteId}/catalog`),
  start: (
    csrfToken: string,
    body: { siteId: string; reference: string; machines: string[]; product: string },
  ) => call<{ jobId: string; state: string; timeS: number }>("jobs/start", { body, csrfToken }),
  stop: (csrfToken: string, body: { siteId: string; jobId: string; units: number }) =>
    call<{ jobId: string; state: string; timeS: number }>("jobs/stop", { body, csrfToken }),
  passkeyRegisterOptions: (csrfToken: string) =>
    call<unknown>("passkeys/register/options", { body: {}, csrfToken }),
  passkeyRegister: (csrfToken: string, credential: unknown) =>
    call<{ passkeys: number }>("passkeys/register", { body: credential, csrfToken }),
  passkeyLoginOptions: () => call<unknown>("passkeys/login/options", { body: {} }),
  passkeyLogin: (credential: unknown) =>
    call<PortalSessionView>("passkeys/login", { body: credential }),
};
