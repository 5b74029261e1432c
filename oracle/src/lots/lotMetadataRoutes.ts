import type { FastifyInstance } from "fastify";
import type { Hex } from "viem";
import { footprintDocumentSchema } from "@energy-intelligence/sdk/footprints/footprintDocumentSchema";
import { lotMetadata } from "./lotMetadata.ts";
import type { ProductLotsRepository } from "./productLotsRepository.ts";

/**
 * `GET /v1/tokens/{id}.json` for product lots: the ERC-1155 metadata at the
 * ProductLots base URI (`{id}` is the token id as 64 lowercase hex digits, no
 * 0x, per EIP-1155). Answers 404 for ids that are not lots this gateway
 * minted (container tokens are issue 10's). Register it in app.ts with the
 * minter's repository.
 */
export function lotMetadataRoutes(
  app: FastifyInstance,
  options: { lots: ProductLotsRepository },
): void {
  app.get<{ Params: { id: string } }>(
    "/v1/tokens/:id",
    { schema: { tags: ["lots"], summary: "ERC-1155 metadata of a product lot" } },
    async (request, reply) => {
      const match = /^([0-9a-fA-F]{64})\.json$/u.exec(request.params.id);
      if (match === null)
        return reply
          .code(400)
          .send({ title: "Bad Request", status: 400, detail: "expected 64 hex digits then .json" });
      const lotId: Hex = `0x${(match[1] ?? "").toLowerCase()}`;
      const lot = options.lots.get(lotId);
      const bytes = options.lots.document(lotId);
      if (lot?.state !== "minted" || lot.cid === null || bytes === undefined) {
        return reply
          .code(404)
          .send({ title: "Not Found", status: 404, detail: `no minted lot ${lotId}` });
      }
      const document = footprintDocumentSchema.parse(
        JSON.parse(Buffer.from(bytes).toString("utf8")),
      );
      return lotMetadata({ lotId, cid: lot.cid, document });
    },
  );
}
