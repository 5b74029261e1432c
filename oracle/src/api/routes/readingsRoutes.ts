import type { FastifyInstance } from "fastify";
import type { IngestPipeline } from "../../ingest/ingestPipeline.ts";
import { sendRejection } from "../problem.ts";
import {
  deviceMessageSchema,
  ingestAcceptedSchema,
  jsonSchema,
  problemSchema,
} from "../schemas.ts";

/**
 * POST /v1/readings: one device message per request. The body is taken raw
 * and goes through the same ingest pipeline as MQTT (the schema here documents
 * it; validation, with reason codes, is the pipeline's). 202 only after the
 * readings are committed to disk.
 */
export function readingsRoutes(app: FastifyInstance, options: { pipeline: IngestPipeline }): void {
  const { pipeline } = options;
  app.addContentTypeParser(
    "application/json",
    { parseAs: "buffer", bodyLimit: pipeline.maxMessageBytes },
    (_request, body, done) => {
      done(null, body);
    },
  );
  const problem = jsonSchema(problemSchema);
  app.post(
    "/v1/readings",
    {
      schema: {
        summary: "Submit one signed device message (format ei.device-message.v1)",
        tags: ["ingest"],
        body: jsonSchema(deviceMessageSchema),
        response: {
          202: {
            description: "Stored durably (or already stored: status duplicate)",
            ...jsonSchema(ingestAcceptedSchema),
          },
          400: { description: "Malformed or invalid message", ...problem },
          401: { description: "Missing or bad signature", ...problem },
          403: { description: "Unknown or revoked device", ...problem },
          409: { description: "Replayed sequence or counter going backwards", ...problem },
          413: { description: "Message too large", ...problem },
          422: { description: "Unknown channel or timestamp in the future", ...problem },
          503: {
            description: "Overloaded or shutting down; retry after Retry-After seconds",
            ...problem,
          },
        },
      },
      // The pipeline validates (same checks and reason codes as MQTT); the
      // schema above is for the OpenAPI document only.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const body = request.body;
      const payload = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      const result = await pipeline.ingest(payload, { transport: "http", waitForCapacity: false });
      if (!result.accepted) return sendRejection(reply, result.reason, result.detail);
      return reply.code(202).send({
        status: result.status,
        deviceId: result.deviceId,
        messageId: result.messageId,
        storedReadings: result.storedReadings,
        duplicateReadings: result.duplicateReadings,
      });
    },
  );
}
