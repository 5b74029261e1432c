import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { computeCid } from "../cid/computeCid.ts";
import { cidToHex } from "../cid/cidToHex.ts";
import { InvalidInputError } from "../errors/index.ts";
import { periodCounterEnergy } from "../accounting/periodCounterEnergy.ts";
import { canonicalizeJson } from "../json/index.ts";
import { READING_LEAF_TYPES } from "../readings/readingLeaf.ts";
import { readingLeafToValues } from "../readings/readingLeafToValues.ts";
import { buildContainer } from "./buildContainer.ts";
import { containerDocumentSchema } from "./containerDocumentSchema.ts";
import {
  DEVICE_A,
  PERIOD_END_MS,
  PERIOD_START_MS,
  containerParameters,
  makeReadings,
} from "./containerFixture.testHelper.ts";

describe("buildContainer", () => {
  it("is deterministic: same inputs, in any order, give byte-identical documents", () => {
    const first = buildContainer(containerParameters());
    const parameters = containerParameters();
    const shuffled = buildContainer({
      ...parameters,
      channels: [...parameters.channels].reverse(),
      readings: [...parameters.readings].reverse(),
    });
    assert.deepEqual(shuffled.documentBytes, first.documentBytes);
    assert.equal(shuffled.cid.toString(), first.cid.toString());
    assert.deepEqual(shuffled.header, first.header);
  });

  it("writes the JCS bytes of a schema-valid document, named by the header's CID", () => {
    const container = buildContainer(containerParameters());
    const text = new TextDecoder().decode(container.documentBytes);
    assert.equal(canonicalizeJson(JSON.parse(text)), text);
    assert.ok(containerDocumentSchema.safeParse(JSON.parse(text)).success);
    assert.equal(container.header.cid, cidToHex(computeCid(container.documentBytes)));
    assert.equal(container.blocks.at(-1)?.cid.toString(), container.cid.toString());
  });

  it("keeps the readings inside the period and the boundary readings around it", () => {
    const { document } = buildContainer(containerParameters());
    for (const channel of document.channels) {
      const times = document.readings
        .filter((reading) => reading.deviceId === channel.deviceId)
        .map((reading) => reading.timestampMs);
      assert.equal(times.length, channel.readingCount);
      assert.equal(times.filter((t) => t < PERIOD_START_MS).length, 1);
      assert.equal(times.filter((t) => t >= PERIOD_END_MS).length, 1);
    }
    assert.equal(document.readingCount, 28);
  });

  it("gives the period energy of the accounting module and splits it into clock hours", () => {
    const { document, header } = buildContainer(containerParameters());
    const [channelA] = document.channels;
    const expected = periodCounterEnergy({
      readings: makeReadings(DEVICE_A, 12_000).map((reading) => ({
        sequence: reading.sequence,
        timestampMs: reading.timestampMs,
        energyImportedMilliWattHours: reading.energyImportedMilliWattHours,
        energyExportedMilliWattHours: reading.energyExportedMilliWattHours,
        quality: reading.quality,
      })),
      config: { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 },
      startMs: PERIOD_START_MS,
      endMs: PERIOD_END_MS,
      nowMs: Number.MAX_SAFE_INTEGER,
      graceMs: 0,
    });
    assert.equal(expected.status, "complete");
    assert.equal(
      channelA?.energyImportedMilliWattHours,
      expected.energy.energyImportedMilliWattHours.toString(),
    );
    assert.equal(document.hours.length, 2);
    const hourSum = document.hours.reduce(
      (sum, hour) => sum + BigInt(hour.energyImportedMilliWattHours),
      0n,
    );
    assert.equal(hourSum, header.energyImportedMilliWattHours);
    // 1.2 kW + 0.7 kW for one hour ≈ 1.9 kWh.
    assert.ok(
      header.energyImportedMilliWattHours > 1_890_000_000n &&
        header.energyImportedMilliWattHours < 1_910_000_000n,
    );
  });

  it("computes location (DESNZ 177 g/kWh) and market (residual 301.25 g/kWh) emissions, rounded once", () => {
    const { header, document } = buildContainer(containerParameters());
    const imported = header.energyImportedMilliWattHours;
    // mg = mWh × g/kWh / 1000, half to even; both factors are constant over the period.
    assert.equal(header.emissionsLocationMilligramsCo2e, (imported * 177n + 500n) / 1000n);
    assert.equal(header.emissionsMarketMilligramsCo2e, (imported * 30125n + 50000n) / 100000n);
    assert.deepEqual(document.flags.emissions, [
      "no-contractual-instruments-or-on-site-generation-registered",
    ]);
    assert.equal(document.factors.length, 2);
  });

  it("falls back to the location factor for market-based emissions, flagged", () => {
    const { location } = containerParameters().factors;
    const { header, document } = buildContainer(containerParameters({ factors: { location } }));
    assert.equal(header.emissionsMarketMilligramsCo2e, header.emissionsLocationMilligramsCo2e);
    assert.deepEqual(document.flags.emissions, [
      "no-contractual-instruments-or-on-site-generation-registered",
      "location-factors-used-no-residual-mix",
    ]);
    assert.equal(document.factors.length, 1);
    assert.equal(document.factorRef, document.factors[0]?.ref);
  });

  it("builds the Merkle root StandardMerkleTree gives for the same leaves", () => {
    const container = buildContainer(containerParameters());
    const reference = StandardMerkleTree.of(
      container.leaves.map((leaf) => [...readingLeafToValues(leaf)]),
      [...READING_LEAF_TYPES],
    );
    assert.equal(container.header.merkleRoot, reference.root);
    assert.equal(container.document.merkleRoot, reference.root);
  });

  it("flags a held end boundary when no reading follows the period", () => {
    const parameters = containerParameters();
    const readings = parameters.readings.filter((reading) => reading.timestampMs < PERIOD_END_MS);
    const { document } = buildContainer({ ...parameters, readings });
    assert.ok(document.flags.energy.includes("held"));
    assert.ok(document.flags.energy.includes("estimated"));
  });

  describe("when the input is wrong", () => {
    it("refuses a period that is not whole seconds", () => {
      assert.throws(
        () => buildContainer(containerParameters({ periodEndMs: PERIOD_END_MS + 1 })),
        (error: unknown) => error instanceof InvalidInputError && error.path === "periodEndMs",
      );
    });

    it("refuses a reading of a channel the stream does not declare", () => {
      const parameters = containerParameters();
      const stray = {
        ...parameters.readings[0],
        channel: 9,
      } as (typeof parameters.readings)[number];
      assert.throws(
        () => buildContainer({ ...parameters, readings: [...parameters.readings, stray] }),
        (error: unknown) =>
          error instanceof InvalidInputError &&
          error.path === `readings[${parameters.readings.length}]`,
      );
    });

    it("refuses a container without readings, and revision 0 that supersedes", () => {
      assert.throws(() => buildContainer(containerParameters({ readings: [] })), InvalidInputError);
      assert.throws(
        () => buildContainer(containerParameters({ supersedes: 5n })),
        InvalidInputError,
      );
    });
  });
});
