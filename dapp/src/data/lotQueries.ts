import { z } from "zod";
import { querySubgraph } from "./querySubgraph.ts";

const bigintString = z.string().regex(/^-?[0-9]+$/u);
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/u);

const lotSchema = z.object({
  id: bigintString,
  units: bigintString,
  cid: hex,
  signer: hex,
  footprintHash: hex,
  energyMilliWattHours: bigintString,
  emissionsLocationMilligramsCo2e: bigintString,
  emissionsMarketMilligramsCo2e: bigintString,
  energyPerUnitMilliWattHours: bigintString,
  emissionsLocationPerUnitMilligramsCo2e: bigintString,
  emissionsMarketPerUnitMilligramsCo2e: bigintString,
  mintedAtBlock: bigintString,
  mintedAtTimestamp: bigintString,
  transactionHash: hex,
  site: z.object({ id: z.string(), name: z.string() }),
  product: z.object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    cpcCode: z.string(),
    declaredUnit: z.number(),
  }),
  jobs: z.array(
    z.object({
      id: z.string(),
      startedAt: bigintString.nullable(),
      stoppedAt: bigintString.nullable(),
      units: bigintString.nullable(),
      machines: z.array(z.object({ id: z.string(), name: z.string() })),
      stamps: z.array(
        z.object({ action: z.string(), channel: z.number(), time: bigintString, stampedBy: hex }),
      ),
    }),
  ),
  attestations: z.array(
    z.object({ auditor: hex, verdict: z.number(), blockTimestamp: bigintString }),
  ),
});
export type LotRecord = z.infer<typeof lotSchema>;

export const LOT_QUERY = /* GraphQL */ `
  query Lot($id: ID!) {
    productLot(id: $id) {
      id
      units
      cid
      signer
      footprintHash
      energyMilliWattHours
      emissionsLocationMilligramsCo2e
      emissionsMarketMilligramsCo2e
      energyPerUnitMilliWattHours
      emissionsLocationPerUnitMilligramsCo2e
      emissionsMarketPerUnitMilligramsCo2e
      mintedAtBlock
      mintedAtTimestamp
      transactionHash
      site {
        id
        name
      }
      product {
        id
        sku
        name
        cpcCode
        declaredUnit
      }
      jobs {
        id
        startedAt
        stoppedAt
        units
        machines {
          id
          name
        }
        stamps {
          action
          channel
          time
          stampedBy
        }
      }
      attestations {
        auditor
        verdict
        blockTimestamp
      }
    }
  }
`;

/** A lot as the subgraph indexed it, or undefined when no lot has this id. */
export async function readLot(subgraphUrl: string, id: string): Promise<LotRecord | undefined> {
  const data = await querySubgraph({
    url: subgraphUrl,
    query: LOT_QUERY,
    variables: { id },
    schema: z.object({ productLot: lotSchema.nullable() }),
  });
  return data.productLot ?? undefined;
}

/** Token ids are decimal in the subgraph; accept 0x-hex too (what wallets and explorers show). */
export function normaliseTokenId(raw: string): string | undefined {
  const text = decodeURIComponent(raw).trim();
  if (/^[0-9]{1,78}$/u.test(text)) return BigInt(text).toString();
  if (/^0x[0-9a-fA-F]{1,64}$/u.test(text)) return BigInt(text).toString();
  return undefined;
}
