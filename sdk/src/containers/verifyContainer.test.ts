import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { computeCid } from "../cid/computeCid.ts";
import { cidToHex } from "../cid/cidToHex.ts";
import { buildContainerBatchTypedData } from "../eip712/buildContainerBatchTypedData.ts";
import { eip712Domain } from "../eip712/eip712Domain.ts";
import type { ContainerHeader } from "../eip712/messageTypes.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import { buildContainer } from "./buildContainer.ts";
import type { ContainerDocument } from "./containerDocumentSchema.ts";
import { containerParameters, PERIOD_END_MS } from "./containerFixture.testHelper.ts";
import { hashContainerHeader } from "./hashContainerHeader.ts";
import { verifyContainer } from "./verifyContainer.ts";

const oracle = privateKeyToAccount(`0x${"11".repeat(32)}`);
const forger = privateKeyToAccount(`0x${"22".repeat(32)}`);
const domain = eip712Domain({
  chainId: 31337,
  verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
});

async function anchored(header: ContainerHeader, signer = oracle) {
  const typedData = buildContainerBatchTypedData({ domain, containers: [header] });
  const signature: Hex = await signer.signTypedData(typedData);
  return {
    header,
    batch: { domain, headers: [header], signer: oracle.address, signature },
    chain: { commitment: hashContainerHeader(header), signerWasOracle: true },
  };
}

/** A dishonest oracle: edits the document, re-encodes it, and signs a header naming the new CID. */
function reencode(document: ContainerDocument, header: ContainerHeader) {
  const documentBytes = canonicalJsonBytes(document);
  return { documentBytes, header: { ...header, cid: cidToHex(computeCid(documentBytes)) } };
}

const honest = buildContainer(containerParameters());

describe("verifyContainer", () => {
  it("passes every check on an honest container", async () => {
    const result = await verifyContainer({
      ...(await anchored(honest.header)),
      documentBytes: honest.documentBytes,
    });
    assert.equal(result.firstFailure, undefined, JSON.stringify(result.firstFailure));
    assert.ok(result.ok);
    assert.deepEqual(
      result.checks.filter((check) => check.skipped).map((check) => check.id),
      ["decrypt", "public-part"],
    );
  });

  it("skips the chain checks it has no facts for, and still passes", async () => {
    const result = await verifyContainer({
      header: honest.header,
      documentBytes: honest.documentBytes,
    });
    assert.ok(result.ok);
    assert.equal(result.complete, false);
  });

  describe("fails on its own check for each tamper", () => {
    it("a changed reading: merkle-root", async () => {
      const document = structuredClone(honest.document);
      const reading = document.readings[5];
      assert.ok(reading);
      reading.energyImportedMilliWattHours = (
        BigInt(reading.energyImportedMilliWattHours) + 1_000n
      ).toString();
      const tampered = reencode(document, honest.header);
      const result = await verifyContainer({
        ...(await anchored(tampered.header)),
        documentBytes: tampered.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "merkle-root");
    });

    it("a changed total in the header: energy", async () => {
      const header = {
        ...honest.header,
        energyImportedMilliWattHours: honest.header.energyImportedMilliWattHours + 1n,
      };
      const result = await verifyContainer({
        ...(await anchored(header)),
        documentBytes: honest.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "energy");
      assert.match(result.firstFailure.detail, /header says/u);
    });

    it("a changed total in the document: energy, naming the field", async () => {
      const document = structuredClone(honest.document);
      document.totals.energyImportedMilliWattHours = "1";
      const tampered = reencode(document, { ...honest.header, energyImportedMilliWattHours: 1n });
      const result = await verifyContainer({
        ...(await anchored(tampered.header)),
        documentBytes: tampered.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "energy");
      assert.match(result.firstFailure.detail, /\$\.totals\.energyImportedMilliWattHours/u);
    });

    it("a swapped CID (another document's bytes): cid", async () => {
      const other = buildContainer(
        containerParameters({ periodStartMs: PERIOD_END_MS, periodEndMs: PERIOD_END_MS + 900_000 }),
      );
      const result = await verifyContainer({
        ...(await anchored(honest.header)),
        documentBytes: other.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "cid");
    });

    it("a forged signature: signature", async () => {
      const result = await verifyContainer({
        ...(await anchored(honest.header, forger)),
        documentBytes: honest.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "signature");
      assert.match(result.firstFailure.detail, new RegExp(forger.address, "u"));
    });

    it("an unregistered oracle: oracle", async () => {
      const facts = await anchored(honest.header);
      const result = await verifyContainer({
        ...facts,
        chain: { ...facts.chain, signerWasOracle: false },
        documentBytes: honest.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "oracle");
    });

    it("a header that is not the stored one: commitment", async () => {
      const facts = await anchored(honest.header);
      const result = await verifyContainer({
        ...facts,
        chain: { ...facts.chain, commitment: `0x${"00".repeat(32)}` },
        documentBytes: honest.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "commitment");
    });

    it("bytes that are not canonical JSON: canonical-json", async () => {
      const documentBytes = new TextEncoder().encode(JSON.stringify(honest.document, null, 1));
      const header = { ...honest.header, cid: cidToHex(computeCid(documentBytes)) };
      const result = await verifyContainer({ ...(await anchored(header)), documentBytes });
      assert.equal(result.firstFailure?.id, "canonical-json");
    });

    it("a changed factor value: factors", async () => {
      const document = structuredClone(honest.document);
      const entry = document.factors[0];
      assert.ok(entry);
      entry.factor.value = "17.7";
      const tampered = reencode(document, honest.header);
      const result = await verifyContainer({
        ...(await anchored(tampered.header)),
        documentBytes: tampered.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "factors");
    });

    it("changed emissions: emissions", async () => {
      const document = structuredClone(honest.document);
      document.totals.emissionsLocationMilligramsCo2e = "7";
      const tampered = reencode(document, {
        ...honest.header,
        emissionsLocationMilligramsCo2e: 7n,
      });
      const result = await verifyContainer({
        ...(await anchored(tampered.header)),
        documentBytes: tampered.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "emissions");
    });

    it("a dropped estimate flag: flags", async () => {
      const parameters = containerParameters();
      const held = buildContainer({
        ...parameters,
        readings: parameters.readings.filter((reading) => reading.timestampMs < PERIOD_END_MS),
      });
      const document = structuredClone(held.document);
      document.flags.energy = document.flags.energy.filter(
        (flag) => flag !== "held" && flag !== "estimated",
      );
      const tampered = reencode(document, held.header);
      const result = await verifyContainer({
        ...(await anchored(tampered.header)),
        documentBytes: tampered.documentBytes,
      });
      assert.equal(result.firstFailure?.id, "flags");
    });

    it("an extra reading outside the period: reading-selection", async () => {
      const parameters = containerParameters();
      const container = buildContainer(parameters);
      const document = structuredClone(container.document);
      // Insert the reading before the boundary one of the first channel, with its real salt-free shape.
      const first = document.readings[0];
      assert.ok(first);
      document.readings.unshift({
        ...first,
        sequence: "99",
        timestampMs: first.timestampMs - 300_000,
      });
      const tampered = reencode(document, container.header);
      const result = await verifyContainer({
        ...(await anchored(tampered.header)),
        documentBytes: tampered.documentBytes,
      });
      // The root and count are checked before the selection and fail first.
      assert.equal(result.firstFailure?.id, "merkle-root");
      assert.ok(result.checks.some((check) => check.id === "reading-selection" && !check.ok));
    });
  });
});
