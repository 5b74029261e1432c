import type { Address, Hex, PublicClient } from "viem";
import { parseAbiItem } from "viem";
import { energyRegistryAbi, jobStampsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import type { JobsRepository } from "./jobsRepository.ts";
import { readChainHead } from "../chain/readChainHead.ts";

export interface DirectoryMachine {
  machineId: Hex;
  name: string;
}
export interface DirectoryProduct {
  productId: Hex;
  sku: string;
  name: string;
}

const MACHINE_REGISTERED = parseAbiItem(
  "event MachineRegistered(bytes32 indexed siteId, bytes32 indexed machineId, string name)",
);
const PRODUCT_REGISTERED = parseAbiItem(
  "event ProductRegistered(bytes32 indexed siteId, bytes32 indexed productId, string sku, string name, string cpcCode, uint8 declaredUnit, uint64 unitaryProductAmountMicros, uint64 massPerDeclaredUnitMilligrams)",
);
const JOB_STARTED = parseAbiItem(
  "event JobStarted(bytes32 indexed siteId, bytes32 indexed jobId, address indexed stampedBy, bytes32 productId, bytes32[] machineIds, uint64 time, uint8 channel)",
);
const JOB_STOPPED = parseAbiItem(
  "event JobStopped(bytes32 indexed siteId, bytes32 indexed jobId, address indexed stampedBy, bytes32 productId, bytes32[] machineIds, uint64 units, uint64 time, uint8 channel)",
);

/** Blocks per eth_getLogs request: public RPC endpoints cap ranges around 10,000. */
const LOG_RANGE = 5_000n;
/** Roles and clock rules change rarely; a refusal after a revoke shows within this long. */
const ROLE_CACHE_MS = 15_000;

/**
 * How SMS and API text names a machine or SKU: case, spaces, dashes and
 * underscores do not matter ("Press 7", "press-7", "PRESS7" are one machine).
 */
export function normalizeName(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/gu, "");
}

/**
 * What the gateway knows of the chain for stamping: each site's registered
 * machines and products (from the registry's events), the jobs stamped on chain
 * by any channel (mirrored into the jobs table so a wallet-started job makes its
 * machines busy here too), roles, clock rules and used nonces. Reads only.
 */
export class SiteDirectory {
  readonly #client: PublicClient;
  readonly #registry: Address;
  readonly #jobStamps: Address;
  readonly #jobs: JobsRepository;
  #cursor: bigint;
  #refreshedAtMs = 0;
  #refreshing: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  readonly #machines = new Map<string, DirectoryMachine[]>();
  readonly #products = new Map<string, DirectoryProduct[]>();
  readonly #roleCache = new Map<string, { value: boolean; atMs: number }>();
  #clock: { value: { maxAgeS: number; maxSkewS: number }; atMs: number } | undefined;

  constructor(parameters: {
    client: PublicClient;
    registry: Address;
    jobStamps: Address;
    jobs: JobsRepository;
    fromBlock: bigint;
  }) {
    this.#client = parameters.client;
    this.#registry = parameters.registry;
    this.#jobStamps = parameters.jobStamps;
    this.#jobs = parameters.jobs;
    this.#cursor = parameters.fromBlock;
  }

  get client(): PublicClient {
    return this.#client;
  }
  get jobStampsAddress(): Address {
    return this.#jobStamps;
  }

  /** Reads new registry and job events since the last refresh (one refresh at a time). */
  refresh(): Promise<void> {
    if (this.#refreshing === undefined) {
      this.#refreshing = this.#refresh().finally(() => {
        this.#refreshing = undefined;
      });
      return this.#refreshing;
    }
    // A read under way may have started before the event the caller waits for: read again after it.
    this.#queued ??= this.#refreshing
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.refresh();
      });
    return this.#queued;
  }

  /** Refreshes unless it did so within `maxAgeMs`. */
  async refreshIfOlder(maxAgeMs: number): Promise<void> {
    if (Date.now() - this.#refreshedAtMs >= maxAgeMs) await this.refresh();
  }

  async #refresh(): Promise<void> {
    // No cached head: a caller refreshing for a just-mined event must read up to its block.
    const head = await readChainHead(this.#client);
    for (let from = this.#cursor; from <= head; from += LOG_RANGE) {
      const to = from + LOG_RANGE - 1n < head ? from + LOG_RANGE - 1n : head;
      const [registryLogs, jobLogs] = await Promise.all([
        this.#client.getLogs({
          address: this.#registry,
          events: [MACHINE_REGISTERED, PRODUCT_REGISTERED],
          fromBlock: from,
          toBlock: to,
        }),
        this.#client.getLogs({
          address: this.#jobStamps,
          events: [JOB_STARTED, JOB_STOPPED],
          fromBlock: from,
          toBlock: to,
        }),
      ]);
      for (const log of registryLogs) {
        const site = log.args.siteId?.toLowerCase();
        if (site === undefined) continue;
        if (log.eventName === "MachineRegistered") {
          const list = this.#machines.get(site) ?? [];
          list.push({
            machineId: log.args.machineId?.toLowerCase() as Hex,
            name: log.args.name ?? "",
          });
          this.#machines.set(site, list);
        } else {
          const list = this.#products.get(site) ?? [];
          list.push({
            productId: log.args.productId?.toLowerCase() as Hex,
            sku: log.args.sku ?? "",
            name: log.args.name ?? "",
          });
          this.#products.set(site, list);
        }
      }
      for (const log of jobLogs) {
        const { siteId, jobId, time } = log.args;
        if (siteId === undefined || jobId === undefined || time === undefined) continue;
        if (log.eventName === "JobStarted") {
          this.#jobs.recordChainStart({
            siteId,
            jobId,
            productId: log.args.productId ?? "0x",
            machineIds: log.args.machineIds ?? [],
            timeS: Number(time),
            channel: log.args.channel ?? 0,
            nowMs: Date.now(),
          });
        } else {
          this.#jobs.recordChainStop({
            siteId,
            jobId,
            timeS: Number(time),
            units: Number(log.args.units ?? 0n),
          });
        }
      }
      this.#cursor = to + 1n;
    }
    this.#refreshedAtMs = Date.now();
  }

  machines(siteId: Hex): readonly DirectoryMachine[] {
    return this.#machines.get(siteId.toLowerCase()) ?? [];
  }

  products(siteId: Hex): readonly DirectoryProduct[] {
    return this.#products.get(siteId.toLowerCase()) ?? [];
  }

  /** A machine of the site by id (0x + 64 hex) or by its registered name, forgivingly. */
  findMachine(siteId: Hex, token: string): DirectoryMachine | undefined {
    const machines = this.machines(siteId);
    if (/^0x[0-9a-fA-F]{64}$/u.test(token))
      return machines.find((machine) => machine.machineId === token.toLowerCase());
    const wanted = normalizeName(token);
    return machines.find((machine) => normalizeName(machine.name) === wanted);
  }

  /** A product of the site by id or by SKU, forgivingly. */
  findProduct(siteId: Hex, token: string): DirectoryProduct | undefined {
    const products = this.products(siteId);
    if (/^0x[0-9a-fA-F]{64}$/u.test(token))
      return products.find((product) => product.productId === token.toLowerCase());
    const wanted = normalizeName(token);
    return products.find((product) => normalizeName(product.sku) === wanted);
  }

  async #role(kind: "isOracle" | "isOperator", siteId: Hex, account: Address): Promise<boolean> {
    const key = `${kind}:${siteId.toLowerCase()}:${account.toLowerCase()}`;
    const cached = this.#roleCache.get(key);
    if (cached !== undefined && Date.now() - cached.atMs < ROLE_CACHE_MS) return cached.value;
    const value = await this.#client.readContract({
      address: this.#registry,
      abi: energyRegistryAbi,
      functionName: kind,
      args: [siteId, account],
    });
    this.#roleCache.set(key, { value, atMs: Date.now() });
    return value;
  }

  isOracle(siteId: Hex, account: Address): Promise<boolean> {
    return this.#role("isOracle", siteId, account);
  }

  isOperator(siteId: Hex, account: Address): Promise<boolean> {
    return this.#role("isOperator", siteId, account);
  }

  /** JobStamps' relayed-stamp clock window, cached. */
  async clockRules(): Promise<{ maxAgeS: number; maxSkewS: number }> {
    if (this.#clock !== undefined && Date.now() - this.#clock.atMs < ROLE_CACHE_MS)
      return this.#clock.value;
    const [maxAge, maxSkew] = await this.#client.readContract({
      address: this.#jobStamps,
      abi: jobStampsAbi,
      functionName: "clockRules",
    });
    const value = { maxAgeS: Number(maxAge), maxSkewS: Number(maxSkew) };
    this.#clock = { value, atMs: Date.now() };
    return value;
  }

  isNonceUsed(signer: Address, nonce: bigint): Promise<boolean> {
    return this.#client.readContract({
      address: this.#jobStamps,
      abi: jobStampsAbi,
      functionName: "isNonceUsed",
      args: [signer, nonce],
    });
  }
}
