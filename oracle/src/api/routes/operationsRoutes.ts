import type { FastifyInstance } from "fastify";
import type { MetricsRegistry } from "../../metrics/metricsRegistry.ts";
import { healthSchema, jsonSchema, type Ready, readySchema } from "../schemas.ts";

/** /healthz (the process answers), /readyz (store and broker up), /metrics (Prometheus). */
export function operationsRoutes(
  app: FastifyInstance,
  options: { registry: MetricsRegistry; readiness: () => Ready["checks"] },
): void {
  app.get(
    "/healthz",
    {
      schema: {
        summary: "Liveness",
        tags: ["operations"],
        response: { 200: jsonSchema(healthSchema) },
      },
    },
    () => ({ status: "ok" as const }),
  );
  app.get(
    "/readyz",
    {
      schema: {
        summary: "Readiness: the store is open and the MQTT broker is up",
        tags: ["operations"],
        response: { 200: jsonSchema(readySchema), 503: jsonSchema(readySchema) },
      },
    },
    (_request, reply) => {
      const checks = options.readiness();
      const ready = checks.store && checks.mqtt;
      return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
    },
  );
  app.get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics (text exposition format 0.0.4)",
        tags: ["operations"],
        produces: ["text/plain"],
        response: { 200: { type: "string" } },
      },
    },
    (_request, reply) =>
      reply.type("text/plain; version=0.0.4; charset=utf-8").send(options.registry.render()),
  );
}
