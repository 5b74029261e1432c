import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { importBytes } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";
import { base58btc } from "multiformats/bases/base58";
import { sha256 } from "multiformats/hashes/sha2";

/** Kubo's multicodec names for the two codecs UnixFS uses. */
const CODECS: Record<string, number> = { raw: 0x55, "dag-pb": 0x70 };
/** Kubo's UnixFS defaults (`ipfs add`): 174 links per node, balanced layout. */
const KUBO_MAX_LINKS = 174;

export interface KuboRpcStub {
  url: string;
  /** Blocks by CID string, as a Kubo repo would hold them. */
  blocks: Map<string, Uint8Array>;
  /** Every RPC call: method path and query, in order. */
  calls: { path: string; query: URLSearchParams }[];
  /** While true every call fails as an unreachable daemon would (connection reset). */
  down: boolean;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      resolve(Buffer.concat(chunks));
    });
    request.on("error", reject);
  });
}

/** The file parts of a multipart/form-data body (Kubo reads `file` parts; names are ignored here). */
function multipartFiles(body: Buffer, contentType: string | undefined): Buffer[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/u.exec(contentType ?? "");
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) throw new Error("expected multipart/form-data with a boundary");
  const delimiter = Buffer.from(`--${marker}`);
  const files: Buffer[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // CRLF after the delimiter, before the next
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) files.push(part.subarray(headerEnd + 4));
    start = next;
  }
  return files;
}

function error(response: ServerResponse, status: number, message: string): void {
  // Kubo's error body for a failed command.
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ Message: message, Code: 0, Type: "error" }));
}

function json(response: ServerResponse, value: unknown): void {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(`${JSON.stringify(value)}\n`);
}

/**
 * A stand-in for a Kubo daemon's RPC API (`/api/v0/…`, POST only, as Kubo
 * requires) for the calls the gateway's Kubo content store makes — `block/put`,
 * `block/stat`, `block/get`, `add`, `id` — speaking Kubo's wire format: query
 * options, multipart bodies, JSON and ndjson answers, error objects with
 * HTTP 500. No Kubo binary installs offline; this lets the real
 * kubo-rpc-client run against something.
 *
 * `add` builds the DAG with ipfs-unixfs-importer from the request's own
 * options (chunker, raw leaves, CID version) and Kubo's defaults (balanced,
 * 174 links), not from the sdk, so a test can check the sdk's CID against it.
 */
export async function startKuboRpcStub(): Promise<KuboRpcStub> {
  const blocks = new Map<string, Uint8Array>();
  const calls: { path: string; query: URLSearchParams }[] = [];
  const blockstore = {
    put(cid: CID, bytes: Uint8Array) {
      blocks.set(cid.toString(), bytes);
      return cid;
    },
  };
  const stub: KuboRpcStub = {
    url: "",
    blocks,
    calls,
    down: false,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://kubo");
    const path = url.pathname.replace(/^\/api\/v0\//u, "");
    calls.push({ path, query: url.searchParams });
    if (stub.down) {
      request.socket.destroy();
      return;
    }
    if (request.method !== "POST") {
      response.writeHead(405, { allow: "POST" });
      response.end("405 - Method Not Allowed\n");
      return;
    }
    const query = url.searchParams;
    switch (path) {
      case "block/put": {
        const [bytes] = multipartFiles(await readBody(request), request.headers["content-type"]);
        if (bytes === undefined) {
          error(response, 400, "file argument 'data' is required");
          return;
        }
        if (query.has("format") && (query.get("cid-codec") ?? "raw") !== "raw") {
          error(
            response,
            500,
            'unable to use "format" (deprecated) and a custom "cid-codec" at the same time',
          );
          return;
        }
        const legacyV0 = query.get("format") === "v0";
        const codecName = legacyV0 ? "dag-pb" : (query.get("cid-codec") ?? "raw");
        const codec = CODECS[codecName];
        if (codec === undefined) {
          error(response, 500, `unknown multicodec "${codecName}"`);
          return;
        }
        if ((query.get("mhtype") ?? "sha2-256") !== "sha2-256") {
          error(response, 500, "this stub hashes with sha2-256 only");
          return;
        }
        const digest = await sha256.digest(bytes);
        const cid = legacyV0 ? CID.createV0(digest) : CID.createV1(codec, digest);
        blocks.set(cid.toString(), new Uint8Array(bytes));
        json(response, { Key: cid.toString(), Size: bytes.length });
        return;
      }
      case "block/stat":
      case "block/get": {
        const arg = query.get("arg");
        if (arg === null) {
          error(response, 400, 'argument "cid" is required');
          return;
        }
        let cid: CID;
        try {
          cid = CID.parse(arg);
        } catch {
          error(response, 500, `invalid path "${arg}"`);
          return;
        }
        const bytes = blocks.get(cid.toString()) ?? blocks.get(cid.toV1().toString());
        if (bytes === undefined) {
          error(
            response,
            500,
            `block was not found locally (offline): ipld: could not find ${arg}`,
          );
          return;
        }
        if (path === "block/stat") {
          json(response, { Key: arg, Size: bytes.length });
          return;
        }
        response.writeHead(200, { "content-type": "text/plain" });
        response.end(bytes);
        return;
      }
      case "add": {
        const [bytes] = multipartFiles(await readBody(request), request.headers["content-type"]);
        if (bytes === undefined) {
          error(response, 400, "file argument 'path' is required");
          return;
        }
        const chunker = /^size-([0-9]+)$/u.exec(query.get("chunker") ?? "size-262144");
        if (chunker?.[1] === undefined) {
          error(response, 500, "this stub supports size-N chunkers only");
          return;
        }
        const cidVersion = query.get("cid-version") === "1" ? 1 : 0;
        const entry = await importBytes(bytes, blockstore, {
          cidVersion,
          // Kubo: raw leaves default on with CIDv1.
          rawLeaves: query.has("raw-leaves")
            ? query.get("raw-leaves") === "true"
            : cidVersion === 1,
          reduceSingleLeafToSelf: true,
          chunker: fixedSize({ chunkSize: Number(chunker[1]) }),
          layout: balanced({ maxChildrenPerNode: KUBO_MAX_LINKS }),
        });
        response.writeHead(200, { "content-type": "application/json", "x-chunked-output": "1" });
        response.end(
          `${JSON.stringify({ Name: entry.cid.toString(), Hash: entry.cid.toString(), Size: String(entry.size) })}\n`,
        );
        return;
      }
      case "id": {
        // An Ed25519 peer id: the identity multihash of the protobuf-wrapped public key.
        const publicKey = new Uint8Array(32).fill(7);
        const peerId = base58btc.baseEncode(
          Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...publicKey]),
        );
        json(response, {
          ID: peerId,
          PublicKey: Buffer.from([0x08, 0x01, 0x12, 0x20, ...publicKey]).toString("base64"),
          Addresses: ["/ip4/127.0.0.1/tcp/4001"],
          AgentVersion: "kubo/0.32.1/stub",
          Protocols: [],
        });
        return;
      }
      default:
        response.writeHead(404, { "content-type": "text/plain" });
        response.end("404 page not found\n");
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((cause: unknown) => {
      error(response, 500, cause instanceof Error ? cause.message : String(cause));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
