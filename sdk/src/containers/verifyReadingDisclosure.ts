import type { Hex } from "viem";
import { verifyMerkleProof } from "../merkle/verifyMerkleProof.ts";
import { hashReadingLeaf } from "../readings/hashReadingLeaf.ts";
import type { ReadingLeaf } from "../readings/readingLeaf.ts";
import { ReadingQuality } from "../readings/readingLeaf.ts";
import { readingDetailsHash } from "./readingDetailsHash.ts";
import { readingDisclosureSchema } from "./readingDisclosureSchema.ts";
import type { ReadingDisclosure } from "./readingDisclosureSchema.ts";

export interface ReadingDisclosureCheck {
  id: "bundle" | "details" | "merkle-proof";
  ok: boolean;
  skipped: boolean;
  detail: string;
}

export interface VerifyReadingDisclosureReturnType {
  ok: boolean;
  checks: ReadingDisclosureCheck[];
  firstFailure: ReadingDisclosureCheck | undefined;
  /** The parsed bundle, when it parsed. */
  disclosure: ReadingDisclosure | undefined;
  /** The reading's leaf, when the bundle parsed (what DataContainers.verifyReading takes). */
  leaf: ReadingLeaf | undefined;
}

/**
 * Checks a single-reading disclosure against a container's Merkle root (take
 * the root from the anchored header, never from the bundle): the bundle's
 * format, the disclosed details against the leaf's detailsHash, and the proof
 * from the leaf to the root, as OpenZeppelin `MerkleProof.verify` does on
 * chain. Any changed value, salt or proof step fails the proof.
 *
 * @example
 * ```ts
 * const result = verifyReadingDisclosure(JSON.parse(text), header.merkleRoot);
 * result.ok; // true when the reading is in the container
 * ```
 */
export function verifyReadingDisclosure(
  bundle: unknown,
  root: Hex,
): VerifyReadingDisclosureReturnType {
  const checks: ReadingDisclosureCheck[] = [];
  const done = (disclosure: ReadingDisclosure | undefined, leaf: ReadingLeaf | undefined) => {
    const firstFailure = checks.find((entry) => !entry.ok);
    return { ok: firstFailure === undefined, checks, firstFailure, disclosure, leaf };
  };
  const parsed = readingDisclosureSchema.safeParse(bundle);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    checks.push({
      id: "bundle",
      ok: false,
      skipped: false,
      detail: `not an ei-reading-disclosure-v1 bundle: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`,
    });
    return done(undefined, undefined);
  }
  const disclosure = parsed.data;
  checks.push({
    id: "bundle",
    ok: true,
    skipped: false,
    detail: `container ${disclosure.containerId}`,
  });
  const { reading } = disclosure;
  if (disclosure.details === undefined) {
    checks.push({ id: "details", ok: true, skipped: true, detail: "details not disclosed" });
  } else {
    const hash = readingDetailsHash(disclosure.details);
    checks.push(
      hash === reading.detailsHash
        ? {
            id: "details",
            ok: true,
            skipped: false,
            detail: `authentication ${disclosure.details.authentication}`,
          }
        : {
            id: "details",
            ok: false,
            skipped: false,
            detail: `details hash to ${hash}, the leaf holds ${reading.detailsHash}`,
          },
    );
  }
  const leaf: ReadingLeaf = {
    salt: reading.salt,
    deviceId: reading.deviceId,
    channel: reading.channel,
    sequence: BigInt(reading.sequence),
    timestampMs: BigInt(reading.timestampMs),
    energyImportedMilliWattHours: BigInt(reading.energyImportedMilliWattHours),
    energyExportedMilliWattHours: BigInt(reading.energyExportedMilliWattHours),
    quality: ReadingQuality[reading.quality],
    detailsHash: reading.detailsHash,
  };
  let ok: boolean;
  let leafHash: Hex | undefined;
  try {
    leafHash = hashReadingLeaf(leaf);
    ok = verifyMerkleProof(root, leafHash, disclosure.proof);
  } catch {
    // A root that is not 32-byte hex: nothing proves into it.
    ok = false;
  }
  checks.push({
    id: "merkle-proof",
    ok,
    skipped: false,
    detail: ok
      ? `leaf ${leafHash ?? ""} is in root ${root} (${disclosure.proof.length} proof steps)`
      : `leaf ${leafHash ?? "?"} does not prove into root ${root}`,
  });
  return done(disclosure, leaf);
}
