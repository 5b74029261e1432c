/**
 * The one door to @chainlink/functions-toolkit and the ethers v5 it brings. Product code (sdk, oracle,
 * contracts tests) uses viem; only functions/tooling reaches ethers v5, and only through here.
 */
import { createRequire } from "node:module";
import path from "node:path";
import {
  deployFunctionsOracle,
  simulateScript,
  type SimulationInput,
  type SimulationResult,
} from "@chainlink/functions-toolkit";

const require = createRequire(import.meta.url);
const toolkitRequire = createRequire(require.resolve("@chainlink/functions-toolkit"));

/** ethers v5 as the toolkit resolves it (the project's own `ethers` is v6). */
interface EthersV5 {
  Wallet: new (privateKey: string, provider: unknown) => unknown;
  providers: { Web3Provider: new (eip1193: unknown) => unknown };
}
const ethersV5 = toolkitRequire("ethers") as EthersV5;

/** The CBOR decoder the toolkit decodes request data with. */
const cbor = toolkitRequire("cbor") as { decodeAll(input: Buffer): Promise<unknown[]> };

/**
 * simulateScript spawns `deno`; npm puts node_modules/.bin on PATH only for npm scripts, so a test run
 * with plain `node --test` gets the npm `deno` package's binary prepended here.
 */
export function ensureDenoOnPath(): void {
  const bin = path.resolve(path.dirname(require.resolve("deno/package.json")), "..", ".bin");
  const current = process.env.PATH ?? "";
  if (!current.split(path.delimiter).includes(bin)) {
    process.env.PATH = `${bin}${path.delimiter}${current}`;
  }
}

export async function runSimulation(input: SimulationInput): Promise<SimulationResult> {
  ensureDenoOnPath();
  return simulateScript(input);
}

/** Functions contracts deployed by the toolkit's deployFunctionsOracle. */
export interface DeployedFunctionsOracle {
  router: `0x${string}`;
  coordinator: `0x${string}`;
  linkToken: `0x${string}`;
  /** The DON id as text ("local-functions-testnet"). */
  donId: string;
}

/**
 * Deploys the toolkit's Functions router, mock coordinator, LINK token and price feeds with an ethers v5
 * wallet over any EIP-1193 provider (a Hardhat connection's `provider`), and returns their addresses.
 */
export async function deployFunctionsOracleVia(
  eip1193: unknown,
  privateKey: `0x${string}`,
): Promise<DeployedFunctionsOracle> {
  const provider = new ethersV5.providers.Web3Provider(eip1193);
  const wallet = new ethersV5.Wallet(privateKey, provider);
  // The toolkit types its parameter as its own ethers v5 Wallet; the instance above is exactly that.
  const deployed = await deployFunctionsOracle(
    wallet as Parameters<typeof deployFunctionsOracle>[0],
  );
  const address = (contract: { address: string }) => contract.address as `0x${string}`;
  return {
    router: address(deployed.functionsRouterContract),
    coordinator: address(deployed.functionsMockCoordinatorContract),
    linkToken: address(deployed.linkTokenContract),
    donId: deployed.donId,
  };
}

/** A Functions request as the DON reads it from the OracleRequest event's CBOR data. */
export interface DecodedFunctionsRequest {
  source: string;
  args: string[];
  /** 0 inline, 1 remote, 2 DON-hosted; undefined when the request carries no secrets. */
  secretsLocation: number | undefined;
}

/** Decodes FunctionsRequest.encodeCBOR output: alternating keys and values. */
export async function decodeRequestData(data: `0x${string}`): Promise<DecodedFunctionsRequest> {
  const items = await cbor.decodeAll(Buffer.from(data.slice(2), "hex"));
  const fields = new Map<string, unknown>();
  for (let i = 0; i + 1 < items.length; i += 2) {
    const key = items[i];
    if (typeof key === "string") fields.set(key, items[i + 1]);
  }
  const source = fields.get("source");
  if (typeof source !== "string") throw new Error("request data carries no inline source");
  const args = fields.get("args") ?? [];
  if (!Array.isArray(args) || !args.every((a): a is string => typeof a === "string")) {
    throw new Error("request args are not a list of strings");
  }
  // FunctionsRequest writes the location with writeUInt256: a CBOR bignum (decoded as an object).
  const location = fields.get("secretsLocation");
  // cbor decodes it as a bignumber.js value; its decimal text is the number.
  let secretsLocation: number | undefined;
  if (typeof location === "number") secretsLocation = location;
  else if (typeof location === "bigint") secretsLocation = Number(location);
  else if (location !== undefined && location !== null) {
    secretsLocation = Number((location as { toFixed(): string }).toFixed());
  }
  return { source, args, secretsLocation };
}
