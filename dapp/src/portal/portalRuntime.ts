import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Hex, createPublicClient, http, isHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { eip712Domain } from "@energy-intelligence/sdk/eip712/index";
import { loadRuntimeConfig } from "../config/loadRuntimeConfig.ts";
import { readSiteCatalog } from "../wallet/readSiteCatalog.ts";
import { openPortalDatabase } from "./portalDatabase.ts";
import { portalDatabaseFile, portalRelayKeyFile } from "./portalPaths.ts";
import { PortalServer } from "./portalServer.ts";
import { PortalStamper } from "./portalStamper.ts";

/** The portal's own environment variables, next to the dApp's EI_DAPP_* ones (docs/portal.md). */
export const PORTAL_ENV = {
  dataDir: "EI_DAPP_DATA_DIR",
  relayKeyFile: "EI_PORTAL_RELAY_KEY_FILE",
  origin: "EI_PORTAL_ORIGIN",
  clientAddressHeader: "EI_PORTAL_CLIENT_ADDRESS_HEADER",
  trustedProxies: "EI_PORTAL_TRUSTED_PROXIES",
} as const;

export type PortalRuntime = { ok: true; server: PortalServer } | { ok: false; problems: string[] };

/**
 * Builds the portal server from the environment: the dApp's runtime config
 * (chain, RPC, deployments, gateway) plus the portal's data directory and
 * relay key. Reported, not thrown, so the API can say what to set.
 */
export async function createPortalRuntime(
  env: Record<string, string | undefined>,
  requestOrigin: string,
): Promise<PortalRuntime> {
  const runtime = await loadRuntimeConfig(env);
  if (!runtime.ok) return runtime;
  const { config } = runtime;
  const problems: string[] = [];
  // An empty variable counts as unset.
  const setting = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const configuredDataDir = setting(PORTAL_ENV.dataDir) ?? "data/dapp";
  // A path chosen at run time, not a file of the app: without the comment Turbopack's output
  // tracer cannot scope it and copies the whole project into the server build.
  const dataDir = path.resolve(/* turbopackIgnore: true */ configuredDataDir);
  const keyFile = setting(PORTAL_ENV.relayKeyFile) ?? portalRelayKeyFile(dataDir);
  let relayKey: Hex | undefined;
  try {
    const text = (await readFile(keyFile, "utf8")).trim();
    if (isHex(text) && text.length === 66) relayKey = text;
    else problems.push(`${keyFile} does not hold a private key (0x + 64 hex)`);
  } catch (error) {
    problems.push(
      `cannot read the portal relay key ${keyFile} (${(error as Error).message}); create it with \`ei portal relay-key --data-dir ${dataDir}\` or set ${PORTAL_ENV.relayKeyFile}`,
    );
  }
  const proxies = setting(PORTAL_ENV.trustedProxies) ?? "0";
  const trustedProxies = /^[0-9]{1,2}$/u.test(proxies) ? Number(proxies) : undefined;
  if (trustedProxies === undefined)
    problems.push(
      `${PORTAL_ENV.trustedProxies} must be the number of reverse proxies in front of the portal (0 to 99), not "${proxies}"`,
    );
  if (relayKey === undefined || trustedProxies === undefined) return { ok: false, problems };
  const origin = setting(PORTAL_ENV.origin) ?? config.publicUrl ?? requestOrigin;
  let db: ReturnType<typeof openPortalDatabase>;
  try {
    db = openPortalDatabase(portalDatabaseFile(dataDir));
  } catch (error) {
    return {
      ok: false,
      problems: [
        `cannot open the portal database in ${dataDir} (${(error as Error).message}); check ${PORTAL_ENV.dataDir} and that the directory is writable`,
      ],
    };
  }
  const publicClient = createPublicClient({ transport: http(config.rpcUrl) });
  const registry = config.deployments.EnergyRegistry;
  const jobStamps = config.deployments.JobStamps;
  const catalog = (siteId: Hex) =>
    readSiteCatalog({
      publicClient,
      registry: registry.address,
      jobStamps: jobStamps.address,
      siteId,
      fromBlock: BigInt(Math.min(registry.startBlock, jobStamps.startBlock)),
    });
  const stamper = new PortalStamper({
    db,
    relayAccount: privateKeyToAccount(relayKey),
    domain: eip712Domain({ chainId: config.chainId, verifyingContract: jobStamps.address }),
    gatewayUrl: config.gatewayUrl,
    catalog,
  });
  const clientAddressHeader = setting(PORTAL_ENV.clientAddressHeader);
  return {
    ok: true,
    server: new PortalServer({
      db,
      origin,
      stamper,
      catalog,
      ...(clientAddressHeader === undefined ? {} : { clientAddressHeader }),
      trustedProxies,
    }),
  };
}

const cache = globalThis as typeof globalThis & { eiPortalRuntime?: Promise<PortalRuntime> };

/** One portal server per Next server process (the SQLite handle is shared by all requests). */
export function portalRuntime(requestOrigin: string): Promise<PortalRuntime> {
  cache.eiPortalRuntime ??= createPortalRuntime(process.env, requestOrigin).then((result) => {
    // A misconfiguration is read again at the next request, once it is fixed.
    if (!result.ok) cache.eiPortalRuntime = undefined;
    return result;
  });
  return cache.eiPortalRuntime;
}
