import { readFile } from "node:fs/promises";
import { runtimeConfigSchema } from "./runtimeConfigSchema.ts";
import type { RuntimeConfig } from "./runtimeConfigSchema.ts";

/** The environment variables the dapp reads at run time; docs/dapp.md describes each. */
export const RUNTIME_ENV = {
  subgraphUrl: "EI_DAPP_SUBGRAPH_URL",
  gatewayUrl: "EI_DAPP_GATEWAY_URL",
  ipfsGatewayUrl: "EI_DAPP_IPFS_GATEWAY_URL",
  chainId: "EI_DAPP_CHAIN_ID",
  rpcUrl: "EI_DAPP_RPC_URL",
  deployments: "EI_DAPP_DEPLOYMENTS",
  deploymentsFile: "EI_DAPP_DEPLOYMENTS_FILE",
  publicUrl: "EI_DAPP_PUBLIC_URL",
} as const;

export type RuntimeConfigResult =
  { ok: true; config: RuntimeConfig } | { ok: false; problems: string[] };

/** Reads and checks the runtime configuration from an environment (process.env on the server). */
export async function loadRuntimeConfig(
  env: Record<string, string | undefined>,
): Promise<RuntimeConfigResult> {
  const problems: string[] = [];
  let deployments: unknown;
  const inline = env[RUNTIME_ENV.deployments];
  const file = env[RUNTIME_ENV.deploymentsFile];
  try {
    if (inline !== undefined && inline !== "") deployments = JSON.parse(inline);
    else if (file !== undefined && file !== "")
      deployments = JSON.parse(await readFile(file, "utf8"));
    else
      problems.push(
        `set ${RUNTIME_ENV.deploymentsFile} (a deployments/<chainId>.json file) or ${RUNTIME_ENV.deployments} (its JSON)`,
      );
  } catch (error) {
    problems.push(
      `could not read the deployments (${inline ? RUNTIME_ENV.deployments : (file ?? "")}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const chainId = env[RUNTIME_ENV.chainId];
  const candidate = {
    subgraphUrl: env[RUNTIME_ENV.subgraphUrl],
    gatewayUrl: env[RUNTIME_ENV.gatewayUrl],
    ipfsGatewayUrl: env[RUNTIME_ENV.ipfsGatewayUrl] ?? ipfsFromGateway(env[RUNTIME_ENV.gatewayUrl]),
    chainId: chainId === undefined || chainId === "" ? undefined : Number(chainId),
    rpcUrl: env[RUNTIME_ENV.rpcUrl],
    deployments,
    publicUrl: emptyToUndefined(env[RUNTIME_ENV.publicUrl]),
  };
  const parsed = runtimeConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if (key === "deployments" && problems.length > 0) continue;
      const envName =
        typeof key === "string" && key in RUNTIME_ENV
          ? RUNTIME_ENV[key as keyof typeof RUNTIME_ENV]
          : String(key);
      const where = issue.path.slice(1).join(".");
      problems.push(`${envName}${where ? ` (${where})` : ""}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, config: parsed.data };
}

// The gateway serves its blockstore at /ipfs/<cid>, so it is the default IPFS gateway.
function ipfsFromGateway(gatewayUrl: string | undefined): string | undefined {
  return gatewayUrl === undefined || gatewayUrl === "" ? undefined : gatewayUrl;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === "" ? undefined : value;
}
