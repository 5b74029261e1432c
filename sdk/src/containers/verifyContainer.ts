import type { Address, Hex } from "viem";
import { isAddressEqual } from "viem";
import type { CID } from "multiformats/cid";
import type { CounterReading } from "../accounting/types.ts";
import { cidFromBytes } from "../cid/cidFromBytes.ts";
import { computeCid } from "../cid/computeCid.ts";
import { openSealedContainer } from "../disclosure/openSealedContainer.ts";
import {
  SEALED_CONTAINER_FORMAT,
  sealedContainerSchema,
} from "../disclosure/sealedContainerSchema.ts";
import type { SealedContainer } from "../disclosure/sealedContainerSchema.ts";
import { buildContainerBatchTypedData } from "../eip712/buildContainerBatchTypedData.ts";
import type { ContainerHeader, Eip712Domain } from "../eip712/messageTypes.ts";
import { recoverEip712Signer } from "../eip712/recoverEip712Signer.ts";
import { factorListRef } from "../factors/factorListRef.ts";
import { factorRef } from "../factors/factorRef.ts";
import type { EmissionFactorRecord } from "../factors/types.ts";
import { canonicalizeJson } from "../json/index.ts";
import { buildReadingTree } from "../readings/buildReadingTree.ts";
import { InvalidInputError } from "../errors/index.ts";
import { computeContainerScope2 } from "./internal/computeContainerScope2.ts";
import {
  CONTAINER_DOCUMENT_FORMAT,
  CONTAINER_DOCUMENT_FORMAT_V3,
  containerDocumentSchema,
  CONTAINER_EMISSION_FLAGS,
} from "./containerDocumentSchema.ts";
import type { ContainerDocument, ContainerPublicPart } from "./containerDocumentSchema.ts";
import type { EmissionFlag } from "../accounting/locationBasedEmissions.ts";
import { containerHeaderFromDocument } from "./containerHeaderFromDocument.ts";
import { containerReadingToLeaf } from "./containerReadingToLeaf.ts";
import { hashContainerHeader } from "./hashContainerHeader.ts";
import { boundaryFromJson, boundaryToJson, configFromJson } from "./internal/boundaryJson.ts";
import { computeContainerEmissions } from "./internal/computeContainerEmissions.ts";
import { computeContainerEnergy } from "./internal/computeContainerEnergy.ts";
import type { ContainerEnergy } from "./internal/computeContainerEnergy.ts";
import { firstJsonDifference } from "./internal/firstJsonDifference.ts";
import { selectChannelReadings } from "./internal/selectChannelReadings.ts";

/** The checks, in the order they run and are reported. */
export const CONTAINER_CHECK_IDS = [
  "commitment",
  "signature",
  "oracle",
  "cid",
  "document",
  "canonical-json",
  "decrypt",
  "public-part",
  "header-fields",
  "merkle-root",
  "reading-count",
  "reading-selection",
  "energy",
  "factors",
  "emissions",
  "flags",
] as const;
export type ContainerCheckId = (typeof CONTAINER_CHECK_IDS)[number];

/** One check's outcome. A skipped check (nothing to check it with) is `ok` but says so. */
export interface ContainerCheck {
  id: ContainerCheckId;
  ok: boolean;
  skipped: boolean;
  detail: string;
}

export interface VerifyContainerParameters {
  /** The anchored header, as the ContainersAnchored event logged it. */
  header: ContainerHeader;
  /** The bytes fetched for the header's CID; without them only the chain checks run. */
  documentBytes: Uint8Array | undefined;
  /** The CID the bytes were fetched under, when it was not taken from the header. */
  cid?: CID | undefined;
  /** An auditor's X25519 private key, to open a sealed document. */
  auditorKey?: Uint8Array | Hex | undefined;
  /** The batch the header was anchored in and the oracle's signature over it (from the transaction). */
  batch?:
    | {
        domain: Eip712Domain;
        headers: readonly ContainerHeader[];
        signer: Address;
        signature: Hex;
        /** For a contract signer: whether ERC-1271 accepted the signature at the anchoring block. */
        contractSignatureValid?: boolean | undefined;
      }
    | undefined;
  /** Facts the caller read from the chain. */
  chain?:
    | {
        /** DataContainers.commitmentOf(id). */
        commitment?: Hex | undefined;
        /** EnergyRegistry.wasOracleAt(siteId, signer, anchoring block). */
        signerWasOracle?: boolean | undefined;
        /** Where and when that was asked, for the report. */
        oracleContext?: string | undefined;
      }
    | undefined;
}

export interface VerifyContainerReturnType {
  /** No check failed. */
  ok: boolean;
  /** No check was skipped either. */
  complete: boolean;
  checks: ContainerCheck[];
  /** The first check that failed. */
  firstFailure: ContainerCheck | undefined;
  /** The container document, when it could be read (opened, if sealed). */
  document: ContainerDocument | undefined;
  /** The envelope, when the stored document is sealed. */
  sealed: SealedContainer | undefined;
}

/**
 * Verifies an anchored container from its header and the bytes fetched for
 * its CID, recomputing everything: the CID of the bytes, the document's
 * canonical form, the Merkle root from the salted readings, the reading count
 * and selection, each channel's energy from the counters (same accounting as
 * the gateway), the hourly factors, factorRef and emissions, the flags; and,
 * with the facts the caller read from the chain, the stored commitment, the
 * oracle's signature over the batch and the oracle's registration at the
 * anchoring block. Every check runs and is reported, in order; `firstFailure`
 * names the first that failed.
 *
 * A sealed document is checked as far as its public part allows (CID, header
 * fields, totals against hours, factors, emissions); with an auditor key it is
 * opened and checked in full, including that its public part is the one the
 * envelope shows.
 *
 * @example
 * ```ts
 * const result = await verifyContainer({ header, documentBytes, batch, chain: { commitment, signerWasOracle } });
 * for (const check of result.checks) console.log(check.ok ? "✓" : "✗", check.id, check.detail);
 * ```
 */
export async function verifyContainer(
  parameters: VerifyContainerParameters,
): Promise<VerifyContainerReturnType> {
  const { header, documentBytes } = parameters;
  const checks: ContainerCheck[] = [];
  const pass = (id: ContainerCheckId, detail: string) =>
    checks.push({ id, ok: true, skipped: false, detail });
  const fail = (id: ContainerCheckId, detail: string) =>
    checks.push({ id, ok: false, skipped: false, detail });
  const skip = (id: ContainerCheckId, detail: string) =>
    checks.push({ id, ok: true, skipped: true, detail });
  const check = (id: ContainerCheckId, ok: boolean, good: string, bad: string) => {
    if (ok) pass(id, good);
    else fail(id, bad);
  };

  // Chain facts first: they say whether this header is the one the oracle signed and the chain kept.
  const commitment = parameters.chain?.commitment;
  if (commitment === undefined) skip("commitment", "no stored commitment given");
  else {
    const hash = hashContainerHeader(header);
    check(
      "commitment",
      hash.toLowerCase() === commitment.toLowerCase(),
      `header hashes to the stored commitment ${commitment}`,
      `header hashes to ${hash}, the chain stores ${commitment}`,
    );
  }
  await checkSignature(parameters, { pass, fail, skip });
  const wasOracle = parameters.chain?.signerWasOracle;
  const context = parameters.chain?.oracleContext ?? "at the anchoring block";
  if (wasOracle === undefined) skip("oracle", "no registry answer given");
  else
    check(
      "oracle",
      wasOracle,
      `signer was an oracle of site ${header.siteId} ${context}`,
      `signer ${parameters.batch?.signer ?? "?"} was NOT an oracle of site ${header.siteId} ${context}`,
    );

  const result = (document: ContainerDocument | undefined, sealed: SealedContainer | undefined) => {
    const firstFailure = checks.find((entry) => !entry.ok);
    return {
      ok: firstFailure === undefined,
      complete: checks.every((entry) => !entry.skipped),
      checks,
      firstFailure,
      document,
      sealed,
    };
  };
  const rest = (from: ContainerCheckId, reason: string) => {
    for (const id of CONTAINER_CHECK_IDS.slice(CONTAINER_CHECK_IDS.indexOf(from)))
      if (!checks.some((entry) => entry.id === id)) skip(id, reason);
  };

  // The bytes: are they what the header names?
  if (documentBytes === undefined) {
    rest("cid", "no document bytes");
    return result(undefined, undefined);
  }
  const computed = computeCid(documentBytes);
  let anchored: CID | undefined;
  try {
    anchored = cidFromBytes(header.cid, "header.cid");
  } catch {
    anchored = undefined;
  }
  if (anchored === undefined) fail("cid", `header.cid ${header.cid} is not a binary CID`);
  else if (computed.toString() !== anchored.toString())
    fail(
      "cid",
      `the bytes hash to ${computed.toString()}, the header names ${anchored.toString()}`,
    );
  else if (parameters.cid !== undefined && parameters.cid.toString() !== computed.toString())
    fail(
      "cid",
      `the bytes hash to ${computed.toString()}, fetched as ${parameters.cid.toString()}`,
    );
  else pass("cid", `${computed.toString()} (${documentBytes.length} bytes)`);

  // Parse: a plain container document, or a sealed envelope.
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(documentBytes));
  } catch (error) {
    fail("document", `not UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`);
    rest("canonical-json", "no document");
    return result(undefined, undefined);
  }
  const isSealed =
    typeof json === "object" &&
    json !== null &&
    (json as { format?: unknown }).format === SEALED_CONTAINER_FORMAT;
  const parsed = isSealed
    ? sealedContainerSchema.safeParse(json)
    : containerDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(
      "document",
      `not an ${isSealed ? SEALED_CONTAINER_FORMAT : "ei-container-v1/v2/v3"} document: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`,
    );
    rest("canonical-json", "no document");
    return result(undefined, undefined);
  }
  const publicFormat = isSealed
    ? (parsed.data as { public?: { format?: string } }).public?.format
    : (parsed.data as { format: string }).format;
  const v2Fields = (
    (isSealed
      ? (parsed.data as { public?: { hours?: unknown[] } }).public?.hours
      : (parsed.data as { hours: unknown[] }).hours) ?? []
  ).some(
    (hour) =>
      typeof hour === "object" &&
      hour !== null &&
      ("locationFallback" in hour || "locationEstimated" in hour),
  );
  if (publicFormat === CONTAINER_DOCUMENT_FORMAT && v2Fields) {
    fail("document", "an ei-container-v1 document carries ei-container-v2 hour fields");
    rest("canonical-json", "no document");
    return result(undefined, undefined);
  }
  const v3Problem = v3FieldsProblem(
    publicFormat,
    isSealed ? (parsed.data as SealedContainer).public : (parsed.data as ContainerDocument),
  );
  if (v3Problem !== undefined) {
    fail("document", v3Problem);
    rest("canonical-json", "no document");
    return result(undefined, undefined);
  }
  pass(
    "document",
    isSealed ? `${SEALED_CONTAINER_FORMAT} (readings sealed)` : (publicFormat ?? "ei-container"),
  );
  let canonical: boolean;
  try {
    canonical = canonicalizeJson(json) === new TextDecoder().decode(documentBytes);
  } catch {
    canonical = false;
  }
  check(
    "canonical-json",
    canonical,
    "bytes are the RFC 8785 (JCS) form",
    "bytes are not the RFC 8785 (JCS) form of the document",
  );

  let document: ContainerDocument | undefined;
  let sealed: SealedContainer | undefined;
  let publicPart: ContainerPublicPart;
  if (isSealed) {
    sealed = parsed.data as SealedContainer;
    publicPart = sealed.public;
    if (parameters.auditorKey === undefined) {
      skip("decrypt", "sealed to the site's auditors; no auditor key given");
      skip("public-part", "sealed; no auditor key given");
    } else {
      document = openAndParse(sealed, parameters.auditorKey, { pass, fail });
      if (document !== undefined) {
        const { readings: _readings, ...inner } = document;
        const difference = firstJsonDifference(
          JSON.parse(canonicalizeJson(sealed.public)),
          JSON.parse(canonicalizeJson(inner)),
        );
        check(
          "public-part",
          difference === undefined,
          "the sealed document's public part equals the envelope's",
          `the sealed document differs from the envelope at ${difference?.path ?? "?"}`,
        );
        publicPart = inner;
      } else skip("public-part", "not opened");
    }
  } else {
    document = parsed.data as ContainerDocument;
    publicPart = document;
    skip("decrypt", "published in the clear");
    skip("public-part", "published in the clear");
  }

  // Header fields the document states directly.
  let expectedHeader: ContainerHeader | undefined;
  try {
    expectedHeader = containerHeaderFromDocument(publicPart, header.cid);
  } catch (error) {
    fail("header-fields", error instanceof Error ? error.message : String(error));
  }
  if (expectedHeader !== undefined) {
    const fields = [
      "siteId",
      "streamId",
      "periodStart",
      "periodEnd",
      "revision",
      "supersedes",
    ] as const;
    const wrong = fields.find(
      (field) =>
        String(expectedHeader[field]).toLowerCase() !== String(header[field]).toLowerCase(),
    );
    check(
      "header-fields",
      wrong === undefined,
      `site, stream, period [${header.periodStart}, ${header.periodEnd}) s, revision ${header.revision}`,
      `header.${wrong ?? "?"} is ${String(wrong === undefined ? "" : header[wrong])}, the document says ${String(wrong === undefined ? "" : expectedHeader[wrong])}`,
    );
  }

  // Merkle root and reading count.
  if (document === undefined) {
    // Sealed without a key: the stated figures must agree with the header, but nothing is recomputed.
    if (publicPart.merkleRoot === header.merkleRoot.toLowerCase())
      skip(
        "merkle-root",
        `document root equals header root ${header.merkleRoot}; readings sealed, not recomputed`,
      );
    else
      fail(
        "merkle-root",
        `document root ${publicPart.merkleRoot} ≠ header root ${header.merkleRoot}`,
      );
    if (publicPart.readingCount === header.readingCount)
      skip("reading-count", `${header.readingCount} readings stated; sealed, not counted`);
    else
      fail(
        "reading-count",
        `document states ${publicPart.readingCount} readings, header ${header.readingCount}`,
      );
    skip("reading-selection", "readings sealed");
  } else {
    let root: Hex | undefined;
    try {
      root = buildReadingTree(document.readings.map(containerReadingToLeaf)).root;
    } catch (error) {
      fail(
        "merkle-root",
        `readings do not form leaves: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (root !== undefined) {
      check(
        "merkle-root",
        root === document.merkleRoot && root === header.merkleRoot.toLowerCase(),
        `recomputed ${root} from ${document.readings.length} readings`,
        `recomputed ${root} from the readings; document says ${document.merkleRoot}, header ${header.merkleRoot}`,
      );
    }
    const count = document.readings.length;
    check(
      "reading-count",
      count === document.readingCount && count === header.readingCount,
      `${count} readings`,
      `${count} readings in the document; it states ${document.readingCount}, the header ${header.readingCount}`,
    );
    checkSelection(document, { pass, fail });
  }

  // Energy recomputed from the readings (or, sealed, the public figures' consistency).
  const energy = checkEnergy(publicPart, document, header, { pass, fail });
  const scope2Flags = checkFactorsAndEmissions(publicPart, document, header, energy, {
    pass,
    fail,
  });
  checkFlags(publicPart, energy, scope2Flags, { pass, fail, skip });
  return result(document, sealed);
}

interface Reporter {
  pass(id: ContainerCheckId, detail: string): void;
  fail(id: ContainerCheckId, detail: string): void;
}

async function checkSignature(
  parameters: VerifyContainerParameters,
  report: Reporter & { skip(id: ContainerCheckId, detail: string): void },
): Promise<void> {
  const { batch, header } = parameters;
  if (batch === undefined) {
    report.skip("signature", "no batch signature given");
    return;
  }
  const hash = hashContainerHeader(header);
  if (!batch.headers.some((entry) => hashContainerHeader(entry) === hash)) {
    report.fail("signature", "the header is not in the signed batch");
    return;
  }
  let recovered: Address | undefined;
  try {
    recovered = await recoverEip712Signer({
      typedData: buildContainerBatchTypedData({ domain: batch.domain, containers: batch.headers }),
      signature: batch.signature,
    });
  } catch {
    recovered = undefined;
  }
  if (recovered !== undefined && isAddressEqual(recovered, batch.signer)) {
    report.pass("signature", `EIP-712 batch of ${batch.headers.length} signed by ${batch.signer}`);
  } else if (batch.contractSignatureValid === true) {
    report.pass("signature", `ERC-1271 contract signer ${batch.signer} accepted the signature`);
  } else {
    report.fail(
      "signature",
      `the batch signature recovers ${recovered ?? "nothing"}, not the signer ${batch.signer}`,
    );
  }
}

function openAndParse(
  sealed: SealedContainer,
  key: Uint8Array | Hex,
  report: Reporter,
): ContainerDocument | undefined {
  let bytes: Uint8Array;
  try {
    bytes = openSealedContainer({ sealed, privateKey: key });
  } catch (error) {
    report.fail(
      "decrypt",
      error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error),
    );
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    report.fail("decrypt", "decrypted, but the plaintext is not JSON");
    return undefined;
  }
  const parsed = containerDocumentSchema.safeParse(json);
  if (!parsed.success) {
    report.fail("decrypt", "decrypted, but the plaintext is not an ei-container-v1 document");
    return undefined;
  }
  report.pass("decrypt", `opened with the auditor key (${bytes.length} bytes)`);
  return parsed.data;
}

const keyOf = (deviceId: string, channel: number) => `${deviceId}/${channel}`;

function checkSelection(document: ContainerDocument, report: Reporter): void {
  const declared = new Map(
    document.channels.map((channel) => [keyOf(channel.deviceId, channel.channel), channel]),
  );
  const byChannel = new Map<string, { timestampMs: number }[]>();
  for (const [index, reading] of document.readings.entries()) {
    const key = keyOf(reading.deviceId, reading.channel);
    if (!declared.has(key)) {
      report.fail(
        "reading-selection",
        `readings[${index}] is of channel ${key}, which the stream does not declare`,
      );
      return;
    }
    const list = byChannel.get(key) ?? [];
    list.push(reading);
    byChannel.set(key, list);
  }
  for (const channel of document.channels) {
    const key = keyOf(channel.deviceId, channel.channel);
    const list = byChannel.get(key) ?? [];
    const anchor =
      channel.startBoundarySource === "previous-container"
        ? channel.startBoundary.anchor?.timestampMs
        : undefined;
    const selected = selectChannelReadings(
      list,
      document.period.startMs,
      document.period.endMs,
      anchor,
    );
    if (selected.length !== list.length || list.length !== channel.readingCount) {
      report.fail(
        "reading-selection",
        `channel ${key} holds ${list.length} readings (states ${channel.readingCount}); the period depends on ${selected.length}`,
      );
      return;
    }
  }
  report.pass(
    "reading-selection",
    `each of ${document.channels.length} channel(s) holds exactly the readings its period depends on`,
  );
}

function checkEnergy(
  publicPart: ContainerPublicPart,
  document: ContainerDocument | undefined,
  header: ContainerHeader,
  report: Reporter,
): VerifiedEnergy | undefined {
  const totals = publicPart.totals;
  const headerMatches =
    BigInt(totals.energyImportedMilliWattHours) === header.energyImportedMilliWattHours &&
    BigInt(totals.energyExportedMilliWattHours) === header.energyExportedMilliWattHours;
  const headerDetail = `header says ${header.energyImportedMilliWattHours} / ${header.energyExportedMilliWattHours} mWh imported / exported, the document ${totals.energyImportedMilliWattHours} / ${totals.energyExportedMilliWattHours}`;
  if (document === undefined) {
    // Sealed: the public figures must at least add up among themselves and to the header.
    const consumptionChannels = publicPart.channels.filter(
      (channel) => channel.role !== "generation",
    );
    const sum = (values: readonly string[]) =>
      values.reduce((total, value) => total + BigInt(value), 0n);
    const hoursOk =
      sum(publicPart.hours.map((hour) => hour.energyImportedMilliWattHours)) ===
        BigInt(totals.energyImportedMilliWattHours) &&
      sum(publicPart.hours.map((hour) => hour.energyExportedMilliWattHours)) ===
        BigInt(totals.energyExportedMilliWattHours);
    const channelsOk =
      sum(consumptionChannels.map((channel) => channel.energyImportedMilliWattHours)) ===
        BigInt(totals.energyImportedMilliWattHours) &&
      sum(consumptionChannels.map((channel) => channel.energyExportedMilliWattHours)) ===
        BigInt(totals.energyExportedMilliWattHours);
    if (!headerMatches) report.fail("energy", headerDetail);
    else if (!hoursOk || !channelsOk)
      report.fail("energy", `the ${hoursOk ? "channels" : "hours"} do not sum to the totals`);
    else
      report.pass(
        "energy",
        `hours and channels sum to ${totals.energyImportedMilliWattHours} mWh imported; readings sealed, not recomputed`,
      );
    return undefined;
  }
  let energy: ContainerEnergy;
  let generationHours: bigint[][] | undefined;
  try {
    const inputs = document.channels.map((channel) => ({
      deviceId: channel.deviceId,
      channel: channel.channel,
      config: configFromJson(channel.config),
      startBoundary:
        channel.startBoundarySource === "previous-container"
          ? boundaryFromJson(channel.startBoundary)
          : undefined,
      readings: document.readings
        .filter(
          (reading) => reading.deviceId === channel.deviceId && reading.channel === channel.channel,
        )
        .map((reading): CounterReading => ({
          sequence: BigInt(reading.sequence),
          timestampMs: reading.timestampMs,
          energyImportedMilliWattHours: BigInt(reading.energyImportedMilliWattHours),
          energyExportedMilliWattHours: BigInt(reading.energyExportedMilliWattHours),
          quality: reading.quality,
        })),
    }));
    energy = computeContainerEnergy(document.period.startMs, document.period.endMs, inputs);
    if (document.format === CONTAINER_DOCUMENT_FORMAT_V3) {
      // v3: the hours and totals are the consumption channels'; generators are netted in scope2.
      const consumption = computeContainerEnergy(
        document.period.startMs,
        document.period.endMs,
        inputs.filter((_, index) => document.channels[index]?.role !== "generation"),
      );
      generationHours = document.channels.flatMap((channel, index) => {
        const channelInput = inputs[index];
        if (channel.role !== "generation" || channelInput === undefined) return [];
        return [
          computeContainerEnergy(document.period.startMs, document.period.endMs, [
            channelInput,
          ]).hours.map((hour) => hour.energyExportedMilliWattHours),
        ];
      });
      energy = { ...consumption, channels: energy.channels, flags: energy.flags };
    }
  } catch (error) {
    report.fail(
      "energy",
      `the readings do not give an energy: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)}`,
    );
    return undefined;
  }
  const expected = {
    totals: {
      energyImportedMilliWattHours: energy.energyImportedMilliWattHours.toString(),
      energyExportedMilliWattHours: energy.energyExportedMilliWattHours.toString(),
    },
    hours: energy.hours.map((hour) => ({
      startMs: hour.startMs,
      endMs: hour.endMs,
      energyImportedMilliWattHours: hour.energyImportedMilliWattHours.toString(),
      energyExportedMilliWattHours: hour.energyExportedMilliWattHours.toString(),
    })),
    channels: energy.channels.map((channel) => ({
      startBoundary: boundaryToJson(channel.startBoundary),
      endBoundary: boundaryToJson(channel.endBoundary),
      energyImportedMilliWattHours: channel.energyImportedMilliWattHours.toString(),
      energyExportedMilliWattHours: channel.energyExportedMilliWattHours.toString(),
      flags: channel.flags,
    })),
  };
  const actual = {
    totals: {
      energyImportedMilliWattHours: totals.energyImportedMilliWattHours,
      energyExportedMilliWattHours: totals.energyExportedMilliWattHours,
    },
    hours: document.hours.map((hour) => ({
      startMs: hour.startMs,
      endMs: hour.endMs,
      energyImportedMilliWattHours: hour.energyImportedMilliWattHours,
      energyExportedMilliWattHours: hour.energyExportedMilliWattHours,
    })),
    channels: document.channels.map((channel) => ({
      startBoundary: channel.startBoundary,
      endBoundary: channel.endBoundary,
      energyImportedMilliWattHours: channel.energyImportedMilliWattHours,
      energyExportedMilliWattHours: channel.energyExportedMilliWattHours,
      flags: channel.flags,
    })),
  };
  const difference = firstJsonDifference(expected, actual);
  if (difference !== undefined) {
    report.fail(
      "energy",
      `recomputed from the readings, ${difference.path} is ${JSON.stringify(difference.expected)}, the document says ${JSON.stringify(difference.actual)}`,
    );
  } else if (!headerMatches) report.fail("energy", headerDetail);
  else {
    report.pass(
      "energy",
      `recomputed ${energy.energyImportedMilliWattHours} mWh imported, ${energy.energyExportedMilliWattHours} mWh exported over ${energy.hours.length} hour(s), ${energy.channels.length} channel(s)`,
    );
  }
  return generationHours === undefined ? energy : { ...energy, generationHours };
}

/** The recomputed energy, and for v3 each generation channel's produced energy per hour. */
type VerifiedEnergy = ContainerEnergy & { generationHours?: bigint[][] | undefined };

function checkFactorsAndEmissions(
  publicPart: ContainerPublicPart,
  document: ContainerDocument | undefined,
  header: ContainerHeader,
  energy: VerifiedEnergy | undefined,
  report: Reporter,
): EmissionFlag[] | undefined {
  const v3 = publicPart.format === CONTAINER_DOCUMENT_FORMAT_V3;
  const byRef = new Map<string, EmissionFactorRecord>();
  for (const [index, entry] of publicPart.factors.entries()) {
    const factor = entry.factor;
    const ref = factorRef(factor);
    if (ref !== entry.ref) {
      report.fail("factors", `factors[${index}] hashes to ${ref}, listed as ${entry.ref}`);
      report.fail("emissions", "factors are not what they claim");
      return;
    }
    byRef.set(ref, factor);
  }
  const location: EmissionFactorRecord[] = [];
  const market: EmissionFactorRecord[] = [];
  for (const [index, hour] of publicPart.hours.entries()) {
    const loc = byRef.get(hour.locationFactorRef);
    const mkt = byRef.get(hour.marketFactorRef);
    if (loc === undefined || mkt === undefined) {
      report.fail("factors", `hours[${index}] names a factor that is not listed`);
      report.fail("emissions", "a factor is missing");
      return;
    }
    for (const [factor, match, name] of [
      [loc, hour.locationFactorMatch, "location"],
      [mkt, hour.marketFactorMatch, "market"],
    ] as const) {
      const applies =
        match === "in-period"
          ? factor.period.startMs <= hour.startMs && hour.startMs < factor.period.endMs
          : factor.period.endMs <= hour.startMs;
      if (!applies) {
        report.fail(
          "factors",
          `hours[${index}] ${name} factor ${factor.datasetId}/${factor.region} is valid [${factor.period.startMs}, ${factor.period.endMs}) ms, not ${match} for ${hour.startMs}`,
        );
        report.fail("emissions", "a factor does not apply");
        return;
      }
    }
    if (hour.locationFallback !== undefined && loc.datasetId.startsWith("live:")) {
      report.fail(
        "factors",
        `hours[${index}] records a fallback (${hour.locationFallback.reason}) but uses the live factor ${loc.datasetId}`,
      );
      report.fail("emissions", "a factor does not apply");
      return;
    }
    if (v3 !== (hour.marketBasis === "market-based-rate")) {
      report.fail(
        "factors",
        `hours[${index}] market basis ${hour.marketBasis} in an ${publicPart.format} document`,
      );
      report.fail("emissions", "a factor does not apply");
      return;
    }
    if (
      hour.marketBasis === "location-fallback" &&
      hour.marketFactorRef !== hour.locationFactorRef
    ) {
      report.fail(
        "factors",
        `hours[${index}] claims a location fallback with a different market factor`,
      );
      report.fail("emissions", "a factor does not apply");
      return;
    }
    location.push(loc);
    market.push(mkt);
  }
  const residual: EmissionFactorRecord[] = [];
  for (const [index, hour] of (publicPart.scope2?.hours ?? []).entries()) {
    const factor = byRef.get(hour.residualFactorRef);
    const stated = publicPart.hours[index];
    const applies =
      factor !== undefined &&
      (hour.residualFactorMatch === "in-period"
        ? factor.period.startMs <= hour.startMs && hour.startMs < factor.period.endMs
        : factor.period.endMs <= hour.startMs);
    if (
      factor === undefined ||
      stated === undefined ||
      (hour.residualBasis === "location-fallback" &&
        hour.residualFactorRef !== stated.locationFactorRef) ||
      (hour.residualBasis === "location-fallback" ? false : !applies)
    ) {
      report.fail(
        "factors",
        `scope2.hours[${index}] residual factor ${hour.residualFactorRef} (${hour.residualBasis}) is not listed or does not apply`,
      );
      report.fail("emissions", "a factor does not apply");
      return;
    }
    residual.push(factor);
  }
  const ref = factorListRef([...location, ...residual, ...market]);
  if (ref !== publicPart.factorRef || ref !== header.factorRef.toLowerCase()) {
    report.fail(
      "factors",
      `factorRef recomputed ${ref}; document ${publicPart.factorRef}, header ${header.factorRef}`,
    );
  } else {
    report.pass(
      "factors",
      `${byRef.size} factor(s) (${[...byRef.values()].map((f) => `${f.datasetId}/${f.region}`).join(", ")}), factorRef ${ref}`,
    );
  }

  // Emissions from the recomputed hours when the readings are open, else from the stated hours.
  const hours =
    energy?.hours ??
    publicPart.hours.map((hour) => ({
      startMs: hour.startMs,
      endMs: hour.endMs,
      energyImportedMilliWattHours: BigInt(hour.energyImportedMilliWattHours),
      energyExportedMilliWattHours: BigInt(hour.energyExportedMilliWattHours),
    }));
  if (hours.length !== location.length) {
    report.fail("emissions", `${hours.length} hours recomputed, ${location.length} listed`);
    return;
  }
  let scope2Flags: EmissionFlag[] | undefined;
  let emissions: { location: bigint; market: bigint };
  if (v3) {
    const recomputed = recomputeScope2(publicPart, document, hours, energy, byRef, report);
    if (recomputed === undefined) return;
    emissions = recomputed.emissions;
    scope2Flags = recomputed.flags;
  } else emissions = computeContainerEmissions(hours, location, market);
  const totals = publicPart.totals;
  const problems: string[] = [];
  if (emissions.location.toString() !== totals.emissionsLocationMilligramsCo2e)
    problems.push(
      `location-based recomputed ${emissions.location} mg, document ${totals.emissionsLocationMilligramsCo2e}`,
    );
  if (emissions.market.toString() !== totals.emissionsMarketMilligramsCo2e)
    problems.push(
      `market-based recomputed ${emissions.market} mg, document ${totals.emissionsMarketMilligramsCo2e}`,
    );
  if (emissions.location !== header.emissionsLocationMilligramsCo2e)
    problems.push(
      `header location-based ${header.emissionsLocationMilligramsCo2e} mg ≠ ${emissions.location}`,
    );
  if (emissions.market !== header.emissionsMarketMilligramsCo2e)
    problems.push(
      `header market-based ${header.emissionsMarketMilligramsCo2e} mg ≠ ${emissions.market}`,
    );
  if (problems.length > 0) report.fail("emissions", problems.join("; "));
  else
    report.pass(
      "emissions",
      `${emissions.location} mg CO2e location-based, ${emissions.market} mg market-based`,
    );
  return scope2Flags;
}

/**
 * v3: replays the market-based computation from the document's own inputs (consumption and
 * generation per hour, recomputed from the readings when they are open; the instruments with the
 * volume each had used before; the residual and location factors) and compares the whole scope2
 * section and every hour's market rate. Names the first difference.
 */
function recomputeScope2(
  publicPart: ContainerPublicPart,
  document: ContainerDocument | undefined,
  hours: readonly { startMs: number; endMs: number; energyImportedMilliWattHours: bigint }[],
  energy: VerifiedEnergy | undefined,
  byRef: ReadonlyMap<string, EmissionFactorRecord>,
  report: Reporter,
): { emissions: { location: bigint; market: bigint }; flags: EmissionFlag[] } | undefined {
  const stated = publicPart.scope2;
  if (stated === undefined) {
    report.fail("emissions", "an ei-container-v3 document without its scope2 section");
    return undefined;
  }
  const generators = publicPart.channels.filter((channel) => channel.role === "generation");
  const generation = generators.map((channel, g) => ({
    source: channel.source ?? "other",
    milliWattHours:
      document !== undefined && energy?.generationHours !== undefined
        ? (energy.generationHours[g] ?? [])
        : stated.hours.map((hour) => BigInt(hour.onSiteGeneration[g]?.milliWattHours ?? "0")),
  }));
  const factorAt = (ref: string): EmissionFactorRecord => {
    const factor = byRef.get(ref);
    if (factor === undefined) throw new InvalidInputError("factors", `${ref} is not listed`);
    return factor;
  };
  let result: ReturnType<typeof computeContainerScope2>;
  try {
    result = computeContainerScope2({
      siteId: publicPart.siteId,
      streamId: publicPart.streamId,
      periodStartMs: publicPart.period.startMs,
      market: stated.market,
      hours: hours.map((hour) => ({
        startMs: hour.startMs,
        endMs: hour.endMs,
        consumptionMilliWattHours: hour.energyImportedMilliWattHours,
      })),
      generation,
      instruments: stated.instruments.map((instrument) => ({
        certificateId: instrument.certificateId,
        type: instrument.type,
        market: instrument.market,
        energySource: instrument.energySource,
        productionPeriod: instrument.productionPeriod,
        volumeMilliWattHours: BigInt(instrument.volumeMilliWattHours),
        emissionFactorGramsPerKilowattHour: instrument.emissionFactorGramsPerKilowattHour,
        hourlyDelivery: instrument.hourlyDelivery?.map((entry) => ({
          startMs: entry.startMs,
          milliWattHours: BigInt(entry.milliWattHours),
        })),
        registry: instrument.registry,
      })),
      usedBefore: stated.instruments.map((instrument) => ({
        certificateId: instrument.certificateId,
        milliWattHours: BigInt(instrument.usedBeforeMilliWattHours),
      })),
      location: publicPart.hours.map((hour) => ({
        factor: factorAt(hour.locationFactorRef),
        ref: hour.locationFactorRef,
      })),
      residual: stated.hours.map((hour) => ({
        factor: factorAt(hour.residualFactorRef),
        ref: hour.residualFactorRef,
        basis: hour.residualBasis,
        match: hour.residualFactorMatch,
      })),
    });
  } catch (error) {
    report.fail(
      "emissions",
      `the market-based inputs do not recompute: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)}`,
    );
    return undefined;
  }
  const difference = firstJsonDifference(
    JSON.parse(canonicalizeJson(result.section)),
    JSON.parse(canonicalizeJson(stated)),
  );
  if (difference !== undefined) {
    report.fail(
      "emissions",
      `market-based recomputed, scope2${difference.path} is ${JSON.stringify(difference.expected)}, the document says ${JSON.stringify(difference.actual)}`,
    );
    return undefined;
  }
  const wrongRate = publicPart.hours.findIndex(
    (hour, index) =>
      hour.marketFactorRef !==
      (result.marketRates[index] === undefined ? "" : factorRef(result.marketRates[index])),
  );
  if (wrongRate !== -1) {
    report.fail(
      "emissions",
      `hours[${wrongRate}].marketFactorRef is not the recomputed market-based rate of the hour`,
    );
    return undefined;
  }
  return {
    emissions: {
      location: result.emissionsLocationMilligramsCo2e,
      market: result.emissionsMarketMilligramsCo2e,
    },
    flags: result.flags,
  };
}

/** v3 fields only in v3 documents, and a v3 document with its scope2 section. */
function v3FieldsProblem(
  format: string | undefined,
  publicPart: ContainerPublicPart,
): string | undefined {
  const v3 = format === CONTAINER_DOCUMENT_FORMAT_V3;
  if (v3 && publicPart.scope2 === undefined)
    return "an ei-container-v3 document without its scope2 section";
  if (v3) return undefined;
  if (publicPart.scope2 !== undefined) return `an ${format ?? "?"} document carries scope2 (v3)`;
  if (
    publicPart.channels.some(
      (channel) => channel.role !== undefined || channel.source !== undefined,
    )
  )
    return `an ${format ?? "?"} document carries channel roles (v3)`;
  if (publicPart.hours.some((hour) => hour.marketBasis === "market-based-rate"))
    return `an ${format ?? "?"} document carries market-based rates (v3)`;
  return undefined;
}

function checkFlags(
  publicPart: ContainerPublicPart,
  energy: ContainerEnergy | undefined,
  scope2Flags: readonly EmissionFlag[] | undefined,
  report: Reporter & { skip(id: ContainerCheckId, detail: string): void },
): void {
  const emissionFlags = new Set<EmissionFlag>();
  for (const hour of publicPart.hours) {
    if (
      hour.locationFactorMatch === "latest-earlier-period" ||
      hour.marketFactorMatch === "latest-earlier-period"
    )
      emissionFlags.add("factor-latest-earlier-period");
    if (hour.marketBasis === "location-fallback")
      emissionFlags.add("location-factors-used-no-residual-mix");
    if (hour.locationFallback !== undefined) emissionFlags.add("factor-live-fallback-to-shipped");
    if (hour.locationEstimated === true) emissionFlags.add("factor-estimated");
  }
  if (publicPart.format === CONTAINER_DOCUMENT_FORMAT_V3) {
    // v3: what the market-based replay flagged (netting, instruments, residual mix).
    for (const flag of scope2Flags ?? []) emissionFlags.add(flag);
  } else emissionFlags.add("no-contractual-instruments-or-on-site-generation-registered");
  if (publicPart.factors.some((entry) => entry.factor.kind === "lifecycle"))
    emissionFlags.add("factor-lifecycle");
  if (publicPart.factors.some((entry) => entry.factor.unit === "g CO2/kWh"))
    emissionFlags.add("factor-co2-only");
  const expected = {
    energy: energy?.flags ?? publicPart.flags.energy,
    emissions: CONTAINER_EMISSION_FLAGS.filter((flag) => emissionFlags.has(flag)),
  };
  const difference = firstJsonDifference(expected, publicPart.flags);
  if (difference !== undefined) {
    report.fail(
      "flags",
      `recomputed flags differ at ${difference.path}: ${JSON.stringify(difference.expected)} vs the document's ${JSON.stringify(difference.actual)}`,
    );
  } else {
    report.pass("flags", [...expected.energy, ...expected.emissions].join(", ") || "none");
  }
}
