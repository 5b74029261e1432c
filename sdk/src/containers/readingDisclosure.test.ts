import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildContainer } from "./buildContainer.ts";
import { buildReadingDisclosure } from "./buildReadingDisclosure.ts";
import { computeContainerId } from "./computeContainerId.ts";
import { containerParameters, DEVICE_B } from "./containerFixture.testHelper.ts";
import { verifyReadingDisclosure } from "./verifyReadingDisclosure.ts";

describe("single-reading disclosure", () => {
  const container = buildContainer(containerParameters());
  const containerId = computeContainerId(container.header);
  const bundle = buildReadingDisclosure({
    document: container.document,
    containerId,
    reading: { deviceId: DEVICE_B, channel: 0, sequence: 105n },
    includeDetails: true,
  });

  it("verifies against the container's root after a JSON round trip", () => {
    const result = verifyReadingDisclosure(
      JSON.parse(JSON.stringify(bundle)),
      container.header.merkleRoot,
    );
    assert.equal(result.firstFailure, undefined, JSON.stringify(result.firstFailure));
    assert.equal(result.leaf?.sequence, 105n);
    assert.equal(bundle.containerId, containerId.toString());
  });

  it("fails the proof when a value, the salt or the root changes", () => {
    const changed = structuredClone(bundle);
    changed.reading.energyImportedMilliWattHours = (
      BigInt(changed.reading.energyImportedMilliWattHours) + 1n
    ).toString();
    assert.equal(
      verifyReadingDisclosure(changed, container.header.merkleRoot).firstFailure?.id,
      "merkle-proof",
    );
    const salted = structuredClone(bundle);
    salted.reading.salt = `0x${"00".repeat(32)}`;
    assert.equal(
      verifyReadingDisclosure(salted, container.header.merkleRoot).firstFailure?.id,
      "merkle-proof",
    );
    assert.equal(
      verifyReadingDisclosure(bundle, `0x${"ab".repeat(32)}`).firstFailure?.id,
      "merkle-proof",
    );
  });

  it("fails details that do not hash to the leaf's detailsHash", () => {
    const changed = structuredClone(bundle);
    assert.ok(changed.details);
    changed.details.powerMilliWatts = 1;
    assert.equal(
      verifyReadingDisclosure(changed, container.header.merkleRoot).firstFailure?.id,
      "details",
    );
  });

  it("works without details, and refuses a malformed bundle", () => {
    const bare = buildReadingDisclosure({ document: container.document, containerId, reading: 0 });
    assert.equal(bare.details, undefined);
    assert.ok(verifyReadingDisclosure(bare, container.header.merkleRoot).ok);
    assert.equal(
      verifyReadingDisclosure({ format: "other" }, container.header.merkleRoot).firstFailure?.id,
      "bundle",
    );
  });
});
