import { z } from "zod";
import { DEVICE_AUTH_SCHEMES, deviceMessageSchema } from "@energy-intelligence/sdk";
import { REJECTION_REASONS } from "../ingest/rejectionReasons.ts";

/** RFC 9457 problem details, plus our `reason` code. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  reason: z
    .string()
    .optional()
    .describe(`One of: ${Object.keys(REJECTION_REASONS).join(", ")}, or a generic HTTP problem.`),
  instance: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const ingestAcceptedSchema = z.object({
  status: z.enum(["stored", "duplicate"]),
  deviceId: z.string(),
  messageId: z.int().nullable(),
  storedReadings: z.int(),
  duplicateReadings: z.int(),
});
export type IngestAccepted = z.infer<typeof ingestAcceptedSchema>;

export const publicDeviceSchema = z.object({
  deviceId: z.string(),
  siteId: z.string(),
  machineId: z.string(),
  kind: z.string(),
  authScheme: z.enum(DEVICE_AUTH_SCHEMES),
  publicKey: z.string().nullable(),
  channelCount: z.int(),
  status: z.enum(["active", "revoked"]),
  addedAtMs: z.int(),
  revokedAtMs: z.int().nullable(),
});
export type PublicDevice = z.infer<typeof publicDeviceSchema>;

export const ingestEventSchema = z.object({
  eventId: z.int(),
  atMs: z.int(),
  kind: z.string(),
  channel: z.int().nullable(),
  sequence: z.int().nullable(),
  detail: z.string(),
});
export type IngestEvent = z.infer<typeof ingestEventSchema>;

export const healthSchema = z.object({ status: z.literal("ok") });
export const readySchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  checks: z.object({
    store: z.boolean(),
    mqtt: z.boolean(),
    /** Reported, not required: ingest goes on while IPFS or the chain is down, anchoring catches up. */
    ipfs: z.boolean().optional(),
    chain: z.boolean().optional(),
  }),
});
export type Ready = z.infer<typeof readySchema>;

export { deviceMessageSchema };

/** A JSON Schema (draft-07, which Fastify's validator and serializer speak) for a route schema. */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: "draft-7",
    io: "output",
    unrepresentable: "any",
  });
  return rest;
}
