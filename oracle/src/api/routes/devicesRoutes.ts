import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { DeviceRecord, DevicesRepository } from "../../store/devicesRepository.ts";
import type { IngestEventsRepository } from "../../store/ingestEventsRepository.ts";
import { sendProblem } from "../problem.ts";
import {
  ingestEventSchema,
  jsonSchema,
  problemSchema,
  publicDeviceSchema,
  type PublicDevice,
} from "../schemas.ts";

/** A device as the API shows it: never the HMAC secret. */
function toPublic(record: DeviceRecord): PublicDevice {
  return {
    deviceId: record.deviceId,
    siteId: record.siteId,
    machineId: record.machineId,
    kind: record.kind,
    authScheme: record.authScheme,
    publicKey: record.publicKey,
    channelCount: record.channelCount,
    status: record.status,
    addedAtMs: record.addedAtMs,
    revokedAtMs: record.revokedAtMs,
  };
}

const deviceParams = z.object({ deviceId: z.string().regex(/^0x[0-9a-f]{64}$/u) });
const eventsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** Read-only device routes: registration is `ei device add` (and, later, on chain). */
export function devicesRoutes(
  app: FastifyInstance,
  options: { devices: DevicesRepository; events: IngestEventsRepository },
): void {
  const problem = jsonSchema(problemSchema);
  app.get(
    "/v1/devices",
    {
      schema: {
        summary: "List registered devices",
        tags: ["devices"],
        response: { 200: jsonSchema(z.object({ devices: z.array(publicDeviceSchema) })) },
      },
    },
    () => ({ devices: options.devices.list().map(toPublic) }),
  );
  app.get(
    "/v1/devices/:deviceId",
    {
      schema: {
        summary: "One registered device",
        tags: ["devices"],
        params: jsonSchema(deviceParams),
        response: { 200: jsonSchema(publicDeviceSchema), 404: problem },
      },
    },
    (request, reply) => {
      const { deviceId } = deviceParams.parse(request.params);
      const record = options.devices.get(deviceId);
      if (record === undefined) {
        return sendProblem(reply, {
          type: "about:blank",
          title: "Not Found",
          status: 404,
          detail: `no device ${deviceId}`,
        });
      }
      return toPublic(record);
    },
  );
  app.get(
    "/v1/devices/:deviceId/events",
    {
      schema: {
        summary:
          "Recent ingest events of a device (gaps, late readings, resets, refused replays), newest first",
        tags: ["devices"],
        params: jsonSchema(deviceParams),
        querystring: jsonSchema(eventsQuery),
        response: {
          200: jsonSchema(z.object({ events: z.array(ingestEventSchema) })),
          404: problem,
        },
      },
    },
    (request, reply) => {
      const { deviceId } = deviceParams.parse(request.params);
      const { limit } = eventsQuery.parse(request.query);
      const record = options.devices.get(deviceId);
      if (record === undefined) {
        return sendProblem(reply, {
          type: "about:blank",
          title: "Not Found",
          status: 404,
          detail: `no device ${deviceId}`,
        });
      }
      return { events: options.events.listForDevice(record.deviceRef, limit) };
    },
  );
}
