import assert from "node:assert/strict";
import { it } from "node:test";
import { footprintDocumentSchema } from "@energy-intelligence/sdk/footprints/footprintDocumentSchema";
import { lotMetadata } from "./lotMetadata.ts";

it("lot metadata carries the footprint's figures and an escaped SVG label", () => {
  const document = footprintDocumentSchema.shape.lot.parse({
    jobIds: [`0x${"1".repeat(64)}`],
    units: "40",
    total: {
      energyMilliWattHours: "1400000",
      emissionsLocationMilligramsCo2e: "247800",
      emissionsMarketMilligramsCo2e: "247800",
    },
    perUnit: {
      energyMilliWattHours: "35000",
      emissionsLocationMilligramsCo2e: "6195",
      emissionsMarketMilligramsCo2e: "6195",
    },
  });
  const metadata = lotMetadata({
    lotId: `0x${"a".repeat(64)}`,
    cid: "bafkreitest",
    name: "Bracket <A>",
    document: {
      lot: document,
      siteId: `0x${"5".repeat(64)}`,
      productId: `0x${"9".repeat(64)}`,
      rules: { overlap: "equal", idle: "none", overhead: "none" },
      scope: { startMs: 0, endMs: 1000 },
    } as Parameters<typeof lotMetadata>[0]["document"],
  });
  assert.equal(metadata.name, "Bracket <A> lot of 40");
  assert.equal(metadata.properties.emissionsLocationMilligramsCo2e, "247800");
  const svg = Buffer.from(metadata.image.split(",")[1] ?? "", "base64").toString("utf8");
  assert.match(svg, /6\.195 g CO2e\/unit/u);
  assert.doesNotMatch(svg, /<A>/u);
});
