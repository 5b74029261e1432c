import type { Hex } from "viem";
import {
  buildScenarioContainers,
  SCENARIO_SITE_ID,
} from "../../../test/fixtures/jobs/buildScenarioContainers.ts";
import { loadJobScenario, scenarioId } from "../../../test/fixtures/jobs/loadJobScenario.ts";
import { buildFootprintDocument } from "../footprints/buildFootprintDocument.ts";
import { selectFootprintReadings } from "../footprints/selectFootprintReadings.ts";
import type { FootprintDocument } from "../footprints/footprintDocumentSchema.ts";
import type { ProductFootprintFromLotParameters } from "./productFootprintFromLot.ts";

export const PACT_TEST_PRODUCT: Hex = `0x${"9d".repeat(32)}`;
export const PACT_TEST_CONTRACT: Hex = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** A real `ei-footprint-v1` document of the line-with-overhead job scenario, with its lot id and CID. */
export function buildPactTestLot(): { document: FootprintDocument; lotId: bigint; cid: string } {
  const loaded = loadJobScenario("line-with-overhead");
  const { parameters, scenario } = loaded;
  const anchored = buildScenarioContainers(loaded);
  const selected = selectFootprintReadings({
    containers: anchored,
    channels: [
      ...parameters.machines.flatMap((machine) => machine.channels),
      ...parameters.overheadChannels,
    ],
    scope: parameters.scope,
  });
  const built = buildFootprintDocument({
    siteId: SCENARIO_SITE_ID,
    productId: PACT_TEST_PRODUCT,
    lotJobIds: scenario.lot.map(scenarioId),
    jobs: parameters.jobs.map((job) => ({ ...job, productId: PACT_TEST_PRODUCT })),
    scope: parameters.scope,
    rules: parameters.rules,
    machines: parameters.machines,
    overheadChannels: parameters.overheadChannels,
    ...selected,
  });
  return { document: built.document, lotId: built.lotId, cid: built.cid.toString() };
}

/** Mapper parameters around a document, with the fields a gateway operator configures. */
export function pactTestParameters(
  document: FootprintDocument,
  lotId: bigint,
  cid: string,
): ProductFootprintFromLotParameters {
  return {
    document,
    lot: {
      chainId: 31337,
      contract: PACT_TEST_CONTRACT,
      lotId,
      cid,
      mintedAtMs: Date.UTC(2026, 10, 2, 12),
    },
    company: { name: "Example Works GmbH", ids: ["urn:ei:site:example-works"] },
    product: { name: "Bracket B-12", description: "Steel bracket, laser cut and bent" },
    geography: { country: "DE" },
    verifyUrl: `https://verify.example/lots/${lotId}`,
    extensionSchemaUrl: "https://gateway.example/pact/extensions/ei-lot-proof/1.0.0/schema.json",
  };
}
