import type { FastifyInstance } from "fastify";

type Corrupt = (footprint: Record<string, unknown>) => Record<string, unknown>;

/**
 * Makes a PACT host built from our own routes answer like a supplier whose implementation does
 * not conform: the footprints with the given ids leave with `corrupt` applied, in listings and
 * single reads. Our routes refuse to serve a stored footprint that fails the schema, so a client
 * test can meet a bad one only on the wire. Add it to the routes' scope before the routes.
 */
export function corruptFootprintsInTransit(
  scope: FastifyInstance,
  corruptions: ReadonlyMap<string, Corrupt>,
): void {
  const change = (footprint: unknown): unknown => {
    if (typeof footprint !== "object" || footprint === null) return footprint;
    const record = footprint as Record<string, unknown>;
    const corrupt = typeof record.id === "string" ? corruptions.get(record.id) : undefined;
    return corrupt === undefined ? footprint : corrupt(record);
  };
  scope.addHook("preSerialization", async (request, _reply, payload: unknown) => {
    if (!request.url.startsWith("/3/footprints")) return payload;
    if (typeof payload !== "object" || payload === null || !("data" in payload)) return payload;
    const { data } = payload;
    return { ...payload, data: Array.isArray(data) ? data.map(change) : change(data) };
  });
}
