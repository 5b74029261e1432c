/**
 * The manifest's `features:` list, checked before the embedded host indexes anything. graph-node
 * refuses a name it does not know ("invalid subgraph feature …") and changes its behaviour for the
 * ones it does; the embedded host refuses those it does not implement, so a subgraph that declares
 * `nonFatalErrors` (keep indexing past a handler error, report it in `nonFatalErrors`) is not
 * silently run with fatal errors instead.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

/** graph-node's feature names (its `SubgraphFeature`), each with what the embedded host does. */
const FEATURES: Readonly<Record<string, string | null>> = {
  // null: implemented (both are schema properties graph-node also detects by itself).
  immutableEntities: null,
  bytesAsIds: null,
  nonFatalErrors:
    "the embedded host fails the subgraph at the first handler error and does not record non-fatal errors",
  grafting: "the embedded host does not graft onto another deployment",
  fullTextSearch: "the embedded host does not implement @fulltext queries",
  aggregations: "the embedded host does not implement @aggregation timeseries",
  declaredEthCalls: "the embedded host does not make eth_calls",
  ipfsOnEthereumContracts: "the embedded host does not implement ipfs.cat",
};

export class UnsupportedFeatureError extends Error {
  override name = "UnsupportedFeatureError";
}

const manifestFeaturesSchema = z.object({ features: z.array(z.string()).optional() });

/** Throws UnsupportedFeatureError for a declared feature the embedded host does not implement. */
export function checkManifestFeatures(manifest: unknown, file: string): void {
  const parsed = manifestFeaturesSchema.safeParse(manifest);
  if (!parsed.success)
    throw new UnsupportedFeatureError(`${file}: features must be a list of names`);
  for (const feature of parsed.data.features ?? []) {
    if (!(feature in FEATURES)) {
      throw new UnsupportedFeatureError(`${file}: invalid subgraph feature ${feature}`);
    }
    const missing = FEATURES[feature];
    if (missing !== null && missing !== undefined) {
      throw new UnsupportedFeatureError(
        `${file} declares the feature ${feature}, but ${missing}: remove it from subgraph.yaml ` +
          `and rebuild, or index this subgraph with graph-node`,
      );
    }
  }
}

/** Reads `<buildDir>/subgraph.yaml` and checks its `features:`. */
export async function refuseUnsupportedFeatures(buildDir: string): Promise<void> {
  const file = path.join(buildDir, "subgraph.yaml");
  checkManifestFeatures(parse(await readFile(file, "utf8")), file);
}
