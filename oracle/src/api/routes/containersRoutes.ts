import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { containerHeaderJsonSchema } from "../../containers/containerHeaderJson.ts";
import type { AnchorBatchesRepository } from "../../store/anchorBatchesRepository.ts";
import {
  CONTAINER_STATES,
  type ContainerRecord,
  type ContainersRepository,
} from "../../store/containersRepository.ts";
import { sendProblem } from "../problem.ts";
import { jsonSchema, problemSchema } from "../schemas.ts";

const bytes32 = z.string().regex(/^0x[0-9a-f]{64}$/u);
const listQuery = z
  .object({
    siteId: bytes32.optional(),
    streamId: bytes32.optional(),
    state: z.enum(CONTAINER_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** Pagination: the `next` value of the previous page. */
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();
const idParams = z.object({
  id: z
    .string()
    .regex(/^(?:0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/u)
    .describe("Token id, 0x-hex or decimal"),
});

const containerSummarySchema = z.object({
  containerId: z.string().describe("ERC-1155 token id, 0x + 64 hex"),
  siteId: z.string(),
  streamId: z.string(),
  periodStartMs: z.int(),
  periodEndMs: z.int(),
  revision: z.int(),
  cid: z.string(),
  state: z.enum(CONTAINER_STATES),
  readingCount: z.int(),
  energyFlags: z.array(z.string()),
  lateReadingCount: z.int(),
  closedAtMs: z.int(),
  confirmedAtMs: z.int().nullable(),
});
const containerDetailSchema = containerSummarySchema.extend({
  header: containerHeaderJsonSchema,
  headerHash: z.string().describe("EIP-712 struct hash: DataContainers.commitmentOf(id)"),
  ipfsPath: z.string(),
  anchoring: z.object({
    txHash: z.string().nullable().describe("The mined transaction, else the latest one sent"),
    nonce: z.int().nullable(),
    blockNumber: z.int().nullable(),
    attempts: z.int(),
    lastError: z.string().nullable(),
    nextAttemptAtMs: z.int(),
  }),
});

function summary(record: ContainerRecord): z.infer<typeof containerSummarySchema> {
  return {
    containerId: record.containerId,
    siteId: record.siteId,
    streamId: record.streamId,
    periodStartMs: record.periodStartMs,
    periodEndMs: record.periodEndMs,
    revision: record.revision,
    cid: record.cid,
    state: record.state,
    readingCount: record.readingCount,
    energyFlags: record.energyFlags,
    lateReadingCount: record.lateReadingCount,
    closedAtMs: record.closedAtMs,
    confirmedAtMs: record.confirmedAtMs,
  };
}

/** `GET /v1/containers` (newest first, filterable) and `GET /v1/containers/{id}` with header, CID and anchoring state. */
export function containersRoutes(
  app: FastifyInstance,
  options: { containers: ContainersRepository; batches: AnchorBatchesRepository },
): void {
  const problem = jsonSchema(problemSchema);
  app.get(
    "/v1/containers",
    {
      schema: {
        summary: "Interval containers of this gateway, newest first",
        tags: ["containers"],
        querystring: jsonSchema(listQuery),
        response: {
          200: jsonSchema(
            z.object({ containers: z.array(containerSummarySchema), next: z.int().nullable() }),
          ),
        },
      },
    },
    (request) => {
      const query = listQuery.parse(request.query);
      const rows = options.containers.list({
        siteId: query.siteId,
        streamId: query.streamId,
        state: query.state,
        beforeRef: query.before,
        limit: query.limit,
      });
      const last = rows.at(-1);
      return {
        containers: rows.map(summary),
        next: rows.length === query.limit && last !== undefined ? last.containerRef : null,
      };
    },
  );
  app.get(
    "/v1/containers/:id",
    {
      schema: {
        summary: "One container: header, CID, state, anchoring transaction",
        tags: ["containers"],
        params: jsonSchema(idParams),
        response: { 200: jsonSchema(containerDetailSchema), 404: problem },
      },
    },
    (request, reply) => {
      const { id } = idParams.parse(request.params);
      const containerId = `0x${BigInt(id).toString(16).padStart(64, "0")}`;
      const record = options.containers.getById(containerId);
      if (record === undefined) {
        return sendProblem(reply, {
          type: "about:blank",
          title: "Not Found",
          status: 404,
          detail: `no container ${containerId}`,
        });
      }
      const batch = record.batchRef === null ? undefined : options.batches.get(record.batchRef);
      return {
        ...summary(record),
        header: containerHeaderJsonSchema.parse(JSON.parse(record.header)),
        headerHash: record.headerHash,
        ipfsPath: `/ipfs/${record.cid}`,
        anchoring: {
          txHash: batch?.minedTxHash ?? batch?.transactions[0]?.txHash ?? null,
          nonce: batch?.nonce ?? null,
          blockNumber: record.confirmedBlock ?? batch?.minedBlockNumber ?? null,
          attempts: record.attempts,
          lastError: record.lastError,
          nextAttemptAtMs: record.nextAttemptAtMs,
        },
      };
    },
  );
}
