// Builds a portal server on a fresh SQLite file for tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "better-sqlite3";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { eip712Domain } from "@energy-intelligence/sdk/eip712/index";
import { hashPassword, type ScryptParameters } from "../src/portal/passwordHash.ts";
import { openPortalDatabase } from "../src/portal/portalDatabase.ts";
import { PortalServer, type PortalServerParameters } from "../src/portal/portalServer.ts";
import { PortalStamper } from "../src/portal/portalStamper.ts";
import type { PortalRole } from "../src/portal/portalUsers.ts";
import type { SiteCatalog } from "../src/wallet/readSiteCatalog.ts";

export const ORIGIN = "http://127.0.0.1:3000";
/** Cheap scrypt for tests that are not about hashing cost (the default is tested on its own). */
export const TEST_SCRYPT: ScryptParameters = { N: 2 ** 12, r: 8, p: 1 };
export const SITE_A: Hex = `0x${"a1".repeat(32)}`;
export const SITE_B: Hex = `0x${"b2".repeat(32)}`;

export interface TestPortal {
  server: PortalServer;
  db: Database;
  directory: string;
  addUser(
    username: string,
    password: string,
    roles: { siteId: Hex; role: PortalRole }[],
  ): Promise<number>;
  close(): void;
}

export function openTestPortal(
  options: {
    catalog?: (siteId: Hex) => Promise<SiteCatalog>;
    stamper?: (db: Database) => PortalStamper;
    server?: Partial<PortalServerParameters>;
  } = {},
): TestPortal {
  const directory = mkdtempSync(path.join(tmpdir(), "ei-portal-"));
  const db = openPortalDatabase(path.join(directory, "portal.sqlite"));
  const catalog =
    options.catalog ??
    (() => Promise.resolve({ machines: [], products: [], jobs: [], blockNumber: 0n }));
  const stamper =
    options.stamper?.(db) ??
    new PortalStamper({
      db,
      relayAccount: privateKeyToAccount(generatePrivateKey()),
      domain: eip712Domain({
        chainId: 31337,
        verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      }),
      // Nothing listens here: a test that reaches the gateway by mistake gets a 503, not a pass.
      gatewayUrl: "http://127.0.0.1:9",
      catalog,
    });
  const server = new PortalServer({
    db,
    origin: ORIGIN,
    stamper,
    catalog,
    scrypt: TEST_SCRYPT,
    ...options.server,
  });
  return {
    server,
    db,
    directory,
    addUser: async (username, password, roles) =>
      server.users.create({
        username,
        passwordHash: await hashPassword(password, TEST_SCRYPT),
        roles,
      }).userId,
    close: () => {
      db.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A browser-like request from the portal's own page. */
export function portalRequest(
  route: string,
  init: {
    method?: string;
    body?: unknown;
    cookie?: string;
    csrf?: string;
    origin?: string | null;
    headers?: Record<string, string>;
  } = {},
): Request {
  const headers: Record<string, string> = { ...init.headers };
  if (init.origin !== null) headers.origin = init.origin ?? ORIGIN;
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  if (init.csrf !== undefined) headers["x-csrf-token"] = init.csrf;
  return new Request(`${ORIGIN}/api/portal/${route}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
  });
}

/** The `name=value` of a Set-Cookie header, for the next request's Cookie header. */
export function cookieOf(response: Response): string {
  const header = response.headers.get("set-cookie");
  if (header === null) throw new Error(`no Set-Cookie (status ${response.status})`);
  return header.split(";")[0] ?? "";
}

export async function signIn(
  portal: TestPortal,
  username: string,
  password: string,
): Promise<{ cookie: string; csrf: string }> {
  const response = await portal.server.handle(
    portalRequest("login", { body: { username, password } }),
  );
  if (response.status !== 200) throw new Error(`sign-in failed: ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: cookieOf(response), csrf: body.csrfToken };
}
