import { portalRuntime } from "../../../../src/portal/portalRuntime.ts";

// Sessions, SQLite and the relay key live on the server: never prerendered, never cached, Node runtime.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  const portal = await portalRuntime(new URL(request.url).origin);
  if (!portal.ok)
    return Response.json(
      {
        type: "https://energy-intelligence.dev/problems/portal/portal_not_configured",
        title: "Service unavailable",
        status: 503,
        detail: `the portal is not configured: ${portal.problems.join("; ")}`,
        reason: "portal_not_configured",
      },
      {
        status: 503,
        headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
      },
    );
  return portal.server.handle(request);
}

export const GET = handle;
export const POST = handle;
