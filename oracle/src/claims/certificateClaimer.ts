import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import {
  BaseError as ViemBaseError,
  ContractFunctionRevertedError,
  encodeFunctionData,
  keccak256,
  type Address,
  type Chain,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type Transport,
} from "viem";
import { certificateClaimsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { certificateKey } from "@energy-intelligence/sdk/claims/certificateKey";
import {
  readCertificateClaims,
  type CertificateClaimsSnapshot,
} from "@energy-intelligence/sdk/claims/readCertificateClaims";
import type { ContractualInstrument } from "@energy-intelligence/sdk/accounting/contractualInstruments";
import { accountSendQueue, type AccountSendQueue } from "../chain/accountSendQueue.ts";
import type { CertificateClaimsGate } from "../containers/containerCloser.ts";
import { CertificateClaimsRepository, type StoredClaim } from "./certificateClaimsRepository.ts";

const GAS_MARGIN_PERCENT = 130n;

export interface CertificateClaimerOptions {
  db: Database;
  publicClient: PublicClient<Transport, Chain>;
  /** The oracle's account: an oracle of each site it claims for (CertificateClaims checks it). */
  account: LocalAccount;
  chainId: number;
  /** The CertificateClaims contract. */
  address: Address;
  instruments: readonly ContractualInstrument[];
  /** The sites whose containers use the instruments. */
  siteIds: readonly Hex[];
  logger: Logger;
  pollIntervalMs?: number;
  /** Wait before a claim whose send failed for a passing reason (node down) is tried again. */
  retryMs?: number;
  receiptTimeoutMs?: number;
  /** The process's per-account send queue (the anchorer and the stamp submitter share the key). */
  sendQueue?: AccountSendQueue;
}

/**
 * The scheme a certificate is registered under on chain: the instrument's `registry` (e.g.
 * "AIB-EECS"), else its type. Every gateway derives the same key from the same instrument.
 */
export function instrumentCertificateKey(instrument: ContractualInstrument): Hex {
  return certificateKey({
    scheme: instrument.registry ?? instrument.type,
    certificateId: instrument.certificateId,
  });
}

function revertOf(error: unknown): ContractFunctionRevertedError | undefined {
  if (!(error instanceof ViemBaseError)) return undefined;
  const found = error.walk((e) => e instanceof ContractFunctionRevertedError);
  return found instanceof ContractFunctionRevertedError ? found : undefined;
}

function describeRevert(reverted: ContractFunctionRevertedError): {
  reason: string;
  remaining: bigint | undefined;
} {
  const name = reverted.data?.errorName ?? "reverted";
  const args: readonly unknown[] = reverted.data?.args ?? [];
  if (name === "Claims_VolumeExceeded") {
    const remaining = args[2] as bigint;
    return {
      reason: `Claims_VolumeExceeded: asked ${String(args[1])} Wh, ${remaining} Wh left`,
      remaining,
    };
  }
  return {
    reason: `${name}${args.length > 0 ? `(${args.map(String).join(", ")})` : ""}`,
    remaining: undefined,
  };
}

function message(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}

/**
 * Records the gateway's use of energy attribute certificates in CertificateClaims and tells the
 * container closer what the chain leaves of each (docs/accounting.md, "Claims on chain").
 *
 * The closer asks before it applies an instrument (`availableMilliWattHours`: the registered
 * volume less every site's claims and this gateway's unsettled ones), queues the period's claims
 * in SQLite (`queuePeriod`), and closes the period only once they are settled, counting only the
 * confirmed watt-hours. This loop sends them: simulated first (a refusal is final and recorded
 * with the contract's reason), signed and stored before broadcast under the per-account send
 * queue, so a crash re-sends the same transaction and a certificate is never claimed twice.
 */
export class CertificateClaimer implements CertificateClaimsGate {
  readonly #o: CertificateClaimerOptions;
  readonly #claims: CertificateClaimsRepository;
  readonly #keys: ReadonlyMap<string, Hex>;
  #snapshot: CertificateClaimsSnapshot | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: CertificateClaimerOptions) {
    this.#o = options;
    this.#claims = new CertificateClaimsRepository(options.db);
    this.#keys = new Map(
      options.instruments.map((instrument) => [
        instrument.certificateId,
        instrumentCertificateKey(instrument),
      ]),
    );
  }

  get repository(): CertificateClaimsRepository {
    return this.#claims;
  }

  availableMilliWattHours(instrument: ContractualInstrument): bigint | undefined {
    const key = this.#keys.get(instrument.certificateId);
    const onChain = key === undefined ? undefined : this.#snapshot?.certificates.get(key);
    if (key === undefined || onChain === undefined) return undefined;
    // Not registered: nothing can be claimed, so nothing can be applied.
    if (!onChain.registered) return 0n;
    const leftWattHours =
      onChain.volumeWattHours - onChain.claimedWattHours - this.#claims.unsettledWattHours(key);
    const left = leftWattHours * 1000n;
    const cap = instrument.volumeMilliWattHours;
    if (left <= 0n) return 0n;
    return left < cap ? left : cap;
  }

  periodClaims(siteId: Hex, streamId: Hex, periodStartMs: number): readonly StoredClaim[] {
    return this.#claims.ofPeriod(siteId, streamId, periodStartMs);
  }

  queuePeriod(
    period: { siteId: Hex; streamId: Hex; periodStartMs: number; periodEndMs: number },
    uses: readonly { certificateId: string; milliWattHours: bigint }[],
  ): number {
    // The chain counts whole watt-hours: a period claims what it uses, rounded down, and the
    // container then applies exactly the confirmed watt-hours.
    const claims = uses.flatMap((use) => {
      const key = this.#keys.get(use.certificateId);
      const wattHours = use.milliWattHours / 1000n;
      return key === undefined || wattHours === 0n
        ? []
        : [{ certificateId: use.certificateId, certificateKey: key, wattHours }];
    });
    if (claims.length === 0) return 0;
    this.#claims.queuePeriod(period, claims, Date.now());
    this.kick();
    return claims.length;
  }

  /** Reads the certificates and the sites' claims on them (one snapshot at the latest block). */
  async refresh(): Promise<void> {
    this.#snapshot = await readCertificateClaims(this.#o.publicClient, {
      address: this.#o.address,
      keys: [...new Set(this.#keys.values())],
      siteIds: this.#o.siteIds,
    });
  }

  /** One pass: sends or settles every due claim, then reads the chain again. */
  async processOnce(nowMs = Date.now()): Promise<void> {
    for (const claim of this.#claims.due(nowMs, 50)) {
      if (this.#stopped) return;
      try {
        await this.#process(claim);
      } catch (error) {
        this.#claims.markRetry(
          claim.claimRef,
          message(error),
          Date.now() + (this.#o.retryMs ?? 5000),
          false,
        );
        this.#o.logger.warn(
          { err: message(error), claimRef: claim.claimRef },
          "certificate claim not sent; retried later",
        );
      }
    }
    await this.refresh();
  }

  start(): void {
    const tick = () => {
      this.#running ??= this.processOnce()
        .catch((error: unknown) => {
          this.#o.logger.warn({ err: message(error) }, "certificate claims pass failed");
        })
        .finally(() => {
          this.#running = undefined;
        });
    };
    tick();
    this.#timer = setInterval(tick, this.#o.pollIntervalMs ?? 2000);
    this.#timer.unref();
  }

  /** Runs a pass soon (a period has just queued claims). */
  kick(): void {
    if (this.#timer === undefined || this.#running !== undefined) return;
    this.#running = this.processOnce()
      .catch((error: unknown) => {
        this.#o.logger.warn({ err: message(error) }, "certificate claims pass failed");
      })
      .finally(() => {
        this.#running = undefined;
      });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #process(claim: StoredClaim): Promise<void> {
    const client = this.#o.publicClient;
    if (claim.state === "submitted" && claim.txHash !== null) {
      // Sent before (perhaps before a crash): settle it from its receipt, or send the very same
      // signed transaction again. Never a new one: the same nonce cannot claim twice.
      const receipt = await client
        .getTransactionReceipt({ hash: claim.txHash })
        .catch(() => undefined);
      if (receipt !== undefined) {
        await this.#settle(claim, receipt.status, receipt.blockNumber, undefined);
        return;
      }
      try {
        await client.sendRawTransaction({ serializedTransaction: claim.rawTransaction ?? "0x" });
      } catch (error) {
        const again = await client
          .getTransactionReceipt({ hash: claim.txHash })
          .catch(() => undefined);
        if (again !== undefined) {
          await this.#settle(claim, again.status, again.blockNumber, undefined);
          return;
        }
        // Its nonce went to another transaction and ours is nowhere: it never ran, claim anew.
        if (/nonce too low|nonce.*(used|low)/iu.test(message(error))) {
          this.#claims.markRetry(claim.claimRef, message(error), Date.now(), true);
          return;
        }
        if (!/already known/iu.test(message(error))) throw error;
      }
      await this.#wait(claim, claim.txHash, undefined);
      return;
    }
    const args = [
      claim.certificateKey,
      claim.siteId,
      claim.wattHours,
      Math.floor(claim.periodStartMs / 1000),
      Math.ceil(claim.periodEndMs / 1000),
    ] as const;
    let remaining: bigint;
    try {
      ({ result: remaining } = await client.simulateContract({
        address: this.#o.address,
        abi: certificateClaimsAbi,
        functionName: "claim",
        args,
        account: this.#o.account,
      }));
    } catch (error) {
      const reverted = revertOf(error);
      if (reverted === undefined) throw error;
      const refused = describeRevert(reverted);
      this.#refuse(claim, refused.reason, refused.remaining);
      return;
    }
    const data = encodeFunctionData({ abi: certificateClaimsAbi, functionName: "claim", args });
    const account = this.#o.account;
    const txHash = await (this.#o.sendQueue ?? accountSendQueue).run(
      { chainId: this.#o.chainId, address: account.address },
      async () => {
        const nonce = await client.getTransactionCount({
          address: account.address,
          blockTag: "pending",
        });
        const estimate = await client.estimateGas({
          account: account.address,
          to: this.#o.address,
          data,
        });
        const fees = await client.estimateFeesPerGas();
        const raw = await account.signTransaction({
          chainId: this.#o.chainId,
          type: "eip1559",
          to: this.#o.address,
          data,
          nonce,
          gas: (estimate * GAS_MARGIN_PERCENT) / 100n,
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        });
        const hash = keccak256(raw);
        this.#claims.markSubmitted(claim.claimRef, raw, hash);
        await client.sendRawTransaction({ serializedTransaction: raw });
        return hash;
      },
    );
    await this.#wait(claim, txHash, remaining);
  }

  async #wait(claim: StoredClaim, hash: Hex, remaining: bigint | undefined): Promise<void> {
    const receipt = await this.#o.publicClient.waitForTransactionReceipt({
      hash,
      timeout: this.#o.receiptTimeoutMs ?? 60_000,
    });
    await this.#settle(claim, receipt.status, receipt.blockNumber, remaining);
  }

  async #settle(
    claim: StoredClaim,
    status: "success" | "reverted",
    blockNumber: bigint,
    remaining: bigint | undefined,
  ): Promise<void> {
    if (status === "success") {
      // Read the chain again before the claim stops counting as unsettled, so the closer never
      // sees it in neither figure (and asks for volume that is gone). No fresh read: no answers.
      await this.refresh().catch((error: unknown) => {
        this.#snapshot = undefined;
        throw error;
      });
      this.#claims.markConfirmed(claim.claimRef, blockNumber, remaining, Date.now());
      this.#o.logger.info(
        {
          claimRef: claim.claimRef,
          certificateId: claim.certificateId,
          wattHours: claim.wattHours.toString(),
        },
        "certificate claim confirmed on chain",
      );
      return;
    }
    // Mined but reverted (another claim got there between simulation and mining): ask again for
    // the reason, which the state after the block gives.
    let reason = "reverted on chain";
    let left: bigint | undefined;
    try {
      await this.#o.publicClient.simulateContract({
        address: this.#o.address,
        abi: certificateClaimsAbi,
        functionName: "claim",
        args: [
          claim.certificateKey,
          claim.siteId,
          claim.wattHours,
          Math.floor(claim.periodStartMs / 1000),
          Math.ceil(claim.periodEndMs / 1000),
        ],
        account: this.#o.account,
        blockNumber,
      });
    } catch (error) {
      const reverted = revertOf(error);
      if (reverted !== undefined) ({ reason, remaining: left } = describeRevert(reverted));
    }
    this.#refuse(claim, reason, left);
  }

  #refuse(claim: StoredClaim, reason: string, remaining: bigint | undefined): void {
    this.#claims.markRefused(claim.claimRef, reason, remaining, Date.now());
    this.#o.logger.warn(
      {
        claimRef: claim.claimRef,
        certificateId: claim.certificateId,
        wattHours: claim.wattHours.toString(),
        reason,
      },
      "certificate claim refused on chain; the container counts none of it",
    );
  }
}
