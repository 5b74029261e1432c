import type { FastifyInstance, FastifyReply } from "fastify";
import { aas, type AasCore } from "@energy-intelligence/sdk/aas/index";
import type { PactFootprintsRepository } from "../pact/pactFootprintsRepository.ts";
import type { ProductLotsRepository } from "../lots/productLotsRepository.ts";
import { AasCatalogue, type AasCatalogueSources } from "./aasCatalogue.ts";
import { submodelValueOnly } from "./submodelValueOnly.ts";

export interface AasRoutesDependencies {
  lots: ProductLotsRepository;
  footprints: PactFootprintsRepository;
  /** Where the repository API is mounted. Default `/aas`. */
  prefix?: string | undefined;
  /** Largest page; a larger `limit` is served as this many. Default 100. */
  maxPageSize?: number | undefined;
  now?: (() => number) | undefined;
  /** Called for each shell environment built (the catalogue keeps them between requests). */
  onBuild?: AasCatalogueSources["onBuild"];
}

type MessageType = "Error" | "Warning" | "Info";

/**
 * The read side of the AAS Repository and Submodel Repository HTTP APIs
 * (IDTA-01002, AAS Part 2, v3.0): `GET /shells`, `/shells/{aasIdentifier}`,
 * `/shells/{aasIdentifier}/submodel-refs`, `/submodels`,
 * `/submodels/{submodelIdentifier}` and `/submodels/{submodelIdentifier}/$value`,
 * identifiers base64url-encoded, lists paged with `limit` and an opaque
 * `cursor` (`{ paging_metadata: { cursor }, result }`), errors as the spec's
 * `Result` (`{ messages: [{ code, messageType, text, timestamp }] }`). The
 * shells are the gateway's minted lots and the machines their documents
 * metered, each with its IDTA 02023 Carbon Footprint submodel
 * (docs/standards.md). Registered as its own plugin under `prefix`.
 */
export async function registerAasRoutes(
  app: FastifyInstance,
  deps: AasRoutesDependencies,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const maxPage = deps.maxPageSize ?? 100;
  await app.register(
    (scope, _options, done) => {
      const fail = (
        reply: FastifyReply,
        status: number,
        text: string,
        type: MessageType = "Error",
      ) =>
        reply.code(status).send({
          messages: [
            {
              code: String(status),
              messageType: type,
              text,
              timestamp: new Date(now()).toISOString(),
            },
          ],
        });
      scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
        const status = error.statusCode ?? 500;
        if (status >= 500) {
          request.log.error({ err: error }, "aas request failed");
          return fail(reply, 500, "internal error");
        }
        return fail(reply, status, error.message);
      });

      /** Decodes a base64url identifier; undefined when it is not one. */
      const decodeId = (encoded: string): string | undefined => {
        if (!/^[A-Za-z0-9_-]+={0,2}$/u.test(encoded)) return undefined;
        const text = Buffer.from(encoded, "base64url").toString("utf8");
        return text === "" ||
          Buffer.from(text, "utf8").toString("base64url") !== encoded.replace(/=+$/u, "")
          ? undefined
          : text;
      };

      /** One page of `items` by `limit` and `cursor` (the base64url id of the page's first item). */
      const page = <T>(
        reply: FastifyReply,
        query: Record<string, string | undefined>,
        items: readonly T[],
        idOf: (item: T) => string,
        serialize: (item: T) => unknown,
      ) => {
        let size = maxPage;
        if (query.limit !== undefined) {
          if (!/^\d+$/u.test(query.limit) || Number(query.limit) < 1)
            return fail(reply, 400, "limit must be a positive integer");
          size = Math.min(Number(query.limit), maxPage);
        }
        let start = 0;
        if (query.cursor !== undefined) {
          const id = decodeId(query.cursor);
          start = id === undefined ? -1 : items.findIndex((item) => idOf(item) === id);
          if (start < 0) return fail(reply, 400, "cursor is not one this server issued");
        }
        const slice = items.slice(start, start + size);
        const next = items[start + size];
        return reply.send({
          paging_metadata:
            next === undefined
              ? {}
              : { cursor: Buffer.from(idOf(next), "utf8").toString("base64url") },
          result: slice.map(serialize),
        });
      };
      const built = new AasCatalogue({
        footprints: deps.footprints,
        lots: deps.lots,
        onBuild: deps.onBuild,
        onUnreadable: (id, reason) => {
          scope.log.warn({ footprintId: id, reason }, "pact footprint unreadable; no AAS shell");
        },
      });
      const catalogue = () => built.current();
      const jsonOf = (instance: AasCore.types.Class) => aas.jsonization.toJsonable(instance);
      const shellOf = (reply: FastifyReply, encoded: string) => {
        const id = decodeId(encoded);
        if (id === undefined) {
          void fail(reply, 400, "the identifier is not base64url-encoded");
          return undefined;
        }
        const shell = catalogue().shells.find((candidate) => candidate.id === id);
        if (shell === undefined) void fail(reply, 404, `no shell with id ${id}`);
        return shell;
      };
      const submodelOf = (reply: FastifyReply, encoded: string) => {
        const id = decodeId(encoded);
        if (id === undefined) {
          void fail(reply, 400, "the identifier is not base64url-encoded");
          return undefined;
        }
        const submodel = catalogue().submodels.find((candidate) => candidate.id === id);
        if (submodel === undefined) void fail(reply, 404, `no submodel with id ${id}`);
        return submodel;
      };
      interface Query {
        Querystring: Record<string, string | undefined>;
      }
      type Rest = { Params: { "*": string } } & Query;

      scope.get<Query>("/shells", { schema: { hide: true } }, (request, reply) => {
        const { idShort } = request.query;
        const shells = catalogue().shells.filter(
          (shell) => idShort === undefined || shell.idShort === idShort,
        );
        return page(reply, request.query, shells, (shell) => shell.id, jsonOf);
      });
      // Wildcards, not `:id` params: base64url ids are longer than Fastify's 100-character param limit.
      scope.get<Rest>("/shells/*", { schema: { hide: true } }, (request, reply) => {
        const [encoded = "", ...tail] = request.params["*"].split("/");
        const rest = tail.join("/");
        if (rest !== "" && rest !== "submodel-refs") return fail(reply, 404, "no such endpoint");
        const shell = shellOf(reply, encoded);
        if (shell === undefined) return reply;
        if (rest === "") return reply.send(jsonOf(shell));
        const refs = [...shell.overSubmodelsOrEmpty()];
        return page(reply, request.query, refs, (ref) => ref.keys[0]?.value ?? "", jsonOf);
      });
      scope.get<Query>("/submodels", { schema: { hide: true } }, (request, reply) => {
        const { semanticId, idShort } = request.query;
        let wanted: string | undefined;
        if (semanticId !== undefined) {
          wanted = decodeId(semanticId);
          if (wanted === undefined) return fail(reply, 400, "semanticId must be base64url-encoded");
        }
        const submodels = catalogue().submodels.filter(
          (submodel) =>
            (wanted === undefined || submodel.semanticId?.keys[0]?.value === wanted) &&
            (idShort === undefined || submodel.idShort === idShort),
        );
        return page(reply, request.query, submodels, (submodel) => submodel.id, jsonOf);
      });
      scope.get<Rest>("/submodels/*", { schema: { hide: true } }, (request, reply) => {
        const [encoded = "", ...tail] = request.params["*"].split("/");
        const rest = tail.join("/");
        if (rest !== "" && rest !== "$value") return fail(reply, 404, "no such endpoint");
        const submodel = submodelOf(reply, encoded);
        if (submodel === undefined) return reply;
        return reply.send(rest === "" ? jsonOf(submodel) : submodelValueOnly(submodel));
      });
      done();
    },
    { prefix: deps.prefix ?? "/aas" },
  );
}
