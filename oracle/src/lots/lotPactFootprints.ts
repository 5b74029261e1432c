import type { Address, Hex, PublicClient } from "viem";
import {
  energyRegistryAbi,
  productLotsAbi,
} from "@energy-intelligence/sdk/contracts/generated/abis";
import { footprintDocumentSchema } from "@energy-intelligence/sdk/footprints/footprintDocumentSchema";
import {
  productFootprintFromLot,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";
import type { StreamConfig } from "../containers/containersConfigSchema.ts";
import type { PactConfig } from "../pact/pactConfigSchema.ts";
import type { PactFootprintsRepository } from "../pact/pactFootprintsRepository.ts";
import { readChainHead } from "../chain/readChainHead.ts";
import type { LotRecord } from "./productLotsRepository.ts";

/** Where the PACT record of a minted lot goes, and how it is built. */
export interface LotPactPublisher {
  footprints: PactFootprintsRepository;
  /** The lot's ProductFootprint, from its footprint document and the chain's LotMinted event. */
  footprintOf(lot: LotRecord, document: Uint8Array): Promise<PactProductFootprint>;
}

export interface CreateLotPactPublisherParameters {
  client: PublicClient;
  chainId: number;
  registry: { address: Address; startBlock: number };
  lots: { address: Address; startBlock: number };
  footprints: PactFootprintsRepository;
  config: PactConfig;
  /** The gateway's URL as buyers reach it (no trailing slash needed). */
  publicUrl: string;
  streams: readonly StreamConfig[];
}

/** `{lotId}` → decimal token id, `{id}` → 64 lowercase hex digits (the ERC-1155 URI form). */
export function lotUrlFromTemplate(template: string, lotId: Hex): string {
  const decimal = BigInt(lotId).toString();
  const hex = BigInt(lotId).toString(16).padStart(64, "0");
  return template.replaceAll("{lotId}", decimal).replaceAll("{id}", hex);
}

/**
 * Builds the PACT ProductFootprints of a gateway's minted lots with the
 * sdk's mapper (docs/standards.md): product name and SKU from the registry's
 * ProductRegistered event, the company from the configuration or the site's
 * registered name, `created` from the LotMinted block's time, and the
 * lot-proof extension pointing at this gateway's schema and the verify URL.
 */
export function createLotPactPublisher(
  parameters: CreateLotPactPublisherParameters,
): LotPactPublisher {
  const { client, config } = parameters;
  const base = (config.publicUrl ?? parameters.publicUrl).replace(/\/+$/u, "");
  const verifyTemplate = config.verifyUrl ?? `${base}/v1/tokens/{id}.json`;
  const products = new Map<string, { name: string; sku: string }>();
  const sites = new Map<string, string>();

  const product = async (siteId: Hex, productId: Hex) => {
    const known = products.get(productId);
    if (known !== undefined) return known;
    const [log] = await client.getContractEvents({
      address: parameters.registry.address,
      abi: energyRegistryAbi,
      eventName: "ProductRegistered",
      args: { siteId, productId },
      fromBlock: BigInt(parameters.registry.startBlock),
      toBlock: await readChainHead(client),
      strict: true,
    });
    if (log === undefined) throw new Error(`product ${productId} is not registered for the site`);
    const found = { name: log.args.name, sku: log.args.sku };
    products.set(productId, found);
    return found;
  };
  const siteName = async (siteId: Hex) => {
    const known = sites.get(siteId);
    if (known !== undefined) return known;
    const [log] = await client.getContractEvents({
      address: parameters.registry.address,
      abi: energyRegistryAbi,
      eventName: "SiteRegistered",
      args: { siteId },
      fromBlock: BigInt(parameters.registry.startBlock),
      toBlock: await readChainHead(client),
      strict: true,
    });
    const name = log?.args.name ?? `Site ${siteId}`;
    sites.set(siteId, name);
    return name;
  };
  const country = (siteId: Hex): string | undefined => {
    if (config.geographyCountry !== undefined) return config.geographyCountry;
    const regions = new Set(
      parameters.streams
        .filter((stream) => stream.siteId.toLowerCase() === siteId.toLowerCase())
        .map((stream) => stream.location.region),
    );
    const [only] = regions;
    return regions.size === 1 && only !== undefined && /^[A-Z]{2}$/u.test(only) ? only : undefined;
  };

  return {
    footprints: parameters.footprints,
    async footprintOf(lot, bytes) {
      const document = footprintDocumentSchema.parse(
        JSON.parse(Buffer.from(bytes).toString("utf8")),
      );
      if (lot.cid === null) throw new Error(`lot ${lot.lotId} has no footprint CID`);
      const [minted] = await client.getContractEvents({
        address: parameters.lots.address,
        abi: productLotsAbi,
        eventName: "LotMinted",
        args: { lotId: BigInt(lot.lotId) },
        // From the deploy block: `mintedBlock` may be a later head when the mint was found on chain.
        fromBlock: BigInt(parameters.lots.startBlock),
        toBlock: await readChainHead(client),
        strict: true,
      });
      if (minted === undefined) throw new Error(`no LotMinted event for lot ${lot.lotId} yet`);
      const block = await client.getBlock({ blockNumber: minted.blockNumber });
      const { name, sku } = await product(lot.siteId, lot.productId);
      const geography = country(lot.siteId);
      return productFootprintFromLot({
        document,
        lot: {
          chainId: parameters.chainId,
          contract: parameters.lots.address,
          lotId: BigInt(lot.lotId),
          cid: lot.cid,
          mintedAtMs: Number(block.timestamp) * 1000,
          txHash: minted.transactionHash,
        },
        company: config.company ?? {
          name: await siteName(lot.siteId),
          ids: [`urn:ei:site:${lot.siteId}`],
        },
        product: { name, description: `${name} (SKU ${sku})` },
        ...(geography === undefined ? {} : { geography: { country: geography } }),
        electricityMethod: config.electricityMethod,
        verifyUrl: lotUrlFromTemplate(verifyTemplate, lot.lotId),
        extensionSchemaUrl: `${base}/pact/extensions/ei-lot-proof/1.0.0/schema.json`,
      });
    },
  };
}
