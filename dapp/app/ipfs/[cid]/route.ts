import { parseCid } from "@energy-intelligence/sdk/cid/index";
import { readRuntimeConfig } from "../../../src/config/readRuntimeConfig.ts";

/**
 * Same-origin pass-through to the configured IPFS gateway, so the browser can read documents and
 * raw blocks without the gateway sending CORS headers. It adds no trust: the verify page checks
 * every block it gets against its CID.
 */
export async function GET(request: Request, context: { params: Promise<{ cid: string }> }) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return Response.json({ error: "the dapp is not configured" }, { status: 503 });
  const { cid } = await context.params;
  try {
    parseCid(cid);
  } catch {
    return Response.json({ error: `${cid} is not a CID` }, { status: 400 });
  }
  const incoming = new URL(request.url);
  const format = incoming.searchParams.get("format");
  const filename = incoming.searchParams.get("filename");
  const target = `${runtime.config.ipfsGatewayUrl}/ipfs/${cid}${format === null ? "" : `?format=${encodeURIComponent(format)}`}`;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      headers: { accept: request.headers.get("accept") ?? "*/*" },
      signal: AbortSignal.timeout(30_000),
      cache: "no-store",
    });
  } catch (error) {
    return Response.json(
      {
        error: `the IPFS gateway did not answer: ${error instanceof Error ? error.message : String(error)}`,
      },
      { status: 502 },
    );
  }
  const headers = new Headers();
  for (const name of ["content-type", "etag", "cache-control"]) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (filename !== null && /^[\w.-]{1,100}$/u.test(filename)) {
    headers.set("content-disposition", `attachment; filename="${filename}"`);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}
