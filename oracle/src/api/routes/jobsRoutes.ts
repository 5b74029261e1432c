import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Hex } from "viem";
import { z } from "zod";
import { StampChannel } from "@energy-intelligence/sdk/eip712/index";
import { MAX_JOB_REFERENCE_LENGTH } from "@energy-intelligence/sdk/jobs/index";
import type { ApiKeyRecord, ApiScope } from "../../jobs/apiKeys.ts";
import { IDEMPOTENCY_KEY_PATTERN, requestFingerprint } from "../../jobs/idempotencyKeys.ts";
import type { StampRecord } from "../../jobs/jobsRepository.ts";
import type { StartRequest } from "../../jobs/stampingService.ts";
import { REFUSALS, StampRefusal } from "../../jobs/stampRefusal.ts";
import type { JobView } from "../../jobs/stampingService.ts";
import type { StampingServices } from "../../jobs/startStampingServices.ts";
import { sendProblem } from "../problem.ts";
import { jsonSchema, problemSchema } from "../schemas.ts";

const PROBLEM_BASE = "https://energy-intelligence.dev/problems/";
const CHANNEL_NAMES = ["wallet", "portal", "api", "sms", "relay"] as const;

const correctionSchema = z
  .strictObject({
    atMs: z.int().describe("When it really happened, Unix ms; becomes the stamp's time"),
    reason: z.string().min(1).max(200).describe("Why the stamp is late"),
  })
  .describe(
    "An explicit late correction: the stamp is signed at `atMs` instead of the receive time",
  );

export const startJobBodySchema = z.strictObject({
  reference: z
    .string()
    .min(1)
    .max(MAX_JOB_REFERENCE_LENGTH)
    .regex(/^\S+$/u, "no spaces")
    .optional()
    .describe(
      "Your job or work-order reference; the job id is keccak256(abi.encode(siteId, reference)). Generated when absent.",
    ),
  machines: z
    .array(z.string().min(1))
    .min(1)
    .max(32)
    .describe("Machine ids (0x…) or registered names"),
  sku: z.string().min(1).describe("Product SKU or product id (0x…)"),
  claimedAtMs: z
    .int()
    .optional()
    .describe("The time your system saw the start; recorded, not signed"),
  correction: correctionSchema.optional(),
});
export const stopJobBodySchema = z.strictObject({
  units: z.number().describe("Units produced: a whole number of at least 1"),
  claimedAtMs: z.int().optional(),
  correction: correctionSchema.optional(),
});
const jobIdParams = z.object({
  id: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/u)
    .describe("Job id (bytes32)"),
});

const stampSchema = z.object({
  action: z.enum(["start", "stop"]),
  state: z.enum(["queued", "submitted", "confirmed", "failed"]),
  channel: z.enum(CHANNEL_NAMES),
  timeS: z.int().describe("Signed stamp time, Unix s: the gateway's receive time unless corrected"),
  receivedAtMs: z.int().describe("Gateway clock when the stamp arrived"),
  claimedAtMs: z.int().nullable(),
  correctionReason: z.string().nullable(),
  signer: z.string(),
  nonce: z.string(),
  txHash: z.string().nullable(),
  blockNumber: z.int().nullable(),
  lastError: z.string().nullable(),
});
export const jobResponseSchema = z.object({
  jobId: z.string(),
  siteId: z.string(),
  reference: z.string().nullable(),
  state: z.enum(["running", "stopped", "failed"]),
  productId: z.string(),
  sku: z.string().nullable(),
  machineIds: z.array(z.string()),
  machines: z.array(z.string()).describe("Registered names, same order as machineIds"),
  startedAtS: z.int(),
  stoppedAtS: z.int().nullable(),
  units: z.int().nullable(),
  origin: z.enum(["gateway", "chain"]),
  start: stampSchema.nullable(),
  stop: stampSchema.nullable(),
});
export type JobResponse = z.infer<typeof jobResponseSchema>;

function stampJson(stamp: StampRecord | undefined): z.infer<typeof stampSchema> | null {
  if (stamp === undefined) return null;
  return {
    action: stamp.action === 1 ? "start" : "stop",
    state: stamp.state,
    channel: CHANNEL_NAMES[stamp.channel] ?? "relay",
    timeS: stamp.timeS,
    receivedAtMs: stamp.receivedAtMs,
    claimedAtMs: stamp.claimedAtMs,
    correctionReason: stamp.correctionReason,
    signer: stamp.signer,
    nonce: stamp.nonce.toString(),
    txHash: stamp.txHash,
    blockNumber: stamp.blockNumber,
    lastError: stamp.lastError,
  };
}

/** The API's view of a job, names resolved from the chain directory. */
export function jobJson(stamping: StampingServices, view: JobView): JobResponse {
  const { job } = view;
  const { directory } = stamping;
  return {
    jobId: job.jobId,
    siteId: job.siteId,
    reference: job.reference,
    state: job.state,
    productId: job.productId,
    sku: directory.findProduct(job.siteId, job.productId)?.sku ?? null,
    machineIds: job.machineIds,
    machines: job.machineIds.map((id) => directory.findMachine(job.siteId, id)?.name ?? id),
    startedAtS: job.startedAtS,
    stoppedAtS: job.stoppedAtS,
    units: job.units,
    origin: job.origin,
    start: stampJson(view.start),
    stop: stampJson(view.stop),
  };
}

/** Sends a refusal as problem+json: the code as `reason`, the hint appended to the detail. */
export function sendRefusal(reply: FastifyReply, error: StampRefusal): FastifyReply {
  const [hint] = error.hints;
  return sendProblem(reply, {
    type: `${PROBLEM_BASE}${error.code}`,
    title: REFUSALS[error.code].title,
    status: error.status,
    detail: hint === undefined ? error.shortMessage : `${error.shortMessage}. ${hint}`,
    reason: error.code,
  });
}

function authProblem(reply: FastifyReply, reason: string, detail: string): FastifyReply {
  const status = reason === "scope_missing" ? 403 : 401;
  if (status === 401) void reply.header("www-authenticate", 'Bearer realm="ei-gateway"');
  return sendProblem(reply, {
    type: `${PROBLEM_BASE}${reason}`,
    title: status === 401 ? "Unauthorized" : "Forbidden",
    status,
    detail,
    reason,
  });
}

function authenticate(
  stamping: StampingServices,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: ApiScope,
): ApiKeyRecord | undefined {
  const header = request.headers.authorization;
  const presented = header?.startsWith("Bearer ") === true ? header.slice(7).trim() : undefined;
  const checked = stamping.apiKeys.check(presented, scope);
  if (checked.ok) return checked.key;
  void authProblem(reply, checked.reason, checked.detail);
  return undefined;
}

/**
 * Runs a write under the Idempotency-Key header: a replay of the same request
 * returns the first answer, the same key with another body is refused (422),
 * and a key still being processed is refused (409). Only successes are kept.
 */
async function idempotent(
  stamping: StampingServices,
  inFlight: Set<string>,
  key: ApiKeyRecord,
  request: FastifyRequest,
  reply: FastifyReply,
  work: () => Promise<{ status: number; body: JobResponse }>,
): Promise<FastifyReply> {
  const header = request.headers["idempotency-key"];
  const idempotencyKey = Array.isArray(header) ? header[0] : header;
  const run = async () => {
    try {
      const result = await work();
      return { result, reply: reply.code(result.status).send(result.body) };
    } catch (error) {
      if (error instanceof StampRefusal)
        return { result: undefined, reply: sendRefusal(reply, error) };
      throw error;
    }
  };
  if (idempotencyKey === undefined) return (await run()).reply;
  if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey))
    return sendProblem(reply, {
      type: `${PROBLEM_BASE}idempotency_key_invalid`,
      title: "Invalid Idempotency-Key",
      status: 400,
      detail: "Idempotency-Key must be 1 to 255 printable ASCII characters",
      reason: "idempotency_key_invalid",
    });
  const fingerprint = requestFingerprint(request.method, request.url, request.body);
  const seen = stamping.idempotency.lookup(key.keyRef, idempotencyKey, fingerprint);
  if (seen.kind === "mismatch")
    return sendProblem(reply, {
      type: `${PROBLEM_BASE}idempotency_key_reused`,
      title: "Idempotency-Key reused",
      status: 422,
      detail: `Idempotency-Key "${idempotencyKey}" was used before with a different request; nothing was done. Use a new key for a new request.`,
      reason: "idempotency_key_reused",
    });
  if (seen.kind === "replay") {
    void reply.header("idempotent-replayed", "true");
    return reply.code(seen.statusCode).send(seen.body);
  }
  const flightKey = `${key.keyRef}:${idempotencyKey}`;
  if (inFlight.has(flightKey))
    return sendProblem(reply, {
      type: `${PROBLEM_BASE}idempotency_key_in_use`,
      title: "Idempotency-Key in use",
      status: 409,
      detail: "A request with this Idempotency-Key is still being processed; retry in a moment.",
      reason: "idempotency_key_in_use",
    });
  inFlight.add(flightKey);
  try {
    const outcome = await run();
    if (outcome.result !== undefined)
      stamping.idempotency.remember(
        key.keyRef,
        idempotencyKey,
        fingerprint,
        outcome.result.status,
        outcome.result.body,
      );
    // A FastifyReply is thenable; handing it back (not awaiting it) is how a handler says "sent".
    // eslint-disable-next-line @typescript-eslint/return-await
    return outcome.reply;
  } finally {
    inFlight.delete(flightKey);
  }
}

/**
 * The web2 stamping API: `POST /v1/jobs` (start), `POST /v1/jobs/{id}/stop`,
 * `GET /v1/jobs/{id}`, with per-site API keys (Bearer) and Idempotency-Key.
 * Starts and stops answer 202: the stamp is signed and durably queued; its
 * `state` goes to `confirmed` once it is on chain.
 */
export function jobsRoutes(app: FastifyInstance, stamping: StampingServices): void {
  const problem = jsonSchema(problemSchema);
  const job = jsonSchema(jobResponseSchema);
  const security = [{ bearerAuth: [] }];
  // Loose: a closed header schema would make Fastify strip Authorization before the handler sees it.
  const headers = jsonSchema(
    z.looseObject({
      "idempotency-key": z
        .string()
        .optional()
        .describe("Makes a retry safe: the first answer is returned again"),
    }),
  );
  const inFlight = new Set<string>();

  app.post(
    "/v1/jobs",
    {
      schema: {
        summary: "Start a job (signed by the gateway, channel api)",
        tags: ["jobs"],
        security,
        headers,
        body: jsonSchema(startJobBodySchema),
        response: {
          202: job,
          400: problem,
          401: problem,
          403: problem,
          409: problem,
          422: problem,
          503: problem,
        },
      },
    },
    async (request, reply) => {
      const key = authenticate(stamping, request, reply, "jobs:write");
      if (key === undefined) return reply;
      const body = startJobBodySchema.parse(request.body);
      return idempotent(stamping, inFlight, key, request, reply, async () => {
        const start: StartRequest = {
          siteId: key.siteId,
          channel: StampChannel.api,
          source: `api:${key.keyId}`,
          receivedAtMs: Date.now(),
          claimedAtMs: body.claimedAtMs,
          correction: body.correction,
          reference: body.reference,
          machines: body.machines,
          product: body.sku,
        };
        const view = await stamping.service.start(start);
        return { status: 202, body: jobJson(stamping, view) };
      });
    },
  );

  app.post(
    "/v1/jobs/:id/stop",
    {
      schema: {
        summary: "Stop a job with the units produced",
        tags: ["jobs"],
        security,
        headers,
        params: jsonSchema(jobIdParams),
        body: jsonSchema(stopJobBodySchema),
        response: {
          202: job,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
          503: problem,
        },
      },
    },
    async (request, reply) => {
      const key = authenticate(stamping, request, reply, "jobs:write");
      if (key === undefined) return reply;
      const { id } = jobIdParams.parse(request.params);
      const body = stopJobBodySchema.parse(request.body);
      return idempotent(stamping, inFlight, key, request, reply, async () => {
        const view = await stamping.service.stop({
          siteId: key.siteId,
          jobId: id.toLowerCase() as Hex,
          units: body.units,
          channel: StampChannel.api,
          source: `api:${key.keyId}`,
          receivedAtMs: Date.now(),
          claimedAtMs: body.claimedAtMs,
          correction: body.correction,
        });
        return { status: 202, body: jobJson(stamping, view) };
      });
    },
  );

  app.get(
    "/v1/jobs/:id",
    {
      schema: {
        summary: "A job of the key's site: state, stamps, chain status",
        tags: ["jobs"],
        security,
        params: jsonSchema(jobIdParams),
        response: { 200: job, 401: problem, 403: problem, 404: problem },
      },
    },
    async (request, reply) => {
      const key = authenticate(stamping, request, reply, "jobs:read");
      if (key === undefined) return reply;
      const { id } = jobIdParams.parse(request.params);
      const view = stamping.service.view(key.siteId, id.toLowerCase() as Hex);
      if (view === undefined)
        return sendRefusal(
          reply,
          new StampRefusal("job_not_found", `no job ${id} at this key's site`),
        );
      return reply.code(200).send(jobJson(stamping, view));
    },
  );
}
