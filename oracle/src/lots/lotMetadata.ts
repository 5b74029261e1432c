import type { Hex } from "viem";
import type { FootprintDocument } from "@energy-intelligence/sdk/footprints/footprintDocumentSchema";

/** ERC-1155 metadata JSON of a lot (EIP-1155 "ERC-1155 Metadata URI JSON Schema"). */
export interface LotMetadata {
  name: string;
  description: string;
  /** A data: URI of an SVG label with the lot's CID, until issue 10 adds product images and QR codes. */
  image: string;
  external_url?: string;
  properties: {
    lotId: Hex;
    siteId: Hex;
    productId: Hex;
    sku: string | null;
    jobIds: Hex[];
    units: string;
    footprintCid: string;
    energyMilliWattHours: string;
    emissionsLocationMilligramsCo2e: string;
    emissionsMarketMilligramsCo2e: string;
    perUnit: FootprintDocument["lot"]["perUnit"];
    rules: FootprintDocument["rules"];
    scope: FootprintDocument["scope"];
  };
}

const escapeXml = (text: string) => text.replace(/[<>&"']/gu, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The metadata document a wallet or marketplace fetches at the ProductLots
 * base URI for a lot: its name, a label image and the footprint's figures as
 * properties, all taken from the footprint document the lot's CID names.
 *
 * @example
 * ```ts
 * reply.send(lotMetadata({ lotId, cid, document, sku: "BR-A", name: "Bracket A" }));
 * ```
 */
export function lotMetadata(parameters: {
  lotId: Hex;
  cid: string;
  document: FootprintDocument;
  sku?: string | undefined;
  name?: string | undefined;
}): LotMetadata {
  const { document, cid } = parameters;
  const title = `${parameters.name ?? "Product"} lot of ${document.lot.units}`;
  const perUnitGrams = (
    Number(document.lot.perUnit.emissionsLocationMilligramsCo2e) / 1000
  ).toFixed(3);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120"><rect width="400" height="120" fill="#fff"/>` +
    `<text x="10" y="30" font-family="monospace" font-size="16">${escapeXml(title)}</text>` +
    `<text x="10" y="60" font-family="monospace" font-size="12">${perUnitGrams} g CO2e/unit (location)</text>` +
    `<text x="10" y="90" font-family="monospace" font-size="9">${escapeXml(cid)}</text></svg>`;
  return {
    name: title,
    description: `Product lot with a recomputable footprint (ei-footprint-v1 ${cid}); check it with \`ei verify lot ${BigInt(parameters.lotId).toString()}\`.`,
    image: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
    properties: {
      lotId: parameters.lotId,
      siteId: document.siteId,
      productId: document.productId,
      sku: parameters.sku ?? null,
      jobIds: document.lot.jobIds,
      units: document.lot.units,
      footprintCid: cid,
      energyMilliWattHours: document.lot.total.energyMilliWattHours,
      emissionsLocationMilligramsCo2e: document.lot.total.emissionsLocationMilligramsCo2e,
      emissionsMarketMilligramsCo2e: document.lot.total.emissionsMarketMilligramsCo2e,
      perUnit: document.lot.perUnit,
      rules: document.rules,
      scope: document.scope,
    },
  };
}
