import { randomBytes } from "node:crypto";
import type { Address, Hex, LocalAccount } from "viem";
import { getAddress } from "viem";
import { InvariantError } from "@energy-intelligence/sdk/errors/index";
import {
  type Eip712Domain,
  type JobStamp,
  StampAction,
  StampChannel,
  buildJobStampTypedData,
  verifyEip712Signature,
} from "@energy-intelligence/sdk/eip712/index";
import {
  type SignedJobStamp,
  deriveJobId,
  signJobStamp,
} from "@energy-intelligence/sdk/jobs/index";
import type { JobRecord, JobsRepository, NewStamp, StampRecord } from "./jobsRepository.ts";
import type { SiteDirectory } from "./siteDirectory.ts";
import { StampRefusal } from "./stampRefusal.ts";

/** How long a queued stamp may wait for the chain: corrections and relays must leave this much of the age window. */
const QUEUE_MARGIN_S = 15 * 60;
/** A directory miss triggers a chain refresh at most this often (a new machine is found within it). */
const MISS_REFRESH_MS = 2000;

export interface ExplicitCorrection {
  /** The time the event really happened, Unix ms; becomes the signed stamp time. */
  atMs: number;
  /** Why it is late, kept with the stamp. */
  reason: string;
}

export interface GatewayStampContext {
  siteId: Hex;
  /** 1 portal, 2 api, 3 sms. */
  channel: 1 | 2 | 3;
  /** Who sent it, for the record: `api:<keyId>`, `sms:<phone>`. */
  source: string;
  /** The gateway's clock when the request arrived. */
  receivedAtMs: number;
  /** A time the sender claims, kept next to the received time; never signed unless a correction. */
  claimedAtMs?: number | undefined;
  correction?: ExplicitCorrection | undefined;
}

export interface StartRequest extends GatewayStampContext {
  /** The manufacturer's job reference; generated when absent. */
  reference?: string | undefined;
  /** Machine ids or registered names. */
  machines: readonly string[];
  /** Product id or SKU. */
  product: string;
}

export interface StopRequest extends GatewayStampContext {
  jobId: Hex;
  units: number;
}

/** A job and its stamps, as every channel reports it. */
export interface JobView {
  job: JobRecord;
  start: StampRecord | undefined;
  stop: StampRecord | undefined;
}

export interface StampingServiceParameters {
  jobs: JobsRepository;
  directory: SiteDirectory;
  /** The gateway's oracle account: signs stamps on web2 users' behalf. */
  signer: LocalAccount;
  domain: Eip712Domain;
  /** Wakes the submitter when something was queued. */
  onQueued?: () => void;
}

function isWhole(units: number): boolean {
  return Number.isSafeInteger(units) && units >= 1;
}

/**
 * The gateway half of every stamping channel: resolves names against the
 * chain's registry, checks the job rules (registered machine and product,
 * machine not busy, stop after start, units > 0), signs as the site's oracle
 * for web2 users, verifies relayed signatures, and queues the stamp durably
 * (SQLite) before anyone is answered. Nothing is queued when a check fails.
 */
export class StampingService {
  readonly #jobs: JobsRepository;
  readonly #directory: SiteDirectory;
  readonly #signer: LocalAccount;
  readonly #domain: Eip712Domain;
  readonly #onQueued: () => void;

  constructor(parameters: StampingServiceParameters) {
    this.#jobs = parameters.jobs;
    this.#directory = parameters.directory;
    this.#signer = parameters.signer;
    this.#domain = parameters.domain;
    this.#onQueued = parameters.onQueued ?? (() => undefined);
  }

  get signerAddress(): Address {
    return this.#signer.address;
  }
  get directory(): SiteDirectory {
    return this.#directory;
  }
  get jobs(): JobsRepository {
    return this.#jobs;
  }

  /**
   * Nonces of gateway-signed stamps: a random 64-bit epoch kept in the store,
   * then a counter. Consecutive stamps share a nonce bitmap word on chain (cheap),
   * and a gateway whose store was lost starts a new epoch instead of reusing
   * nonces it cannot remember.
   */
  #allocateNonce(): bigint {
    const signer = this.#signer.address.toLowerCase();
    const epoch = BigInt(
      this.#jobs.setting(`stamp_nonce_epoch:${signer}`, () =>
        BigInt(`0x${randomBytes(8).toString("hex")}`).toString(),
      ),
    );
    return (epoch << 128n) | this.#jobs.nextCounter(`stamp_nonce_counter:${signer}`);
  }

  async #requireOracle(siteId: Hex): Promise<void> {
    let allowed: boolean;
    try {
      allowed = await this.#directory.isOracle(siteId, this.#signer.address);
    } catch (error) {
      throw new StampRefusal(
        "chain_unavailable",
        `cannot reach the chain to check site ${siteId}`,
        String(error),
      );
    }
    if (!allowed)
      throw new StampRefusal(
        "gateway_not_oracle",
        `this gateway (${this.#signer.address}) is not an oracle of site ${siteId}`,
        "The site manager grants the gateway's key the site's oracle role.",
      );
  }

  async #refreshAfterMiss(): Promise<void> {
    try {
      await this.#directory.refreshIfOlder(MISS_REFRESH_MS);
    } catch {
      // A chain outage: the lookup answers from what is known.
    }
  }

  async #machine(siteId: Hex, token: string): Promise<Hex> {
    let machine = this.#directory.findMachine(siteId, token);
    if (machine === undefined) {
      await this.#refreshAfterMiss();
      machine = this.#directory.findMachine(siteId, token);
    }
    if (machine === undefined) {
      const known = this.#directory.machines(siteId).map((m) => m.name);
      throw new StampRefusal(
        "unknown_machine",
        `machine "${token}" is not registered at this site`,
        known.length === 0
          ? "Register the machine on chain first (site manager)."
          : `Registered machines: ${known.join(", ")}.`,
      );
    }
    return machine.machineId;
  }

  async #product(siteId: Hex, token: string): Promise<Hex> {
    let product = this.#directory.findProduct(siteId, token);
    if (product === undefined) {
      await this.#refreshAfterMiss();
      product = this.#directory.findProduct(siteId, token);
    }
    if (product === undefined) {
      const known = this.#directory.products(siteId).map((p) => p.sku);
      throw new StampRefusal(
        "unknown_product",
        `SKU "${token}" is not registered at this site`,
        known.length === 0
          ? "Register the product on chain first (site manager)."
          : `Registered SKUs: ${known.join(", ")}.`,
      );
    }
    return product.productId;
  }

  /** The signed time: when the gateway received it, or an explicit, bounded correction. */
  async #stampTime(context: GatewayStampContext): Promise<number> {
    const receivedS = Math.floor(context.receivedAtMs / 1000);
    if (context.correction === undefined) return receivedS;
    const correctedS = Math.floor(context.correction.atMs / 1000);
    if (context.correction.reason.trim() === "")
      throw new StampRefusal("invalid_time", "a correction needs a reason");
    if (correctedS > receivedS)
      throw new StampRefusal("invalid_time", "a correction cannot be in the future");
    let maxAgeS: number;
    try {
      ({ maxAgeS } = await this.#directory.clockRules());
    } catch (error) {
      throw new StampRefusal(
        "chain_unavailable",
        "cannot read the chain's clock rules",
        String(error),
      );
    }
    if (correctedS < receivedS - (maxAgeS - QUEUE_MARGIN_S))
      throw new StampRefusal(
        "invalid_time",
        `a correction may go back at most ${Math.floor((maxAgeS - QUEUE_MARGIN_S) / 60)} minutes`,
        "Older events cannot be stamped: the chain refuses stamps beyond its clock rules.",
      );
    return correctedS;
  }

  async #sign(stamp: JobStamp): Promise<SignedJobStamp> {
    return signJobStamp({ domain: this.#domain, stamp, signer: this.#signer });
  }

  #record(
    signed: SignedJobStamp,
    context:
      | GatewayStampContext
      | {
          receivedAtMs: number;
          source: string;
          claimedAtMs?: number | undefined;
          correction?: ExplicitCorrection | undefined;
        },
  ): NewStamp {
    const { stamp } = signed;
    return {
      siteId: stamp.siteId,
      jobId: stamp.jobId,
      action: stamp.action === 1 ? 1 : 2,
      machineIds: [...stamp.machineIds],
      productId: stamp.productId,
      units: Number(stamp.units),
      timeS: Number(stamp.time),
      channel: stamp.channel,
      signer: signed.signer,
      nonce: stamp.nonce,
      signature: signed.signature,
      receivedAtMs: context.receivedAtMs,
      claimedAtMs: context.claimedAtMs ?? null,
      correctionReason: context.correction?.reason ?? null,
      source: context.source,
    };
  }

  #refuseBusy(machineId: Hex, jobId: Hex, siteId: Hex): never {
    const name =
      this.#directory.machines(siteId).find((m) => m.machineId === machineId.toLowerCase())?.name ??
      machineId;
    const job = this.#jobs.job(siteId, jobId);
    throw new StampRefusal(
      "machine_busy",
      `machine ${name} is busy with job ${job?.reference ?? jobId}`,
      "Stop that job first.",
    );
  }

  /** Starts a job for a web2 user (API, SMS, portal): checks, signs as the gateway, queues. */
  async start(request: StartRequest): Promise<JobView> {
    const { siteId } = request;
    await this.#requireOracle(siteId);
    if (request.machines.length === 0)
      throw new StampRefusal("unknown_machine", "a job needs at least one machine");
    const machineIds: Hex[] = [];
    for (const token of request.machines) {
      const id = await this.#machine(siteId, token);
      if (!machineIds.includes(id)) machineIds.push(id);
    }
    const productId = await this.#product(siteId, request.product);
    const reference =
      request.reference ??
      `J${new Date(request.receivedAtMs).toISOString().slice(2, 10).replaceAll("-", "")}-${randomBytes(3).toString("hex")}`;
    const jobId = deriveJobId({ siteId, reference });
    if (this.#jobs.job(siteId, jobId) !== undefined)
      throw new StampRefusal(
        "job_exists",
        `job ${reference} was started before`,
        "Use a new job reference.",
      );
    for (const machineId of machineIds) {
      const busy = this.#jobs.busyJob(siteId, machineId);
      if (busy !== undefined) this.#refuseBusy(machineId, busy, siteId);
    }
    const timeS = await this.#stampTime(request);
    const signed = await this.#sign({
      jobId,
      siteId,
      action: StampAction.start,
      machineIds,
      productId,
      units: 0n,
      time: BigInt(timeS),
      channel: request.channel,
      nonce: this.#allocateNonce(),
    });
    const queued = this.#jobs.queueStart(this.#record(signed, request), reference);
    if (!queued.ok) {
      if (queued.reason === "job_exists")
        throw new StampRefusal("job_exists", `job ${reference} was started before`);
      this.#refuseBusy(queued.machineId, queued.jobId, siteId);
    }
    this.#onQueued();
    return this.#viewOf(siteId, jobId);
  }

  /** Stops a job for a web2 user with the units produced. */
  async stop(request: StopRequest): Promise<JobView> {
    const { siteId, jobId } = request;
    await this.#requireOracle(siteId);
    if (!isWhole(request.units))
      throw new StampRefusal(
        "invalid_units",
        `units must be a whole number of at least 1, got ${request.units}`,
        "Count the good units the job produced.",
      );
    const job = this.#jobs.job(siteId, jobId);
    this.#requireRunning(job, jobId);
    const timeS = await this.#stampTime(request);
    if (timeS <= job.startedAtS)
      throw new StampRefusal(
        "stop_before_start",
        `the stop (${new Date(timeS * 1000).toISOString()}) is not after the start (${new Date(job.startedAtS * 1000).toISOString()})`,
        "A job runs at least one second; stop it after its start.",
      );
    const signed = await this.#sign({
      jobId,
      siteId,
      action: StampAction.stop,
      machineIds: [],
      productId: job.productId,
      units: BigInt(request.units),
      time: BigInt(timeS),
      channel: request.channel,
      nonce: this.#allocateNonce(),
    });
    const queued = this.#jobs.queueStop(this.#record(signed, request));
    if (!queued.ok) this.#requireRunning(queued.job, jobId);
    this.#onQueued();
    return this.#viewOf(siteId, jobId);
  }

  #requireRunning(job: JobRecord | undefined, jobId: Hex): asserts job is JobRecord {
    if (job === undefined || job.state === "failed")
      throw new StampRefusal(
        "job_not_started",
        `job ${jobId} was never started`,
        "Start the job before stopping it.",
      );
    if (job.state === "stopped")
      throw new StampRefusal(
        "job_already_stopped",
        `job ${job.reference ?? jobId} was already stopped with ${job.units ?? 0} units`,
      );
  }

  /** The job running on a machine (by id or name), for `STOP <machine>` and `STATUS <machine>`. */
  async runningOn(
    siteId: Hex,
    machine: string,
  ): Promise<{ machineId: Hex; job: JobRecord | undefined }> {
    const machineId = await this.#machine(siteId, machine);
    const jobId = this.#jobs.busyJob(siteId, machineId);
    return { machineId, job: jobId === undefined ? undefined : this.#jobs.job(siteId, jobId) };
  }

  #viewOf(siteId: Hex, jobId: Hex): JobView {
    const view = this.view(siteId, jobId);
    if (view === undefined) throw new InvariantError(`job ${jobId} vanished after queueing`);
    return view;
  }

  #stampOf(stampRef: number): StampRecord {
    const stamp = this.#jobs.stamp(stampRef);
    if (stamp === undefined) throw new InvariantError(`stamp ${stampRef} vanished after queueing`);
    return stamp;
  }

  view(siteId: Hex, jobId: Hex): JobView | undefined {
    const job = this.#jobs.job(siteId, jobId);
    if (job === undefined) return undefined;
    return {
      job,
      start: job.startStampRef === null ? undefined : this.#jobs.stamp(job.startStampRef),
      stop: job.stopStampRef === null ? undefined : this.#jobs.stamp(job.stopStampRef),
    };
  }

  /**
   * Accepts a stamp signed by an operator (or another oracle) of its site for
   * relaying: signature, signer's role, clock window and nonce are checked
   * before it is queued, then the same job rules as the gateway's own stamps.
   * The identical stamp sent again returns the first record (idempotent).
   */
  async acceptRelayed(signed: SignedJobStamp, receivedAtMs: number): Promise<StampRecord> {
    const { stamp } = signed;
    const signer = getAddress(signed.signer);
    const existing = this.#jobs.stampBySignerNonce(signer, stamp.nonce);
    if (existing !== undefined) {
      if (existing.signature.toLowerCase() === signed.signature.toLowerCase()) return existing;
      throw new StampRefusal(
        "nonce_used",
        `nonce ${stamp.nonce} of ${signer} was used by another stamp`,
      );
    }
    if (stamp.channel < StampChannel.portal || stamp.channel > StampChannel.relay)
      throw new StampRefusal(
        "invalid_stamp",
        `channel ${stamp.channel} cannot be relayed (1 portal, 2 api, 3 sms, 4 relay)`,
      );
    if (stamp.action !== StampAction.start && stamp.action !== StampAction.stop)
      throw new StampRefusal(
        "invalid_stamp",
        `action ${stamp.action} is neither 1 (start) nor 2 (stop)`,
      );
    let valid: boolean;
    try {
      valid = await verifyEip712Signature({
        client: this.#directory.client,
        typedData: buildJobStampTypedData({ domain: this.#domain, stamp }),
        signer,
        signature: signed.signature,
      });
    } catch {
      valid = false;
    }
    if (!valid)
      throw new StampRefusal(
        "bad_signature",
        `the signature does not verify for ${signer}`,
        `Sign the EIP-712 JobStamp with domain Energy-Intelligence/1, chain ${this.#domain.chainId}, contract ${this.#domain.verifyingContract}.`,
      );
    let authorized: boolean;
    let used: boolean;
    let rules: { maxAgeS: number; maxSkewS: number };
    try {
      authorized =
        (await this.#directory.isOperator(stamp.siteId, signer)) ||
        (await this.#directory.isOracle(stamp.siteId, signer));
      used = await this.#directory.isNonceUsed(signer, stamp.nonce);
      rules = await this.#directory.clockRules();
    } catch (error) {
      throw new StampRefusal(
        "chain_unavailable",
        "cannot reach the chain to check the stamp",
        String(error),
      );
    }
    if (!authorized)
      throw new StampRefusal(
        "signer_not_authorized",
        `${signer} is neither an operator nor an oracle of site ${stamp.siteId}`,
      );
    if (used)
      throw new StampRefusal(
        "nonce_used",
        `nonce ${stamp.nonce} of ${signer} is already used on chain`,
      );
    const nowS = Math.floor(receivedAtMs / 1000);
    const timeS = Number(stamp.time);
    if (timeS < nowS - (rules.maxAgeS - QUEUE_MARGIN_S))
      throw new StampRefusal(
        "stamp_too_old",
        `the stamp's time is more than ${Math.floor((rules.maxAgeS - QUEUE_MARGIN_S) / 60)} minutes old`,
      );
    if (timeS > nowS + rules.maxSkewS)
      throw new StampRefusal(
        "stamp_in_future",
        `the stamp's time is more than ${rules.maxSkewS} s ahead of the gateway's clock`,
      );

    const context = { receivedAtMs, source: "relay", claimedAtMs: timeS * 1000 };
    if (stamp.action === StampAction.start) {
      if (stamp.units !== 0n)
        throw new StampRefusal(
          "invalid_units",
          "a start carries no units; units are counted at stop",
        );
      if (stamp.machineIds.length === 0)
        throw new StampRefusal("unknown_machine", "a job needs at least one machine");
      for (const machineId of stamp.machineIds) await this.#machine(stamp.siteId, machineId);
      await this.#product(stamp.siteId, stamp.productId);
      const queued = this.#jobs.queueStart(this.#record(signed, context), null);
      if (!queued.ok) {
        if (queued.reason === "job_exists")
          throw new StampRefusal("job_exists", `job ${stamp.jobId} was started before`);
        this.#refuseBusy(queued.machineId, queued.jobId, stamp.siteId);
      }
      this.#onQueued();
      return this.#stampOf(queued.stampRef);
    }
    if (stamp.units === 0n || stamp.units > BigInt(Number.MAX_SAFE_INTEGER))
      throw new StampRefusal(
        "invalid_units",
        `units must be a whole number of at least 1, got ${stamp.units}`,
      );
    const job = this.#jobs.job(stamp.siteId, stamp.jobId);
    this.#requireRunning(job, stamp.jobId);
    if (job.productId !== stamp.productId.toLowerCase())
      throw new StampRefusal(
        "product_mismatch",
        `job ${stamp.jobId} started with product ${job.productId}`,
      );
    if (timeS <= job.startedAtS)
      throw new StampRefusal(
        "stop_before_start",
        `the stop time ${timeS} is not after the start time ${job.startedAtS}`,
      );
    const queued = this.#jobs.queueStop(this.#record(signed, context));
    if (!queued.ok) {
      this.#requireRunning(queued.job, stamp.jobId);
      throw new StampRefusal("job_not_started", `job ${stamp.jobId} is not running`);
    }
    this.#onQueued();
    return this.#stampOf(queued.stampRef);
  }
}
