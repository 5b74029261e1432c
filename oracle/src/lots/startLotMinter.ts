import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  numberToHex,
  BaseError as ViemBaseError,
  ContractFunctionRevertedError,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { AllocationRules } from "@energy-intelligence/sdk/allocation/types";
import { productLotsAbi, jobStampsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { buildFootprintTypedData } from "@energy-intelligence/sdk/eip712/buildFootprintTypedData";
import { eip712Domain } from "@energy-intelligence/sdk/eip712/eip712Domain";
import type { Footprint } from "@energy-intelligence/sdk/eip712/messageTypes";
import { signEip712TypedData } from "@energy-intelligence/sdk/eip712/signEip712TypedData";
import { readSiteDevices } from "@energy-intelligence/sdk/footprints/readSiteDevices";
import { readSiteJobs } from "@energy-intelligence/sdk/footprints/readSiteJobs";
import { accountSendQueue } from "../chain/accountSendQueue.ts";
import { readChainHead } from "../chain/readChainHead.ts";
import type { OracleKey } from "../config/loadOracleKey.ts";
import type { StreamConfig } from "../containers/containersConfigSchema.ts";
import type { ContentStore } from "../ipfs/contentStore.ts";
import { buildLotFootprint } from "./buildLotFootprint.ts";
import type { PactProductFootprint } from "@energy-intelligence/sdk/pact/index";
import type { LotPactPublisher } from "./lotPactFootprints.ts";
import { type LotRecord, ProductLotsRepository } from "./productLotsRepository.ts";

/** The gateway's default rules: overlaps split equally, idle by running time, overhead by energy. */
export const DEFAULT_ALLOCATION_RULES: AllocationRules = {
  overlap: "equal",
  idle: "machine-hours",
  overhead: "energy",
};

export interface StartLotMinterParameters {
  /** The gateway's store, migrated to 0005 (product_lots), holding the anchored containers. */
  db: Database;
  /** Where footprint documents are put (the gateway's Helia or Kubo store). */
  store: ContentStore;
  rpcUrl: string;
  /** The site oracle: signs footprints and pays for the mints. */
  oracleKey: OracleKey;
  /** From deployments/<chainId>.json; every log scan starts at a contract's deploy block. */
  contracts: {
    registry: { address: Address; startBlock: number };
    jobs: { address: Address; startBlock: number };
    lots: { address: Address; startBlock: number };
  };
  siteId: Hex;
  /** The gateway's stream configuration: which channels exist and how their counters behave. */
  streams: readonly StreamConfig[];
  rules?: AllocationRules | undefined;
  /** Mint a one-job lot for every JobStopped of the site (default true); off: only `requestLot`. */
  autoMint?: boolean | undefined;
  pollIntervalMs?: number | undefined;
  /** How long to wait before retrying a lot that waits for data or the chain. */
  retryMs?: number | undefined;
  /** Each JSON-RPC request's timeout (the gateway's `chain.requestTimeoutMs`); default 30 s. */
  requestTimeoutMs?: number | undefined;
  /**
   * Publishes each minted lot's PACT ProductFootprint in the SQLite transaction
   * that records the mint; lots minted without one (a crash, the chain slow to
   * answer, PACT turned on later) get it on the next recovery pass.
   */
  pact?: LotPactPublisher | undefined;
  /** Blocks per log query (nodes cap eth_getLogs ranges). */
  logRangeBlocks?: number | undefined;
  logger: Logger;
}

export interface LotMinter {
  /** Asks for a lot of several stopped jobs of one product (the contract checks units and ownership). */
  requestLot(parameters: { productId: Hex; jobIds: readonly Hex[] }): Promise<Hex>;
  /** Resolves with the lot once minted (rejects when it failed or `timeoutMs` passed). */
  waitForLot(lotId: Hex, options?: { timeoutMs?: number }): Promise<LotRecord>;
  /** The lot minted (or being minted) for a job, if any. */
  lotOfJob(jobId: Hex): LotRecord | undefined;
  /** The stored footprint document of a lot (JCS bytes). */
  document(lotId: Hex): Uint8Array | undefined;
  get(lotId: Hex): LotRecord | undefined;
  /** Lots minted but not yet in the PACT store (none without PACT). */
  unpublishedLots(): Hex[];
  /** Runs a pass now instead of at the next tick. */
  kick(): void;
  stop(): Promise<void>;
}

function footprintToJson(footprint: Footprint): string {
  return JSON.stringify(footprint, (_, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}
function footprintFromJson(text: string): Footprint {
  const raw = JSON.parse(text) as Record<string, unknown>;
  return {
    siteId: raw.siteId as Hex,
    productId: raw.productId as Hex,
    jobIds: raw.jobIds as Hex[],
    units: BigInt(raw.units as string),
    cid: raw.cid as Hex,
    energyMilliWattHours: BigInt(raw.energyMilliWattHours as string),
    emissionsLocationMilligramsCo2e: BigInt(raw.emissionsLocationMilligramsCo2e as string),
    emissionsMarketMilligramsCo2e: BigInt(raw.emissionsMarketMilligramsCo2e as string),
    nonce: BigInt(raw.nonce as string),
  };
}

/**
 * Starts the gateway's lot minter (docs/jobs-and-footprints.md, "Minting"):
 * it reads JobStopped events of the site (any channel: wallet, API, SMS,
 * relay), waits until the jobs sharing the machines have stopped and the
 * containers covering the scope are anchored and confirmed, builds the
 * footprint document from them (sdk/footprints), puts it in IPFS, signs the
 * EIP-712 Footprint with the oracle key and mints the lot (supply = units).
 *
 * Durable and crash-safe: each lot is a row in `product_lots` walking pending →
 * signed → submitted → minted, created in the transaction that moves the event
 * cursor. The signed footprint is stored before it is sent, so a restart sends
 * the same one; before sending it asks the chain whether the lot exists, and
 * the contract's one-lot-per-job rule and the footprint nonce refuse a double.
 *
 * @example
 * ```ts
 * const minter = await startLotMinter({ db, store, rpcUrl, oracleKey, contracts, siteId, streams, logger });
 * const lot = await minter.waitForLot(minter.lotOfJob(jobId)!.lotId);
 * await minter.stop();
 * ```
 */
export async function startLotMinter(parameters: StartLotMinterParameters): Promise<LotMinter> {
  const { db, store, logger, contracts } = parameters;
  const siteId = parameters.siteId.toLowerCase() as Hex;
  const repository = new ProductLotsRepository(db);
  const rules = parameters.rules ?? DEFAULT_ALLOCATION_RULES;
  const pollIntervalMs = parameters.pollIntervalMs ?? 2000;
  const retryMs = parameters.retryMs ?? 5000;
  const transport = http(parameters.rpcUrl, {
    retryCount: 0,
    timeout: parameters.requestTimeoutMs ?? 30_000,
  });
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const client = createPublicClient({ chain, transport, pollingInterval: 250 });
  const account = privateKeyToAccount(parameters.oracleKey.reveal());
  const wallet = createWalletClient({ chain, transport, account });
  const domain = eip712Domain({ chainId, verifyingContract: contracts.lots.address });

  const lotIdOf = async (productId: Hex, jobIds: readonly Hex[]): Promise<Hex> =>
    numberToHex(
      await client.readContract({
        address: contracts.lots.address,
        abi: productLotsAbi,
        functionName: "lotIdOf",
        args: [siteId, productId, jobIds],
      }),
      { size: 32 },
    );

  const logRange = BigInt(parameters.logRangeBlocks ?? 10_000);
  const scanEvents = async () => {
    // Uncached: a pass right after a stop must read up to the block that holds it.
    const latest = await readChainHead(client);
    // The first pass starts at JobStamps' deploy block (deployments file), not block 0.
    let from = BigInt(repository.nextBlock(contracts.jobs.address) ?? contracts.jobs.startBlock);
    while (from <= latest && !stopped) {
      const to = from + logRange - 1n < latest ? from + logRange - 1n : latest;
      const logs = await client.getContractEvents({
        address: contracts.jobs.address,
        abi: jobStampsAbi,
        eventName: "JobStopped",
        args: { siteId },
        fromBlock: from,
        toBlock: to,
        strict: true,
      });
      const lots = [];
      if (parameters.autoMint !== false) {
        for (const log of logs) {
          const jobIds = [log.args.jobId.toLowerCase() as Hex];
          const productId = log.args.productId.toLowerCase() as Hex;
          lots.push({ lotId: await lotIdOf(productId, jobIds), siteId, productId, jobIds });
        }
      }
      const created = repository.recordPass(
        contracts.jobs.address,
        Number(to) + 1,
        lots,
        Date.now(),
      );
      if (created > 0) logger.info({ created }, "lots requested by stopped jobs");
      from = to + 1n;
    }
  };

  const lotExists = (lotId: Hex) =>
    client.readContract({
      address: contracts.lots.address,
      abi: productLotsAbi,
      functionName: "exists",
      args: [BigInt(lotId)],
    });

  const prepare = async (lot: LotRecord) => {
    const latest = await readChainHead(client);
    const [siteJobs, devices] = await Promise.all([
      readSiteJobs({
        client,
        jobs: contracts.jobs.address,
        siteId,
        fromBlock: BigInt(contracts.jobs.startBlock),
        toBlock: latest,
      }),
      readSiteDevices({
        client,
        registry: contracts.registry.address,
        siteId,
        fromBlock: BigInt(contracts.registry.startBlock),
        toBlock: latest,
      }),
    ]);
    const result = buildLotFootprint({
      db,
      siteId,
      productId: lot.productId,
      lotJobIds: lot.jobIds,
      siteJobs,
      devices,
      streams: parameters.streams,
      rules,
    });
    if (result.status === "wait") {
      repository.recordWait(lot.lotId, result.reason, Date.now() + retryMs);
      return;
    }
    if (result.status === "refuse") {
      logger.error({ lotId: lot.lotId, reason: result.reason }, "lot cannot be built");
      repository.markFailed(lot.lotId, result.reason);
      return;
    }
    const { built } = result;
    await store.putFile({ root: built.cid, blocks: built.blocks, bytes: built.documentBytes });
    const signature = await signEip712TypedData({
      signer: account,
      typedData: buildFootprintTypedData({ domain, footprint: built.footprint }),
    });
    repository.markSigned(lot.lotId, {
      cid: built.cid.toString(),
      document: built.documentBytes,
      footprint: footprintToJson(built.footprint),
      signature,
    });
  };

  // Set when a minted lot could not be published: the next pass looks for every such lot.
  let recoverPact = parameters.pact !== undefined;

  /**
   * Records the mint and, with PACT on, publishes the lot's ProductFootprint in
   * the same SQLite transaction: a crash leaves either both or neither. If the
   * footprint cannot be built now (the chain does not answer), the mint is
   * recorded alone and the recovery pass publishes it later.
   */
  const recordMinted = async (lot: LotRecord, block: number) => {
    const pact = parameters.pact;
    const document = repository.document(lot.lotId);
    let footprint: PactProductFootprint | undefined;
    if (pact !== undefined && document !== undefined) {
      try {
        footprint = await pact.footprintOf({ ...lot, mintedBlock: block }, document);
      } catch (error) {
        recoverPact = true;
        logger.warn({ err: error, lotId: lot.lotId }, "PACT footprint not built yet; will retry");
      }
    }
    db.transaction(() => {
      repository.markMinted(lot.lotId, block);
      if (footprint !== undefined) pact?.footprints.publish(BigInt(lot.lotId), footprint);
    })();
  };

  /** Publishes the PACT record of every minted lot that lacks one. */
  const publishMissing = async () => {
    const pact = parameters.pact;
    if (pact === undefined || !recoverPact) return;
    recoverPact = false;
    for (const lotId of unpublished()) {
      if (stopped) return;
      const lot = repository.get(lotId);
      const document = repository.document(lotId);
      if (lot === undefined || document === undefined) continue;
      try {
        pact.footprints.publish(BigInt(lotId), await pact.footprintOf(lot, document));
        logger.info({ lotId }, "PACT footprint of a minted lot published");
      } catch (error) {
        recoverPact = true;
        logger.warn({ err: error, lotId }, "PACT footprint of a minted lot not published yet");
      }
    }
  };
  const unpublished = (): Hex[] => {
    const pact = parameters.pact;
    if (pact === undefined) return [];
    return repository.mintedIds().filter((lotId) => !pact.footprints.hasLot(BigInt(lotId)));
  };

  const send = async (lot: LotRecord) => {
    if (await lotExists(lot.lotId)) {
      await recordMinted(lot, Number(await readChainHead(client)));
      return;
    }
    if (lot.footprint === null || lot.signature === null)
      throw new Error("signed lot without its footprint");
    const footprint = footprintFromJson(lot.footprint);
    const signature = lot.signature;
    try {
      // Nonce read to broadcast under the account's queue: the anchorer (and, without a
      // relayer key, the stamp submitter) send with the oracle key too.
      const hash = await accountSendQueue.run({ chainId, address: account.address }, async () => {
        const { request } = await client.simulateContract({
          account,
          address: contracts.lots.address,
          abi: productLotsAbi,
          functionName: "mint",
          args: [footprint, account.address, signature],
        });
        const sent = await wallet.writeContract(request);
        repository.markSubmitted(lot.lotId, sent);
        return sent;
      });
      const receipt = await client.waitForTransactionReceipt({ hash, timeout: 60_000 });
      if (receipt.status === "success") {
        await recordMinted(lot, Number(receipt.blockNumber));
        logger.info({ lotId: lot.lotId, block: Number(receipt.blockNumber) }, "lot minted");
      } else repository.recordWait(lot.lotId, `mint reverted in ${hash}`, Date.now() + retryMs);
    } catch (error) {
      const revert =
        error instanceof ViemBaseError
          ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
          : null;
      if (revert instanceof ContractFunctionRevertedError && revert.data?.errorName !== undefined) {
        // A contract refusal is final (a job already in another lot, units that do not add up, …).
        repository.markFailed(
          lot.lotId,
          `${revert.data.errorName}(${(revert.data.args ?? []).map(String).join(", ")})`,
        );
        return;
      }
      throw error;
    }
  };

  const settle = async (lot: LotRecord) => {
    if (lot.txHash !== null) {
      const receipt = await client
        .getTransactionReceipt({ hash: lot.txHash })
        .catch(() => undefined);
      if (receipt?.status === "success") {
        await recordMinted(lot, Number(receipt.blockNumber));
        return;
      }
    }
    await send(lot);
  };

  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = async () => {
    await publishMissing();
    await scanEvents();
    for (const lot of repository.due(Date.now(), 20)) {
      if (stopped) return;
      try {
        if (lot.state === "pending") await prepare(lot);
        const current = repository.get(lot.lotId);
        if (current?.state === "signed") await send(current);
        else if (current?.state === "submitted") await settle(current);
      } catch (error) {
        logger.warn({ err: error, lotId: lot.lotId }, "lot step failed; retrying");
        repository.recordWait(
          lot.lotId,
          (error as Error).message.split("\n")[0] ?? "error",
          Date.now() + retryMs,
        );
      }
    }
  };
  const tick = () => {
    if (stopped || running !== undefined) return;
    running = pass()
      .catch((error: unknown) => {
        logger.warn({ err: error }, "lot minter pass failed; retrying");
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, pollIntervalMs);
  timer.unref();
  tick();

  return {
    async requestLot({ productId, jobIds }) {
      const ids = jobIds.map((id) => id.toLowerCase() as Hex);
      const lotId = await lotIdOf(productId.toLowerCase() as Hex, ids);
      repository.request({ lotId, siteId, productId, jobIds: ids }, Date.now());
      tick();
      return lotId;
    },
    waitForLot(lotId, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 120_000);
      return new Promise((resolve, reject) => {
        const check = () => {
          const lot = repository.get(lotId);
          if (lot?.state === "minted") {
            resolve(lot);
            return;
          }
          if (lot?.state === "failed") {
            reject(new Error(`lot ${lotId} failed: ${lot.lastError ?? ""}`));
            return;
          }
          if (Date.now() > deadline) {
            reject(
              new Error(
                `lot ${lotId} not minted in time (${lot?.state ?? "unknown"}: ${lot?.lastError ?? ""})`,
              ),
            );
            return;
          }
          tick();
          setTimeout(check, 100);
        };
        check();
      });
    },
    lotOfJob(jobId) {
      const id = jobId.toLowerCase();
      return repository.list(10_000).find((lot) => lot.jobIds.includes(id as Hex));
    },
    document: (lotId) => repository.document(lotId),
    unpublishedLots: unpublished,
    get: (lotId) => repository.get(lotId),
    kick: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
