import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import {
  chirpstackUplinkEventSchema,
  ttnUplinkWebhookSchema,
} from "@energy-intelligence/sdk/protocols/index";
import type {
  LoraWebhookOutcome,
  LoraWebhookReceiver,
} from "../../adapters/loraWebhookReceiver.ts";
import { sendProblem } from "../problem.ts";
import { jsonSchema, problemSchema } from "../schemas.ts";

const PROBLEM_TYPE_BASE = "https://energy-intelligence.dev/problems/";

/** The answer to a post the gateway processed (stored, or refused for that one device). */
export const loraWebhookResultSchema = z.object({
  status: z.enum(["stored", "duplicate", "ignored", "rejected"]),
  storedReadings: z.int().optional(),
  reason: z.string().optional(),
  detail: z.string().optional(),
});

function answer(reply: FastifyReply, outcome: LoraWebhookOutcome): FastifyReply {
  switch (outcome.status) {
    case "unauthorized":
      return sendProblem(reply, {
        type: `${PROBLEM_TYPE_BASE}webhook-${outcome.reason}`,
        title: "Webhook secret missing or wrong",
        status: 401,
        reason: outcome.reason,
      });
    case "malformed":
      return sendProblem(reply, {
        type: `${PROBLEM_TYPE_BASE}malformed-webhook`,
        title: "Not an uplink of this network server",
        status: 400,
        detail: outcome.detail,
        reason: "malformed-json",
      });
    case "unavailable":
      void reply.header("retry-after", "1");
      return sendProblem(reply, {
        type: `${PROBLEM_TYPE_BASE}${outcome.reason}`,
        title: "Try again later",
        status: 503,
        detail: outcome.detail,
        reason: outcome.reason,
      });
    case "stored":
      return reply.code(200).send({ status: "stored", storedReadings: outcome.storedReadings });
    case "duplicate":
      return reply.code(200).send({ status: "duplicate" });
    case "ignored":
      return reply.code(200).send({ status: "ignored", reason: outcome.reason });
    case "rejected":
      return reply
        .code(200)
        .send({ status: "rejected", reason: outcome.reason, detail: outcome.detail });
  }
}

function schemaOf(body: z.ZodType, summary: string, extra: Record<string, unknown> = {}) {
  const problem = jsonSchema(problemSchema);
  return {
    summary,
    tags: ["lorawan"],
    body: jsonSchema(body),
    ...extra,
    response: {
      200: {
        description:
          "Processed: stored, a duplicate (retried post), ignored (not an uplink, unknown DevEUI) or rejected for this device (wrong fPort or length): answered 200 so the network server keeps the webhook enabled for every other device",
        ...jsonSchema(loraWebhookResultSchema),
      },
      400: { description: "Not a well-formed uplink of this network server", ...problem },
      401: { description: "Webhook secret header missing or wrong", ...problem },
      503: { description: "Overloaded or closing; the network server retries", ...problem },
    },
  };
}

/**
 * LoRaWAN network server webhooks: POST /v1/webhooks/ttn (The Things Stack
 * v3 webhook, "Uplink message" enabled, an additional header carrying the
 * shared secret) and POST /v1/webhooks/chirpstack?event=up (ChirpStack v4
 * HTTP integration, JSON encoding, a configured header). Only the network
 * servers configured as `lora` adapters get a route.
 */
export function loraWebhookRoutes(
  app: FastifyInstance,
  options: { receivers: ReadonlyMap<"ttn" | "chirpstack", LoraWebhookReceiver> },
): void {
  const ttn = options.receivers.get("ttn");
  if (ttn !== undefined) {
    app.post(
      "/v1/webhooks/ttn",
      {
        schema: schemaOf(
          ttnUplinkWebhookSchema,
          `The Things Stack v3 uplink webhook (secret in the ${ttn.authHeader} header)`,
        ),
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const refused = ttn.authorize(request.headers[ttn.authHeader]);
        if (refused !== undefined) return answer(reply, refused);
        return answer(reply, await ttn.receive(request.body, undefined));
      },
    );
  }
  const chirpstack = options.receivers.get("chirpstack");
  if (chirpstack !== undefined) {
    const query = z.object({ event: z.string().optional() });
    app.post(
      "/v1/webhooks/chirpstack",
      {
        schema: schemaOf(
          chirpstackUplinkEventSchema,
          `ChirpStack v4 HTTP integration (event=up; secret in the ${chirpstack.authHeader} header)`,
          { querystring: jsonSchema(query) },
        ),
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const refused = chirpstack.authorize(request.headers[chirpstack.authHeader]);
        if (refused !== undefined) return answer(reply, refused);
        const { event } = query.parse(request.query);
        return answer(reply, await chirpstack.receive(request.body, event));
      },
    );
  }
}
