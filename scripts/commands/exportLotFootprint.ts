import { readFile } from "node:fs/promises";
import type { Hex } from "viem";
import type { PactProductFootprint } from "@energy-intelligence/sdk/pact/index";
import type { MaterialsFootprint } from "@energy-intelligence/sdk/bom/index";
import { InvalidInputError } from "@energy-intelligence/sdk/errors/index";
import { CliUsageError } from "../cli/errors.ts";
import { openGatewayStore } from "../cli/openGatewayStore.ts";
import { readJsonFile } from "../cli/readJsonFile.ts";

/** Options every `ei export` command shares: where the lot's footprint comes from. */
export interface LotSourceOptions {
  rpc?: string | undefined;
  ipfs?: string | undefined;
  deployments?: string | undefined;
  publicUrl?: string | undefined;
  dataDir?: string | undefined;
  bom?: string | undefined;
  /** `pcf.geographyCountry` of a footprint rebuilt from chain (the gateway's comes from its config). */
  geographyCountry?: string | undefined;
}

const hex64 = (lotId: bigint): Hex => `0x${lotId.toString(16).padStart(64, "0")}`;

/** The footprint the gateway published for the lot, from its store (`pact_footprints`). */
async function fromGatewayStore(lotId: bigint, dataDir: string): Promise<PactProductFootprint> {
  const { productFootprintSchema } = await import("@energy-intelligence/sdk/pact/index");
  const db = await openGatewayStore(dataDir, { readonly: true });
  try {
    const row = db
      .prepare("SELECT json FROM pact_footprints WHERE lot_id = ?")
      .get(lotId.toString()) as { json: string } | undefined;
    if (row === undefined)
      throw new CliUsageError(
        `lot ${lotId} has no published footprint in the gateway store ${dataDir}`,
        "Check the lot id (ei verify lot shows it); a lot is published once minted.",
      );
    return productFootprintSchema.parse(JSON.parse(row.json));
  } finally {
    db.close();
  }
}

/** The footprint rebuilt from public data: the LotMinted event, the registry and the document on IPFS. */
async function fromChain(lotId: bigint, options: LotSourceOptions): Promise<PactProductFootprint> {
  const [{ createChainReader }, { fetchIpfsFile }, { cidFromBytes }, { productLotsAbi }] =
    await Promise.all([
      import("../verify/createChainReader.ts"),
      import("../verify/fetchIpfsFile.ts"),
      import("@energy-intelligence/sdk/cid/index"),
      import("@energy-intelligence/sdk/contracts/generated/abis"),
    ]);
  const { parseDeployments } = await import("@energy-intelligence/sdk/contracts/parseDeployments");
  const { createLotPactPublisher } =
    await import("@energy-intelligence/oracle/lots/lotPactFootprints");
  const { pactConfigSchema } = await import("@energy-intelligence/oracle/pact/pactConfigSchema");
  const { PactFootprintsRepository } =
    await import("@energy-intelligence/oracle/pact/pactFootprintsRepository");
  const { default: BetterSqlite3 } = await import("better-sqlite3");
  const { client, chainId } = await createChainReader(options.rpc ?? "");
  const file = options.deployments ?? `deployments/${chainId}.json`;
  let deployments;
  try {
    deployments = parseDeployments(JSON.parse(await readFile(file, "utf8")), {
      require: ["EnergyRegistry", "ProductLots"] as const,
    });
  } catch (cause) {
    throw new CliUsageError(
      `${file}: not a deployments file with EnergyRegistry and ProductLots`,
      "Pass --deployments <file> (deployments/<chainId>.json).",
      { cause },
    );
  }
  const [minted] = await client.getContractEvents({
    address: deployments.ProductLots.address,
    abi: productLotsAbi,
    eventName: "LotMinted",
    args: { lotId },
    fromBlock: BigInt(deployments.ProductLots.startBlock),
    strict: true,
  });
  if (minted === undefined)
    throw new CliUsageError(
      `lot ${lotId} was not minted on ProductLots ${deployments.ProductLots.address} (chain ${chainId})`,
      "Check the lot id and --rpc; `ei verify lot <id>` shows what the chain holds.",
    );
  const cid = cidFromBytes(minted.args.footprint.cid).toString();
  const bytes = await fetchIpfsFile(cidFromBytes(minted.args.footprint.cid), options.ipfs ?? "");
  // The gateway's own mapper, so an export equals what the gateway publishes (its store is not needed).
  const publisher = createLotPactPublisher({
    client,
    chainId,
    registry: deployments.EnergyRegistry,
    lots: deployments.ProductLots,
    footprints: new PactFootprintsRepository(new BetterSqlite3(":memory:")),
    config: pactConfigSchema.parse({
      publicUrl: options.publicUrl,
      geographyCountry: options.geographyCountry,
    }),
    publicUrl: options.publicUrl ?? "http://127.0.0.1:8080",
    streams: [],
  });
  return publisher.footprintOf(
    {
      lotId: hex64(lotId),
      siteId: minted.args.footprint.siteId,
      productId: minted.args.footprint.productId,
      jobIds: [...minted.args.footprint.jobIds],
      state: "minted",
      createdAtMs: 0,
      cid,
      footprint: null,
      signature: null,
      txHash: minted.transactionHash,
      mintedBlock: Number(minted.blockNumber),
      attempts: 0,
      nextAttemptAtMs: 0,
      lastError: null,
    },
    bytes,
  );
}

/**
 * The lot's PACT footprint (production step), from chain + IPFS (`--rpc`
 * and `--ipfs`) or from a gateway store (`--data-dir`); with `--bom`, also
 * the purchased materials per piece from the kept supplier footprints.
 */
export async function loadLotFootprint(
  lotId: bigint,
  options: LotSourceOptions,
): Promise<{
  footprint: PactProductFootprint;
  materials?: MaterialsFootprint;
  bomSuppliers?: Map<string, PactProductFootprint>;
}> {
  let footprint: PactProductFootprint;
  if (options.rpc !== undefined || options.ipfs !== undefined) {
    if (options.rpc === undefined || options.ipfs === undefined)
      throw new CliUsageError("--rpc and --ipfs go together", "Pass both, or --data-dir instead.");
    footprint = await fromChain(lotId, options);
  } else {
    // The published footprint already carries the gateway's country; it is not rewritten.
    if (options.geographyCountry !== undefined)
      throw new CliUsageError(
        "--geography-country applies to a footprint rebuilt from chain (--rpc and --ipfs)",
        "Leave it out with --data-dir: the gateway's published footprint has its configured country.",
      );
    footprint = await fromGatewayStore(lotId, options.dataDir ?? "data/gateway");
  }
  if (options.bom === undefined) return { footprint };

  const { billOfMaterialsSchema, materialsFootprintOf } =
    await import("@energy-intelligence/sdk/bom/index");
  const parsed = billOfMaterialsSchema.safeParse(await readJsonFile(options.bom));
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new InvalidInputError(
      `${options.bom}: ${issue?.path.join(".") ?? ""}`,
      issue?.message ?? "not an ei-bom-v1 bill of materials",
      { hints: ['See docs/standards.md, "Bill of materials", for the format.'] },
    );
  }
  const bom = parsed.data;
  const productUrn = footprint.productIds.find((id) => id.startsWith("urn:ei:product:"));
  const productId = productUrn?.split(":").at(-1)?.toLowerCase();
  const entry = bom.products.find((product) => product.productId.toLowerCase() === productId);
  if (entry === undefined)
    throw new CliUsageError(
      `${options.bom}: no bill of materials for product ${productId ?? "(unknown)"}`,
      "Add the product to the file's products, or leave out --bom.",
    );
  const { SupplierFootprintsRepository } =
    await import("@energy-intelligence/oracle/pact/supplierFootprintsRepository");
  const db = await openGatewayStore(options.dataDir ?? "data/gateway", { readonly: true });
  try {
    const suppliers = new SupplierFootprintsRepository(db).byId();
    return {
      footprint,
      materials: materialsFootprintOf({
        components: entry.components,
        supplierFootprints: suppliers,
      }),
      bomSuppliers: suppliers,
    };
  } finally {
    db.close();
  }
}
