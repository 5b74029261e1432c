import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { CID } from "multiformats/cid";
import { parseCid } from "@energy-intelligence/sdk";
import type { ContentStore } from "../../ipfs/contentStore.ts";
import { readUnixfsFile } from "../../ipfs/readUnixfsFile.ts";
import { writeCar } from "../../ipfs/writeCar.ts";
import { sendProblem } from "../problem.ts";

const RAW = "application/vnd.ipld.raw";
const CAR = "application/vnd.ipld.car";
/** A CID names its bytes forever: a year, the longest max-age caches honour, and `immutable`. */
const IMMUTABLE = "public, max-age=29030400, immutable";

type Format = "raw" | "car" | "file";

/** `?format=` wins over `Accept`, as in the trustless gateway spec; undefined for an unsupported format. */
function pickFormat(
  request: FastifyRequest<{ Querystring: { format?: string } }>,
): Format | undefined {
  const format = request.query.format;
  if (format !== undefined) return format === "raw" ? "raw" : format === "car" ? "car" : undefined;
  const accept = request.headers.accept ?? "";
  if (accept.includes(RAW)) return "raw";
  if (accept.includes(CAR)) return "car";
  return "file";
}

/** JSON documents are served as JSON; anything else (an encrypted document) as bytes. */
function sniffContentType(bytes: Uint8Array): string {
  const first = bytes.find(
    (byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09,
  );
  if (first === 0x7b || first === 0x5b) {
    try {
      JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
      return "application/json; charset=utf-8";
    } catch {
      // Not JSON after all.
    }
  }
  return "application/octet-stream";
}

function notFound(reply: FastifyReply, cid: CID): FastifyReply {
  return sendProblem(reply, {
    type: "about:blank",
    title: "Not Found",
    status: 404,
    detail: `${cid.toString()} is not held by this gateway`,
  });
}

/**
 * A read-only IPFS HTTP gateway over the gateway's content store:
 * `GET /ipfs/<cid>` returns the file bytes of a UnixFS file;
 * `?format=raw` or `Accept: application/vnd.ipld.raw` the block itself and
 * `?format=car` or `Accept: application/vnd.ipld.car` a CARv1 of the DAG
 * (the trustless responses a client verifies by hashing). Responses are
 * immutable and carry an ETag; unknown CIDs are 404, malformed ones 400. It
 * never fetches from the network: only what this site stored is served.
 */
export function ipfsRoutes(app: FastifyInstance, options: { store: ContentStore }): void {
  const { store } = options;
  app.get<{ Params: { cid: string }; Querystring: { format?: string } }>(
    "/ipfs/:cid",
    {
      schema: {
        summary: "Read-only IPFS gateway (file bytes, or trustless raw block / CAR)",
        tags: ["ipfs"],
        params: { type: "object", properties: { cid: { type: "string" } }, required: ["cid"] },
        querystring: {
          type: "object",
          properties: { format: { type: "string", description: "raw or car" } },
        },
      },
    },
    async (request, reply) => {
      let cid: CID;
      try {
        cid = parseCid(request.params.cid, "cid");
      } catch (error) {
        return sendProblem(reply, {
          type: "about:blank",
          title: "Bad Request",
          status: 400,
          detail: error instanceof Error ? error.message.split("\n")[0] : "not a CID",
        });
      }
      const format = pickFormat(request);
      if (format === undefined) {
        return sendProblem(reply, {
          type: "about:blank",
          title: "Bad Request",
          status: 400,
          detail: `unsupported format ${JSON.stringify(request.query.format)}: use raw or car`,
        });
      }
      const text = cid.toString();
      const etag = format === "file" ? `"${text}"` : `"${text}.${format}"`;
      void reply
        .header("etag", etag)
        .header("cache-control", IMMUTABLE)
        .header("x-ipfs-path", `/ipfs/${text}`)
        .header("x-content-type-options", "nosniff")
        .header("vary", "Accept");
      if (!(await store.hasBlock(cid))) return notFound(reply, cid);
      if (request.headers["if-none-match"] === etag) return reply.code(304).send();

      if (format === "raw") {
        const bytes = await store.getBlock(cid);
        if (bytes === undefined) return notFound(reply, cid);
        return reply
          .type(RAW)
          .header("content-disposition", `attachment; filename="${text}.bin"`)
          .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
      if (format === "car") {
        const car = await writeCar(store, cid);
        if (car === undefined) return notFound(reply, cid);
        return reply
          .type(`${CAR}; version=1`)
          .header("content-disposition", `attachment; filename="${text}.car"`)
          .send(Buffer.from(car.buffer, car.byteOffset, car.byteLength));
      }
      const bytes = await readUnixfsFile(store, cid);
      if (bytes === undefined) {
        return sendProblem(reply, {
          type: "about:blank",
          title: "Not Acceptable",
          status: 406,
          detail: `${text} is not a complete UnixFS file here; ask for ?format=raw or ?format=car`,
        });
      }
      return reply
        .type(sniffContentType(bytes))
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
}
