import type { Database } from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { type SeriesPoint, ReadingSeriesQueries } from "../../store/readingSeriesQueries.ts";
import { sendProblem } from "../problem.ts";
import { jsonSchema, problemSchema } from "../schemas.ts";

/** Most buckets one response carries: enough for any chart, bounded work per request. */
const MAX_POINTS = 5000;
const DEFAULT_POINTS = 500;

const idParams = (name: string) => z.object({ [name]: z.string().regex(/^0x[0-9a-f]{64}$/u) });
const seriesQuery = z
  .object({
    /** Unix ms, inclusive; default `to` minus one hour. */
    from: z.coerce.number().int().min(0).optional(),
    /** Unix ms, exclusive; default now. */
    to: z.coerce.number().int().min(1).optional(),
    /** Bucket length in ms; default so that the range has about 500 points. */
    resolution: z.coerce.number().int().min(1000).optional(),
  })
  .strict();

const pointSchema = z.object({
  startMs: z.int(),
  energyImportedMilliWattHours: z.string().describe("Decimal integer"),
  energyExportedMilliWattHours: z.string().describe("Decimal integer"),
  averagePowerMilliWatts: z.int().nullable(),
  readingCount: z.int(),
});
const rangeShape = { fromMs: z.int(), toMs: z.int(), resolutionMs: z.int() };
const deviceSeriesSchema = z.object({
  deviceId: z.string(),
  ...rangeShape,
  channels: z.array(z.object({ channel: z.int(), points: z.array(pointSchema) })),
});
const machineSeriesSchema = z.object({
  machineId: z.string(),
  deviceIds: z.array(z.string()),
  ...rangeShape,
  points: z.array(pointSchema),
});

function toJson(point: SeriesPoint): z.infer<typeof pointSchema> {
  return {
    startMs: point.startMs,
    energyImportedMilliWattHours: point.energyImportedMilliWattHours.toString(),
    energyExportedMilliWattHours: point.energyExportedMilliWattHours.toString(),
    averagePowerMilliWatts: point.averagePowerMilliWatts,
    readingCount: point.readingCount,
  };
}

type Range = { fromMs: number; toMs: number; resolutionMs: number } | { error: string };

function resolveRange(query: z.infer<typeof seriesQuery>, nowMs: number): Range {
  const toMs = query.to ?? nowMs;
  const fromMs = query.from ?? toMs - 3_600_000;
  if (toMs <= fromMs) return { error: "`to` must be after `from`" };
  const resolutionMs =
    query.resolution ?? Math.max(1000, Math.ceil((toMs - fromMs) / DEFAULT_POINTS / 1000) * 1000);
  if ((toMs - fromMs) / resolutionMs > MAX_POINTS) {
    return {
      error: `at most ${MAX_POINTS} points: raise resolution to ${Math.ceil((toMs - fromMs) / MAX_POINTS)} ms or more`,
    };
  }
  return { fromMs, toMs, resolutionMs };
}

/**
 * Time series for dashboards, downsampled in the store:
 * `GET /v1/devices/{id}/readings` per channel and `GET /v1/machines/{id}/readings`
 * summed over the machine's devices and channels, each `?from&to&resolution`.
 */
export function readingSeriesRoutes(app: FastifyInstance, options: { db: Database }): void {
  const queries = new ReadingSeriesQueries(options.db);
  const deviceStatement = options.db.prepare(
    "SELECT device_ref AS ref FROM devices WHERE device_id = ?",
  );
  const machineStatement = options.db.prepare(
    "SELECT device_ref AS ref, device_id AS deviceId FROM devices WHERE machine_id = ? ORDER BY device_ref",
  );
  const problem = jsonSchema(problemSchema);
  const badRange = (detail: string) => ({
    type: "about:blank",
    title: "Bad Request",
    status: 400,
    detail,
  });

  const deviceParams = idParams("deviceId");
  app.get(
    "/v1/devices/:deviceId/readings",
    {
      schema: {
        summary: "A device's readings as a downsampled time series, per channel",
        tags: ["readings"],
        params: jsonSchema(deviceParams),
        querystring: jsonSchema(seriesQuery),
        response: { 200: jsonSchema(deviceSeriesSchema), 400: problem, 404: problem },
      },
    },
    (request, reply) => {
      const deviceId = String((request.params as Record<string, unknown>).deviceId);
      const range = resolveRange(seriesQuery.parse(request.query), Date.now());
      if ("error" in range) return sendProblem(reply, badRange(range.error));
      const device = deviceStatement.get(deviceId) as { ref: number } | undefined;
      if (device === undefined) {
        return sendProblem(reply, {
          type: "about:blank",
          title: "Not Found",
          status: 404,
          detail: `no device ${deviceId}`,
        });
      }
      const series = queries.deviceSeries(device.ref, range.fromMs, range.toMs, range.resolutionMs);
      return {
        deviceId,
        ...range,
        channels: [...series].map(([channel, points]) => ({ channel, points: points.map(toJson) })),
      };
    },
  );

  const machineParams = idParams("machineId");
  app.get(
    "/v1/machines/:machineId/readings",
    {
      schema: {
        summary:
          "A machine's readings (all its devices and channels summed) as a downsampled time series",
        tags: ["readings"],
        params: jsonSchema(machineParams),
        querystring: jsonSchema(seriesQuery),
        response: { 200: jsonSchema(machineSeriesSchema), 400: problem, 404: problem },
      },
    },
    (request, reply) => {
      const machineId = String((request.params as Record<string, unknown>).machineId);
      const range = resolveRange(seriesQuery.parse(request.query), Date.now());
      if ("error" in range) return sendProblem(reply, badRange(range.error));
      const devices = machineStatement.all(machineId) as { ref: number; deviceId: string }[];
      if (devices.length === 0) {
        return sendProblem(reply, {
          type: "about:blank",
          title: "Not Found",
          status: 404,
          detail: `no device measures machine ${machineId}`,
        });
      }
      const sums = new Map<number, SeriesPoint>();
      for (const device of devices) {
        for (const points of queries
          .deviceSeries(device.ref, range.fromMs, range.toMs, range.resolutionMs)
          .values()) {
          for (const point of points) {
            const sum = sums.get(point.startMs);
            if (sum === undefined) {
              sums.set(point.startMs, { ...point });
              continue;
            }
            sum.energyImportedMilliWattHours += point.energyImportedMilliWattHours;
            sum.energyExportedMilliWattHours += point.energyExportedMilliWattHours;
            // Channels measure separate circuits: their powers add up.
            sum.averagePowerMilliWatts =
              sum.averagePowerMilliWatts === null && point.averagePowerMilliWatts === null
                ? null
                : (sum.averagePowerMilliWatts ?? 0) + (point.averagePowerMilliWatts ?? 0);
            sum.readingCount += point.readingCount;
          }
        }
      }
      return {
        machineId,
        deviceIds: devices.map((device) => device.deviceId),
        ...range,
        points: [...sums.values()].sort((a, b) => a.startMs - b.startMs).map(toJson),
      };
    },
  );
}
