import { z } from "zod";
import type { ContainerHeader } from "@energy-intelligence/sdk/eip712/index";

const hex = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/u)
  .transform((value) => value as `0x${string}`);
const decimal = z.string().regex(/^(?:0|[1-9][0-9]*)$/u);

/** How a ContainerHeader is stored in SQLite and served by the API: bigints as decimal strings. */
export const containerHeaderJsonSchema = z.strictObject({
  siteId: hex,
  streamId: hex,
  periodStart: decimal,
  periodEnd: decimal,
  merkleRoot: hex,
  cid: hex,
  readingCount: z.int().min(0),
  energyImportedMilliWattHours: decimal,
  energyExportedMilliWattHours: decimal,
  emissionsLocationMilligramsCo2e: decimal,
  emissionsMarketMilligramsCo2e: decimal,
  factorRef: hex,
  revision: z.int().min(0),
  supersedes: decimal,
});
export type ContainerHeaderJson = z.output<typeof containerHeaderJsonSchema>;

export function containerHeaderToJson(header: ContainerHeader): ContainerHeaderJson {
  return {
    siteId: header.siteId,
    streamId: header.streamId,
    periodStart: header.periodStart.toString(),
    periodEnd: header.periodEnd.toString(),
    merkleRoot: header.merkleRoot,
    cid: header.cid,
    readingCount: header.readingCount,
    energyImportedMilliWattHours: header.energyImportedMilliWattHours.toString(),
    energyExportedMilliWattHours: header.energyExportedMilliWattHours.toString(),
    emissionsLocationMilligramsCo2e: header.emissionsLocationMilligramsCo2e.toString(),
    emissionsMarketMilligramsCo2e: header.emissionsMarketMilligramsCo2e.toString(),
    factorRef: header.factorRef,
    revision: header.revision,
    supersedes: header.supersedes.toString(),
  };
}

/** Parses a stored header back; a malformed one is a corrupted store, so it throws. */
export function containerHeaderFromJson(text: string): ContainerHeader {
  const json = containerHeaderJsonSchema.parse(JSON.parse(text));
  return {
    siteId: json.siteId,
    streamId: json.streamId,
    periodStart: BigInt(json.periodStart),
    periodEnd: BigInt(json.periodEnd),
    merkleRoot: json.merkleRoot,
    cid: json.cid,
    readingCount: json.readingCount,
    energyImportedMilliWattHours: BigInt(json.energyImportedMilliWattHours),
    energyExportedMilliWattHours: BigInt(json.energyExportedMilliWattHours),
    emissionsLocationMilligramsCo2e: BigInt(json.emissionsLocationMilligramsCo2e),
    emissionsMarketMilligramsCo2e: BigInt(json.emissionsMarketMilligramsCo2e),
    factorRef: json.factorRef,
    revision: json.revision,
    supersedes: BigInt(json.supersedes),
  };
}
