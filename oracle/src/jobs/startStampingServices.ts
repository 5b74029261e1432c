import { readFileSync } from "node:fs";
import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import { type Address, createPublicClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { eip712Domain } from "@energy-intelligence/sdk/eip712/index";
import { InvalidInputError } from "@energy-intelligence/sdk/errors/index";
import { loadDeploymentsFile } from "../chain/loadDeploymentsFile.ts";
import type { OracleKey } from "../config/loadOracleKey.ts";
import type { ChainConfig } from "../containers/containersConfigSchema.ts";
import { ApiKeysRepository } from "./apiKeys.ts";
import { IdempotencyKeysRepository } from "./idempotencyKeys.ts";
import type { JobsConfig, SmsPhoneConfig } from "./jobsConfigSchema.ts";
import { JobsRepository } from "./jobsRepository.ts";
import { SiteDirectory } from "./siteDirectory.ts";
import { StampSubmitter } from "./stampSubmitter.ts";
import { StampingService } from "./stampingService.ts";

export interface StampingServices {
  service: StampingService;
  submitter: StampSubmitter;
  directory: SiteDirectory;
  jobs: JobsRepository;
  apiKeys: ApiKeysRepository;
  idempotency: IdempotencyKeysRepository;
  /** Present when SMS is configured. */
  sms:
    | { authToken: string; webhookUrl: string | undefined; phones: readonly SmsPhoneConfig[] }
    | undefined;
  close(): Promise<void>;
}

function readKey(file: string, what: string): `0x${string}` {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new InvalidInputError(what, `cannot read ${file}`, { cause: error });
  }
  if (!/^0x[0-9a-fA-F]{64}$/u.test(text))
    throw new InvalidInputError(what, `${file} must hold 0x and 64 hex digits`);
  return text as `0x${string}`;
}

/**
 * Starts job stamping on the gateway's store: the directory of machines and
 * products read from the chain, the stamping service, and the batch submitter.
 * Returns undefined (stamping off) without a chain, an oracle key, or when
 * `jobs.enabled` is false.
 *
 * @example
 * ```ts
 * const stamping = await startStampingServices({ db, jobs: config.jobs, chain: config.chain, oracleKey, logger });
 * ```
 */
export async function startStampingServices(parameters: {
  db: Database;
  jobs: JobsConfig;
  chain: ChainConfig;
  oracleKey: OracleKey | undefined;
  logger: Logger;
}): Promise<StampingServices | undefined> {
  const { jobs: config, chain, oracleKey, logger } = parameters;
  if (!config.enabled) return undefined;
  if (chain === undefined || oracleKey === undefined) {
    logger.warn("job stamping off: configure a chain and an oracle key");
    return undefined;
  }
  const tables = parameters.db
    .prepare(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('job_stamps', 'api_keys')",
    )
    .get() as { n: number };
  if (tables.n < 2) {
    logger.warn("job stamping off: the store lacks the job tables (migrations 0006 and 0007)");
    return undefined;
  }
  const file = chain.deploymentsFile;
  const fromFile = (
    name: "JobStamps" | "EnergyRegistry",
  ): { address: Address; startBlock: number } | undefined =>
    file === undefined ? undefined : loadDeploymentsFile(file, [name])[name];
  const jobStamps = config.jobStampsAddress ?? fromFile("JobStamps")?.address;
  const registryEntry =
    config.registryAddress === undefined ? fromFile("EnergyRegistry") : undefined;
  const registry = config.registryAddress ?? registryEntry?.address;
  if (jobStamps === undefined || registry === undefined)
    throw new InvalidInputError("jobs", "JobStamps and EnergyRegistry addresses are needed", {
      hints: ["Give chain.deploymentsFile, or jobs.jobStampsAddress and jobs.registryAddress."],
    });

  const transport = http(chain.rpcUrl, { timeout: chain.requestTimeoutMs, retryCount: 0 });
  const chainId = await createPublicClient({ transport }).getChainId();
  const client = createPublicClient({
    chain: defineChain({
      id: chainId,
      name: `chain-${chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [chain.rpcUrl] } },
    }),
    transport,
    pollingInterval: Math.min(chain.pollIntervalMs, 250),
  });
  const jobs = new JobsRepository(parameters.db);
  const directory = new SiteDirectory({
    client,
    registry,
    jobStamps,
    jobs,
    fromBlock: BigInt(registryEntry?.startBlock ?? 0),
  });
  const signer = privateKeyToAccount(oracleKey.reveal());
  const relayer =
    config.relayerKeyFile === undefined
      ? signer
      : privateKeyToAccount(readKey(config.relayerKeyFile, "jobs.relayerKeyFile"));
  const submitter = new StampSubmitter({
    jobs,
    directory,
    relayer,
    chainId,
    logger,
    maxBatchStamps: config.maxBatchStamps,
    batchDelayMs: config.batchDelayMs,
    pollIntervalMs: config.pollIntervalMs,
    backoff: { initialMs: config.backoffInitialMs, maxMs: config.backoffMaxMs },
  });
  const service = new StampingService({
    jobs,
    directory,
    signer,
    domain: eip712Domain({ chainId, verifyingContract: jobStamps }),
    onQueued: () => {
      submitter.kick();
    },
  });
  try {
    await directory.refresh();
  } catch (error) {
    logger.warn({ err: String(error) }, "cannot read machines and products from the chain yet");
  }
  const timer = setInterval(() => {
    directory.refresh().catch((error: unknown) => {
      logger.warn({ err: String(error) }, "directory refresh failed");
    });
  }, config.directoryRefreshMs);
  timer.unref();
  submitter.start();

  const sms =
    config.sms === undefined
      ? undefined
      : {
          authToken: readFileSync(config.sms.authTokenFile, "utf8").trim(),
          webhookUrl: config.sms.webhookUrl,
          phones: config.sms.phones,
        };
  logger.info(
    { jobStamps, signer: signer.address, relayer: relayer.address, sms: sms !== undefined },
    "job stamping started",
  );
  return {
    service,
    submitter,
    directory,
    jobs,
    apiKeys: new ApiKeysRepository(parameters.db),
    idempotency: new IdempotencyKeysRepository(parameters.db),
    sms,
    close: async () => {
      clearInterval(timer);
      await submitter.close();
    },
  };
}
