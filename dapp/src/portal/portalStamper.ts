import { randomBytes } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { Hex, LocalAccount } from "viem";
import {
  type Eip712Domain,
  StampAction,
  StampChannel,
} from "@energy-intelligence/sdk/eip712/index";
import {
  type SignedJobStamp,
  deriveJobId,
  signJobStamp,
} from "@energy-intelligence/sdk/jobs/index";
import type { SiteCatalog } from "../wallet/readSiteCatalog.ts";

/** A stamp the portal could not get accepted, in words for the operator. */
export class PortalStampError extends Error {
  override name = "PortalStampError";
  /** The gateway's refusal `reason` (docs/stamping.md), or a portal code. */
  readonly reason: string;
  /** HTTP status to answer the browser with. */
  readonly status: number;

  constructor(reason: string, message: string, status: number) {
    super(message);
    this.reason = reason;
    this.status = status;
  }
}

export interface PortalStamperParameters {
  db: Database;
  /**
   * The portal's relay key. The site manager grants its address the site's
   * operator role; it stays on the portal server and never reaches a browser.
   */
  relayAccount: LocalAccount;
  /** The JobStamps EIP-712 domain. */
  domain: Eip712Domain;
  /** The site gateway's base URL (its `/v1/stamps` relays the stamps). */
  gatewayUrl: string;
  /** Machines, products and jobs of a site from the chain. */
  catalog: (siteId: Hex) => Promise<SiteCatalog>;
  fetch?: typeof fetch;
}

export interface PortalStampResult {
  jobId: Hex;
  reference: string | null;
  /** The gateway's queue state (`queued`, later `submitted`, `confirmed`). */
  state: string;
  timeS: number;
  signer: Hex;
  nonce: string;
}

const problemReason = (body: unknown): { reason: string; detail: string } => {
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  return {
    reason: typeof record.reason === "string" ? record.reason : "gateway_error",
    detail:
      typeof record.detail === "string"
        ? record.detail
        : typeof record.title === "string"
          ? record.title
          : "the gateway refused the stamp",
  };
};

/**
 * The portal's stamping channel (channel 1 "portal"). The portal server signs
 * each stamp as an EIP-712 `JobStamp` with its own relay key and relays it
 * through the site gateway's `POST /v1/stamps`, which checks it (signature,
 * role, clock, nonce, machines, product, busy machines) and lands it with
 * `stampMany`. The portal records which user stamped what, since the chain only
 * sees the relay key.
 */
export class PortalStamper {
  readonly #db: Database;
  readonly #account: LocalAccount;
  readonly #domain: Eip712Domain;
  readonly #gatewayUrl: string;
  readonly #catalog: (siteId: Hex) => Promise<SiteCatalog>;
  readonly #fetch: typeof fetch;

  constructor(parameters: PortalStamperParameters) {
    this.#db = parameters.db;
    this.#account = parameters.relayAccount;
    this.#domain = parameters.domain;
    this.#gatewayUrl = parameters.gatewayUrl.replace(/\/+$/u, "");
    this.#catalog = parameters.catalog;
    this.#fetch = parameters.fetch ?? fetch;
  }

  get relayAddress(): Hex {
    return this.#account.address;
  }

  /**
   * Nonces as the gateway makes its own: a random 64-bit epoch kept in the
   * portal's database, then a counter, so consecutive stamps share one nonce
   * bitmap word on chain and a portal whose database was lost never reuses one.
   */
  #allocateNonce(): bigint {
    return this.#db.transaction(() => {
      const key = `nonce:${this.#account.address.toLowerCase()}`;
      const row = this.#db
        .prepare<[string], { value: string }>("SELECT value FROM portal_settings WHERE key = ?")
        .get(key);
      const [epoch, counter] =
        row === undefined
          ? [BigInt(`0x${randomBytes(8).toString("hex")}`), 0n]
          : row.value.split(":").map(BigInt);
      const next = (counter ?? 0n) + 1n;
      this.#db
        .prepare("INSERT OR REPLACE INTO portal_settings (key, value) VALUES (?, ?)")
        .run(key, `${epoch}:${next}`);
      return ((epoch ?? 0n) << 128n) | next;
    })();
  }

  async #relay(
    signed: SignedJobStamp,
    userId: number,
    reference: string | null,
    nowMs: number,
  ): Promise<PortalStampResult> {
    const { stamp } = signed;
    const insert = this.#db
      .prepare(
        `INSERT INTO portal_stamps (user_id, site_id, job_id, reference, action, product_id, machine_ids, units,
           time_s, signer, nonce, signature, status, created_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?)`,
      )
      .run(
        userId,
        stamp.siteId,
        stamp.jobId,
        reference,
        stamp.action,
        stamp.productId,
        JSON.stringify(stamp.machineIds),
        Number(stamp.units),
        Number(stamp.time),
        signed.signer,
        stamp.nonce.toString(),
        signed.signature,
        nowMs,
      );
    const stampId = Number(insert.lastInsertRowid);
    const settle = (status: "accepted" | "refused", reason: string | null) =>
      this.#db
        .prepare("UPDATE portal_stamps SET status = ?, gateway_reason = ? WHERE stamp_id = ?")
        .run(status, reason, stampId);
    let response: Response;
    try {
      response = await this.#fetch(`${this.#gatewayUrl}/v1/stamps`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          stamps: [
            {
              stamp: {
                ...stamp,
                units: stamp.units.toString(),
                time: stamp.time.toString(),
                nonce: stamp.nonce.toString(),
              },
              signer: signed.signer,
              signature: signed.signature,
            },
          ],
        }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      // Left 'sent': the gateway may have queued it; the same signed stamp can be sent again safely.
      throw new PortalStampError(
        "gateway_unreachable",
        `the site gateway at ${this.#gatewayUrl} did not answer (${(error as Error).message}); try again in a moment`,
        503,
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status !== 202) {
      const { reason, detail } = problemReason(body);
      settle("refused", reason);
      throw new PortalStampError(reason, detail, response.status >= 500 ? 503 : response.status);
    }
    const results = (body as { results?: { state?: string | null }[] } | undefined)?.results;
    settle("accepted", null);
    return {
      jobId: stamp.jobId,
      reference,
      state: results?.[0]?.state ?? "queued",
      timeS: Number(stamp.time),
      signer: signed.signer,
      nonce: stamp.nonce.toString(),
    };
  }

  /** Starts a job now on the given machines for a product (ids or names / SKU). */
  async start(input: {
    userId: number;
    siteId: Hex;
    reference: string;
    machines: readonly string[];
    product: string;
    nowMs?: number;
  }): Promise<PortalStampResult> {
    const nowMs = input.nowMs ?? Date.now();
    const siteId = input.siteId.toLowerCase() as Hex;
    let jobId: Hex;
    try {
      jobId = deriveJobId({ siteId, reference: input.reference });
    } catch (error) {
      throw new PortalStampError("invalid_reference", (error as Error).message, 422);
    }
    if (input.machines.length === 0)
      throw new PortalStampError("unknown_machine", "choose at least one machine", 422);
    const catalog = await this.#catalog(siteId);
    const machineIds = input.machines.map((token) => {
      const match = catalog.machines.find(
        (machine) => machine.machineId === token.toLowerCase() || machine.name === token,
      );
      if (match === undefined)
        throw new PortalStampError(
          "unknown_machine",
          `machine "${token}" is not registered at this site`,
          422,
        );
      return match.machineId;
    });
    const product = catalog.products.find(
      (entry) => entry.productId === input.product.toLowerCase() || entry.sku === input.product,
    );
    if (product === undefined)
      throw new PortalStampError(
        "unknown_product",
        `product "${input.product}" is not registered at this site`,
        422,
      );
    const signed = await signJobStamp({
      domain: this.#domain,
      signer: this.#account,
      stamp: {
        jobId,
        siteId,
        action: StampAction.start,
        machineIds: [...new Set(machineIds)],
        productId: product.productId,
        units: 0n,
        time: BigInt(Math.floor(nowMs / 1000)),
        channel: StampChannel.portal,
        nonce: this.#allocateNonce(),
      },
    });
    return this.#relay(signed, input.userId, input.reference, nowMs);
  }

  /** Stops a running job now with the units produced. */
  async stop(input: {
    userId: number;
    siteId: Hex;
    jobId: Hex;
    units: number;
    nowMs?: number;
  }): Promise<PortalStampResult> {
    const nowMs = input.nowMs ?? Date.now();
    const siteId = input.siteId.toLowerCase() as Hex;
    const jobId = input.jobId.toLowerCase() as Hex;
    if (!Number.isSafeInteger(input.units) || input.units < 1)
      throw new PortalStampError(
        "invalid_units",
        `units must be a whole number of at least 1, got ${input.units}`,
        422,
      );
    // The job's product: from the portal's own start (it may still be queued), else from the chain.
    const own = this.#db
      .prepare<[string, string], { product_id: string; reference: string | null }>(
        "SELECT product_id, reference FROM portal_stamps WHERE site_id = ? AND job_id = ? AND action = 1 AND status = 'accepted'",
      )
      .get(siteId, jobId);
    let productId = own?.product_id as Hex | undefined;
    if (productId === undefined) {
      const job = (await this.#catalog(siteId)).jobs.find((entry) => entry.jobId === jobId);
      if (job === undefined)
        throw new PortalStampError("job_not_started", `job ${jobId} was never started`, 409);
      if (job.stoppedAtS !== null)
        throw new PortalStampError(
          "job_already_stopped",
          `job ${jobId} was already stopped with ${job.units ?? 0} units`,
          409,
        );
      productId = job.productId;
    }
    const signed = await signJobStamp({
      domain: this.#domain,
      signer: this.#account,
      stamp: {
        jobId,
        siteId,
        action: StampAction.stop,
        machineIds: [],
        productId,
        units: BigInt(input.units),
        time: BigInt(Math.floor(nowMs / 1000)),
        channel: StampChannel.portal,
        nonce: this.#allocateNonce(),
      },
    });
    return this.#relay(signed, input.userId, own?.reference ?? null, nowMs);
  }

  /** The portal's own record of who stamped a job. */
  stampsOf(siteId: Hex, jobId: Hex): { userId: number; action: number; status: string }[] {
    return this.#db
      .prepare<[string, string], { user_id: number; action: number; status: string }>(
        "SELECT user_id, action, status FROM portal_stamps WHERE site_id = ? AND job_id = ? ORDER BY stamp_id",
      )
      .all(siteId.toLowerCase(), jobId.toLowerCase())
      .map((row) => ({ userId: row.user_id, action: row.action, status: row.status }));
  }
}
