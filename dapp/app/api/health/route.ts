/** Liveness for `ei start` and the browser tests: the server is up (configuration is not checked). */
export function GET(): Response {
  return Response.json({ ok: true });
}
