import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildContainer } from "../containers/buildContainer.ts";
import { containerParameters } from "../containers/containerFixture.testHelper.ts";
import { verifyContainer } from "../containers/verifyContainer.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import { generateAuditorKeyPair } from "./generateAuditorKeyPair.ts";
import { openSealedContainer } from "./openSealedContainer.ts";
import { OpenSealedContainerError } from "./OpenSealedContainerError.ts";
import { sealedContainerSchema } from "./sealedContainerSchema.ts";

const auditor = generateAuditorKeyPair();
const secondAuditor = generateAuditorKeyPair();
const stranger = generateAuditorKeyPair();
const sealedParameters = () =>
  containerParameters({
    disclosure: { mode: "sealed", recipients: [auditor.publicKey, secondAuditor.publicKey] },
  });

describe("sealed containers", () => {
  const container = buildContainer(sealedParameters());
  const envelope = sealedContainerSchema.parse(
    JSON.parse(new TextDecoder().decode(container.documentBytes)),
  );

  it("anchors the envelope: the CID names it, and the readings are not in the clear", () => {
    assert.equal(container.sealed?.format, "ei-sealed-container-v1");
    const text = new TextDecoder().decode(container.documentBytes);
    assert.ok(!text.includes(container.document.readings[0]?.salt ?? "x"));
    assert.ok(!("readings" in envelope.public));
    assert.equal(envelope.public.merkleRoot, container.header.merkleRoot);
    assert.equal(envelope.sealed.recipients.length, 2);
  });

  it("is deterministic, so a rebuilt container has the same CID", () => {
    const again = buildContainer(sealedParameters());
    assert.deepEqual(again.documentBytes, container.documentBytes);
  });

  it("opens for each recipient to the exact container document", () => {
    for (const key of [auditor.privateKey, secondAuditor.privateKey]) {
      const bytes = openSealedContainer({ sealed: envelope, privateKey: key });
      assert.deepEqual(bytes, canonicalJsonBytes(container.document));
    }
  });

  it("does not open for a key that is not a recipient", () => {
    assert.throws(
      () => openSealedContainer({ sealed: envelope, privateKey: stranger.privateKey }),
      (error: unknown) =>
        error instanceof OpenSealedContainerError && error.reason === "not-a-recipient",
    );
  });

  it("does not open when the ciphertext or the public part was changed", () => {
    const flipped = structuredClone(envelope);
    const bytes = Buffer.from(flipped.sealed.ciphertext, "base64");
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    flipped.sealed.ciphertext = bytes.toString("base64");
    assert.throws(
      () => openSealedContainer({ sealed: flipped, privateKey: auditor.privateKey }),
      (error: unknown) =>
        error instanceof OpenSealedContainerError && error.reason === "decryption-failed",
    );
    const moved = structuredClone(envelope);
    moved.public.totals.energyImportedMilliWattHours = "1";
    assert.throws(
      () => openSealedContainer({ sealed: moved, privateKey: auditor.privateKey }),
      (error: unknown) =>
        error instanceof OpenSealedContainerError && error.reason === "decryption-failed",
    );
  });

  it("verifies in full with an auditor key", async () => {
    const result = await verifyContainer({
      header: container.header,
      documentBytes: container.documentBytes,
      auditorKey: auditor.privateKey,
    });
    assert.equal(result.firstFailure, undefined, JSON.stringify(result.firstFailure));
    for (const id of ["decrypt", "public-part", "merkle-root", "energy", "reading-selection"]) {
      const check = result.checks.find((entry) => entry.id === id);
      assert.equal(check?.skipped, false, id);
      assert.equal(check.ok, true, id);
    }
  });

  it("verifies the public part without a key, saying what it could not recompute", async () => {
    const result = await verifyContainer({
      header: container.header,
      documentBytes: container.documentBytes,
    });
    assert.ok(result.ok);
    assert.equal(result.complete, false);
    const skipped = result.checks.filter((check) => check.skipped).map((check) => check.id);
    assert.ok(skipped.includes("merkle-root") && skipped.includes("decrypt"));
    assert.equal(result.checks.find((check) => check.id === "emissions")?.skipped, false);
  });

  it("fails decrypt for a non-recipient's key", async () => {
    const result = await verifyContainer({
      header: container.header,
      documentBytes: container.documentBytes,
      auditorKey: stranger.privateKey,
    });
    assert.equal(result.firstFailure?.id, "decrypt");
    assert.match(result.firstFailure.detail, /not a recipient/u);
  });
});
