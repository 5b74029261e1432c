import type { FastifyInstance } from "fastify";
import { getAddress, type Hex } from "viem";
import { z } from "zod";
import type { SignedJobStamp } from "@energy-intelligence/sdk/jobs/index";
import type { StampRecord } from "../../jobs/jobsRepository.ts";
import { REFUSALS, StampRefusal } from "../../jobs/stampRefusal.ts";
import type { StampingServices } from "../../jobs/startStampingServices.ts";
import { jsonSchema, problemSchema } from "../schemas.ts";
import { sendRefusal } from "./jobsRoutes.ts";

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/u);
const uint = z.union([z.string().regex(/^(?:0|[1-9][0-9]{0,77})$/u), z.int().min(0)]);

const signedStampSchema = z.strictObject({
  stamp: z.strictObject({
    jobId: bytes32,
    siteId: bytes32,
    action: z.int().describe("1 start, 2 stop"),
    machineIds: z.array(bytes32).max(32),
    productId: bytes32,
    units: uint.describe("0 on start; units produced on stop (decimal string or integer)"),
    time: uint.describe("Signed stamp time, Unix seconds"),
    channel: z.int().describe("1 portal, 2 api, 3 sms, 4 relay"),
    nonce: uint.describe("The signer's unordered nonce (decimal string or integer)"),
  }),
  signer: z.string().regex(/^0x[0-9a-fA-F]{40}$/u),
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]{130}$/u)
    .describe("65-byte EIP-712 signature"),
});
export const relayBodySchema = z.strictObject({
  stamps: z.array(signedStampSchema).min(1).max(100),
});

const resultSchema = z.object({
  index: z.int(),
  status: z.enum(["queued", "duplicate", "refused"]),
  stampRef: z.int().nullable(),
  state: z.string().nullable().describe("queued, submitted, confirmed or failed"),
  receivedAtMs: z.int().nullable(),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
});

function toSigned(input: z.infer<typeof signedStampSchema>): SignedJobStamp {
  const { stamp } = input;
  return {
    stamp: {
      jobId: stamp.jobId.toLowerCase() as Hex,
      siteId: stamp.siteId.toLowerCase() as Hex,
      action: stamp.action,
      machineIds: stamp.machineIds.map((id) => id.toLowerCase() as Hex),
      productId: stamp.productId.toLowerCase() as Hex,
      units: BigInt(stamp.units),
      time: BigInt(stamp.time),
      channel: stamp.channel,
      nonce: BigInt(stamp.nonce),
    },
    signer: getAddress(input.signer),
    signature: input.signature as Hex,
  };
}

/**
 * `POST /v1/stamps`: relays. Stamps signed with EIP-712 by an operator (or an
 * oracle) of their site are checked (signature, role, clock, nonce, job rules)
 * before they are queued, then go to the chain in `stampMany` batches with the
 * gateway's own. Stamps are judged in order, each on its own: one stamp that is
 * refused answers with its problem; in a list, each gets its result.
 */
export function stampsRoutes(app: FastifyInstance, stamping: StampingServices): void {
  const problem = jsonSchema(problemSchema);
  app.post(
    "/v1/stamps",
    {
      schema: {
        summary: "Relay EIP-712 job stamps signed by site operators",
        tags: ["jobs"],
        body: jsonSchema(relayBodySchema),
        response: {
          202: jsonSchema(z.object({ results: z.array(resultSchema) })),
          400: problem,
          403: problem,
          409: problem,
          422: problem,
          503: problem,
        },
      },
    },
    async (request, reply) => {
      const body = relayBodySchema.parse(request.body);
      const results: z.infer<typeof resultSchema>[] = [];
      for (const [index, input] of body.stamps.entries()) {
        const receivedAtMs = Date.now();
        const signed = toSigned(input);
        const known = stamping.jobs.stampBySignerNonce(signed.signer, signed.stamp.nonce);
        try {
          const record: StampRecord = await stamping.service.acceptRelayed(signed, receivedAtMs);
          results.push({
            index,
            status: known === undefined ? "queued" : "duplicate",
            stampRef: record.stampRef,
            state: record.state,
            receivedAtMs: record.receivedAtMs,
            reason: null,
            detail: null,
          });
        } catch (error) {
          if (!(error instanceof StampRefusal)) throw error;
          if (body.stamps.length === 1) return sendRefusal(reply, error);
          results.push({
            index,
            status: "refused",
            stampRef: null,
            state: null,
            receivedAtMs: null,
            reason: error.code,
            detail: `${REFUSALS[error.code].title}: ${error.shortMessage}`,
          });
        }
      }
      return reply.code(202).send({ results });
    },
  );
}
