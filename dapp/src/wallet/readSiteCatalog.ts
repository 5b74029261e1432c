import { readChainHead } from "@energy-intelligence/sdk/chain/readChainHead";
import { type Address, type Hex, type PublicClient, parseAbiItem } from "viem";

const SITE_REGISTERED = parseAbiItem(
  "event SiteRegistered(bytes32 indexed siteId, address indexed owner, address indexed manager, string name)",
);
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

/** Stamping channels as JobStamps records them. */
export const CHANNEL_NAMES = ["wallet", "portal", "api", "sms", "relay"] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface CatalogSite {
  siteId: Hex;
  name: string;
}
export interface CatalogMachine {
  machineId: Hex;
  name: string;
}
export interface CatalogProduct {
  productId: Hex;
  sku: string;
  name: string;
}
export interface CatalogJob {
  jobId: Hex;
  productId: Hex;
  machineIds: Hex[];
  startedAtS: number;
  startChannel: ChannelName;
  startedBy: Address;
  stoppedAtS: number | null;
  units: number | null;
  stopChannel: ChannelName | null;
}
export interface SiteCatalog {
  machines: CatalogMachine[];
  products: CatalogProduct[];
  /** Newest first. */
  jobs: CatalogJob[];
  /** The block the catalog was read at. */
  blockNumber: bigint;
}

export interface ReadSiteCatalogParameters {
  publicClient: PublicClient;
  registry: Address;
  jobStamps: Address;
  siteId: Hex;
  /** The deployments file's start block (the earliest of the two contracts). */
  fromBlock: bigint;
}

const channelName = (code: number): ChannelName => CHANNEL_NAMES[code] ?? "relay";
const lower = (hex: Hex): Hex => hex.toLowerCase() as Hex;

/** Every site the registry knows, by name. */
export async function readSites(parameters: {
  publicClient: PublicClient;
  registry: Address;
  fromBlock: bigint;
}): Promise<CatalogSite[]> {
  const logs = await parameters.publicClient.getLogs({
    address: parameters.registry,
    event: SITE_REGISTERED,
    fromBlock: parameters.fromBlock,
    toBlock: "latest",
  });
  return logs.flatMap((log) =>
    log.args.siteId === undefined
      ? []
      : [{ siteId: lower(log.args.siteId), name: log.args.name ?? "" }],
  );
}

/**
 * One site's machines, products and jobs, from the registry's and JobStamps'
 * events (the chain is the source of truth; the wallet page and the portal both
 * read it this way).
 */
export async function readSiteCatalog(parameters: ReadSiteCatalogParameters): Promise<SiteCatalog> {
  const { publicClient, siteId } = parameters;
  const blockNumber = await readChainHead(publicClient);
  const range = { fromBlock: parameters.fromBlock, toBlock: blockNumber } as const;
  const [machineLogs, productLogs, startLogs, stopLogs] = await Promise.all([
    publicClient.getLogs({
      address: parameters.registry,
      event: MACHINE_REGISTERED,
      args: { siteId },
      ...range,
    }),
    publicClient.getLogs({
      address: parameters.registry,
      event: PRODUCT_REGISTERED,
      args: { siteId },
      ...range,
    }),
    publicClient.getLogs({
      address: parameters.jobStamps,
      event: JOB_STARTED,
      args: { siteId },
      ...range,
    }),
    publicClient.getLogs({
      address: parameters.jobStamps,
      event: JOB_STOPPED,
      args: { siteId },
      ...range,
    }),
  ]);
  const machines = machineLogs.flatMap((log) =>
    log.args.machineId === undefined
      ? []
      : [{ machineId: lower(log.args.machineId), name: log.args.name ?? "" }],
  );
  const products = productLogs.flatMap((log) =>
    log.args.productId === undefined
      ? []
      : [
          {
            productId: lower(log.args.productId),
            sku: log.args.sku ?? "",
            name: log.args.name ?? "",
          },
        ],
  );
  const jobs = new Map<string, CatalogJob>();
  for (const log of startLogs) {
    const { jobId, productId, machineIds, time, channel, stampedBy } = log.args;
    if (jobId === undefined || productId === undefined || stampedBy === undefined) continue;
    jobs.set(lower(jobId), {
      jobId: lower(jobId),
      productId: lower(productId),
      machineIds: (machineIds ?? []).map(lower),
      startedAtS: Number(time ?? 0n),
      startChannel: channelName(channel ?? 4),
      startedBy: stampedBy,
      stoppedAtS: null,
      units: null,
      stopChannel: null,
    });
  }
  for (const log of stopLogs) {
    const job = log.args.jobId === undefined ? undefined : jobs.get(lower(log.args.jobId));
    if (job === undefined) continue;
    job.stoppedAtS = Number(log.args.time ?? 0n);
    job.units = Number(log.args.units ?? 0n);
    job.stopChannel = channelName(log.args.channel ?? 4);
  }
  return {
    machines,
    products,
    jobs: [...jobs.values()].sort((a, b) => b.startedAtS - a.startedAtS),
    blockNumber,
  };
}
