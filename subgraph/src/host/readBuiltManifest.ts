/**
 * Reads `graph build`'s output manifest (build/subgraph.yaml): per data source, its wasm file, its
 * ABI, and its event handlers with the topic0 each matches. Addresses and start blocks are not taken
 * from it: the host gets them from the deployments file, so one build serves every chain.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { toEventSelector, toEventSignature, type Abi, type AbiEvent, type Hex } from "viem";
import { parse } from "yaml";
import { z } from "zod";

/** build/ of this subgraph (what `npm run build -w subgraph` writes). */
export const DEFAULT_BUILD_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "build",
);

const manifestSchema = z.object({
  dataSources: z.array(
    z.object({
      kind: z.literal("ethereum/contract"),
      name: z.string(),
      source: z.object({ abi: z.string() }),
      mapping: z.object({
        file: z.string(),
        abis: z.array(z.object({ name: z.string(), file: z.string() })),
        eventHandlers: z.array(z.object({ event: z.string(), handler: z.string() })).default([]),
      }),
    }),
  ),
});

export interface EventHandlerSpec {
  topic0: Hex;
  handler: string;
  event: AbiEvent;
}

export interface BuiltDataSource {
  name: string;
  wasmFile: string;
  /** By topic0. */
  handlers: ReadonlyMap<Hex, EventHandlerSpec>;
}

/** The manifest's event signature in the ABI's canonical form (no `indexed`, no spaces). */
function canonical(signature: string): string {
  return signature.replaceAll(/\s+/g, " ").replaceAll("indexed ", "").replaceAll(" ", "");
}

export class ManifestError extends Error {
  override name = "ManifestError";
}

export async function readBuiltManifest(
  buildDir: string = DEFAULT_BUILD_DIR,
): Promise<BuiltDataSource[]> {
  const file = path.join(buildDir, "subgraph.yaml");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ManifestError(`${file} is missing: run \`npm run build -w subgraph\` first`, {
      cause: error,
    });
  }
  const manifest = manifestSchema.parse(parse(text));
  const out: BuiltDataSource[] = [];
  for (const dataSource of manifest.dataSources) {
    const abiEntry = dataSource.mapping.abis.find((a) => a.name === dataSource.source.abi);
    if (abiEntry === undefined)
      throw new ManifestError(`${dataSource.name}: ABI ${dataSource.source.abi} not listed`);
    const abi = JSON.parse(await readFile(path.join(buildDir, abiEntry.file), "utf8")) as Abi;
    const events = abi.filter((item): item is AbiEvent => item.type === "event");
    const handlers = new Map<Hex, EventHandlerSpec>();
    for (const { event: signature, handler } of dataSource.mapping.eventHandlers) {
      const event = events.find((e) => toEventSignature(e) === canonical(signature));
      if (event === undefined) {
        throw new ManifestError(
          `${dataSource.name}: event ${signature} is not in ABI ${abiEntry.name}`,
        );
      }
      handlers.set(toEventSelector(event), { topic0: toEventSelector(event), handler, event });
    }
    out.push({
      name: dataSource.name,
      wasmFile: path.join(buildDir, dataSource.mapping.file),
      handlers,
    });
  }
  return out;
}
