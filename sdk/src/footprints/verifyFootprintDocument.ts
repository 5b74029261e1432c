import type { Hex } from "viem";
import { computeUnixfsBlocks } from "../cid/computeUnixfsBlocks.ts";
import { firstJsonDifference } from "../containers/internal/firstJsonDifference.ts";
import { verifyReadingDisclosure } from "../containers/verifyReadingDisclosure.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import { buildFootprintDocument } from "./buildFootprintDocument.ts";
import { footprintDocumentSchema } from "./footprintDocumentSchema.ts";
import type { FootprintDocument } from "./footprintDocumentSchema.ts";
import { footprintInputsFromDocument } from "./footprintInputsFromDocument.ts";
import { footprintMarketRate } from "./footprintMarketRate.ts";
import type { MarketRateContainer } from "./footprintMarketRate.ts";

export type FootprintCheckId =
  | "cid"
  | "document"
  | "lot"
  | "jobs"
  | "scope-jobs"
  | "containers"
  | "readings"
  | "devices"
  | "factors"
  | "market-based"
  | "recompute";

export interface FootprintCheck {
  id: FootprintCheckId;
  ok: boolean;
  /** Not checked, for want of the facts it needs. */
  skipped: boolean;
  detail: string;
}

/** What the lot's chain record says (ProductLots.lot and its LotMinted footprint). */
export interface LotFacts {
  siteId: Hex;
  productId: Hex;
  jobIds: readonly Hex[];
  units: bigint;
  /** The CID named in the minted footprint, base32. */
  cid: string;
  energyMilliWattHours: bigint;
  emissionsLocationMilligramsCo2e: bigint;
  emissionsMarketMilligramsCo2e: bigint;
}

/** A job as JobStamps recorded it (times in ms). */
export interface JobFacts {
  startMs: number;
  stopMs: number;
  units: bigint;
  productId: Hex;
  machineIds: readonly Hex[];
}

/** An anchored container as its header says, and the hourly factors its document lists. */
export interface ContainerFacts {
  streamId: Hex;
  periodStartMs: number;
  periodEndMs: number;
  revision: number;
  merkleRoot: Hex;
  cid: string;
  /** From the container document's public part (checked against the header's factorRef by the caller). */
  hours?: readonly {
    startMs: number;
    endMs: number;
    locationFactorRef: Hex;
    marketFactorRef: Hex;
  }[];
  /** An `ei-container-v3` container's market-based figures (its public scope2 part), or undefined. */
  market?: MarketRateContainer | undefined;
}

export interface VerifyFootprintDocumentParameters {
  /** The bytes fetched for the lot's CID (already checked block by block). */
  documentBytes: Uint8Array;
  lot?: LotFacts | undefined;
  /** Chain jobs by lowercase id: every job the document lists. */
  jobs?: ReadonlyMap<string, JobFacts> | undefined;
  /** Ids of every chain job that shares a machine with the scope and overlaps it in time. */
  overlappingJobIds?: readonly Hex[] | undefined;
  /** Anchored containers by decimal token id. */
  containers?: ReadonlyMap<string, ContainerFacts> | undefined;
  /** The site's registered devices: device id → machine id (zero for a meter of the whole site). */
  devices?: ReadonlyMap<string, Hex> | undefined;
}

export interface VerifyFootprintDocumentReturnType {
  ok: boolean;
  /** No check was skipped. */
  complete: boolean;
  checks: FootprintCheck[];
  firstFailure: FootprintCheck | undefined;
  document: FootprintDocument | undefined;
}

const ZERO: Hex = `0x${"0".repeat(64)}`;
const pass = (id: FootprintCheckId, detail: string): FootprintCheck => ({
  id,
  ok: true,
  skipped: false,
  detail,
});
const fail = (id: FootprintCheckId, detail: string): FootprintCheck => ({
  id,
  ok: false,
  skipped: false,
  detail,
});
const skip = (id: FootprintCheckId, detail: string): FootprintCheck => ({
  id,
  ok: true,
  skipped: true,
  detail,
});
const show = (value: unknown) =>
  JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/**
 * Checks a lot's footprint document against the chain and recomputes it
 * (docs/jobs-and-footprints.md, "Verification"), in order: the CID, the
 * document's format and canonical bytes, the lot's on-chain figures, each
 * job's stamps, that no overlapping job was left out, each container against
 * its anchored header, each reading's Merkle proof to its container's root,
 * each channel's device registration, each hour's factors against the
 * containers', and finally the whole document rebuilt from its own readings,
 * jobs and factors. The first failure is named; a check without its facts is
 * skipped (and `complete` is false), never passed silently.
 *
 * @example
 * ```ts
 * const result = verifyFootprintDocument({ documentBytes, lot, jobs, overlappingJobIds, containers, devices });
 * if (!result.ok) console.error(result.firstFailure);
 * ```
 */
export function verifyFootprintDocument(
  parameters: VerifyFootprintDocumentParameters,
): VerifyFootprintDocumentReturnType {
  const checks: FootprintCheck[] = [];
  const done = (document: FootprintDocument | undefined): VerifyFootprintDocumentReturnType => {
    const firstFailure = checks.find((check) => !check.ok);
    return {
      ok: firstFailure === undefined,
      complete: checks.every((check) => !check.skipped),
      checks,
      firstFailure,
      document,
    };
  };
  const { documentBytes, lot } = parameters;

  const cid = computeUnixfsBlocks(documentBytes).cid.toString();
  if (lot === undefined) checks.push(skip("cid", `document CID ${cid}; no lot to compare with`));
  else if (cid !== lot.cid)
    checks.push(fail("cid", `the lot names ${lot.cid}, the bytes are ${cid}`));
  else checks.push(pass("cid", cid));

  let document: FootprintDocument;
  try {
    const parsed = footprintDocumentSchema.safeParse(
      JSON.parse(new TextDecoder().decode(documentBytes)),
    );
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      checks.push(
        fail(
          "document",
          `not an ei-footprint-v1 document: $.${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`,
        ),
      );
      return done(undefined);
    }
    document = parsed.data;
  } catch (error) {
    checks.push(fail("document", `not JSON: ${(error as Error).message}`));
    return done(undefined);
  }
  const canonical = canonicalJsonBytes(document);
  if (Buffer.compare(Buffer.from(canonical), Buffer.from(documentBytes)) !== 0) {
    checks.push(fail("document", "the bytes are not the document's canonical JSON (RFC 8785)"));
  } else
    checks.push(
      pass(
        "document",
        `${document.jobs.length} job(s), ${document.readings.length} reading(s), ${document.containers.length} container(s)`,
      ),
    );

  if (lot === undefined) checks.push(skip("lot", "no lot record given"));
  else {
    const expected = {
      siteId: document.siteId,
      productId: document.productId,
      jobIds: document.lot.jobIds,
      units: document.lot.units,
      energyMilliWattHours: document.lot.total.energyMilliWattHours,
      emissionsLocationMilligramsCo2e: document.lot.total.emissionsLocationMilligramsCo2e,
      emissionsMarketMilligramsCo2e: document.lot.total.emissionsMarketMilligramsCo2e,
    };
    const actual = {
      siteId: lot.siteId.toLowerCase(),
      productId: lot.productId.toLowerCase(),
      jobIds: lot.jobIds.map((id) => id.toLowerCase()),
      units: lot.units.toString(),
      energyMilliWattHours: lot.energyMilliWattHours.toString(),
      emissionsLocationMilligramsCo2e: lot.emissionsLocationMilligramsCo2e.toString(),
      emissionsMarketMilligramsCo2e: lot.emissionsMarketMilligramsCo2e.toString(),
    };
    const difference = firstJsonDifference(expected, actual);
    checks.push(
      difference === undefined
        ? pass(
            "lot",
            `${actual.units} units, ${actual.energyMilliWattHours} mWh, ${actual.emissionsLocationMilligramsCo2e} mg CO2e (location)`,
          )
        : fail(
            "lot",
            `on chain ${difference.path.replace(/^\$/u, "lot")} is ${show(difference.actual)}, the document says ${show(difference.expected)}`,
          ),
    );
  }

  if (parameters.jobs === undefined) checks.push(skip("jobs", "no chain jobs given"));
  else {
    let failure: string | undefined;
    for (const job of document.jobs) {
      const chain = parameters.jobs.get(job.jobId);
      if (chain === undefined) {
        failure = `job ${job.jobId} is not stopped on chain`;
        break;
      }
      const difference = firstJsonDifference(
        {
          startMs: job.startMs,
          stopMs: job.stopMs,
          units: job.units,
          productId: job.productId,
          machineIds: job.machineIds,
        },
        {
          startMs: chain.startMs,
          stopMs: chain.stopMs,
          units: chain.units.toString(),
          productId: chain.productId.toLowerCase(),
          machineIds: chain.machineIds.map((id) => id.toLowerCase()),
        },
      );
      if (difference !== undefined) {
        failure = `job ${job.jobId}: ${difference.path.replace(/^\$\./u, "")} is ${show(difference.actual)} on chain, ${show(difference.expected)} in the document`;
        break;
      }
    }
    checks.push(
      failure === undefined
        ? pass("jobs", `${document.jobs.length} job(s) match their stamps`)
        : fail("jobs", failure),
    );
  }

  if (parameters.overlappingJobIds === undefined)
    checks.push(skip("scope-jobs", "no chain job list given"));
  else {
    const listed = new Set<string>(document.jobs.map((job) => job.jobId));
    const missing = parameters.overlappingJobIds.find((id) => !listed.has(id.toLowerCase()));
    checks.push(
      missing === undefined
        ? pass("scope-jobs", "every job sharing the scope's machines is accounted for")
        : fail(
            "scope-jobs",
            `job ${missing} ran on a machine of the scope inside it and is not listed`,
          ),
    );
  }

  if (parameters.containers === undefined)
    checks.push(skip("containers", "no anchored containers given"));
  else {
    let failure: string | undefined;
    for (const container of document.containers) {
      const anchored = parameters.containers.get(container.containerId);
      if (anchored === undefined) {
        failure = `container ${container.containerId} is not anchored`;
        break;
      }
      const difference = firstJsonDifference(
        {
          streamId: container.streamId,
          periodStartMs: container.periodStartMs,
          periodEndMs: container.periodEndMs,
          revision: container.revision,
          merkleRoot: container.merkleRoot,
          cid: container.cid,
        },
        {
          streamId: anchored.streamId.toLowerCase(),
          periodStartMs: anchored.periodStartMs,
          periodEndMs: anchored.periodEndMs,
          revision: anchored.revision,
          merkleRoot: anchored.merkleRoot.toLowerCase(),
          cid: anchored.cid,
        },
      );
      if (difference !== undefined) {
        failure = `container ${container.containerId}: ${difference.path.replace(/^\$\./u, "")} is ${show(difference.actual)} anchored, ${show(difference.expected)} in the document`;
        break;
      }
    }
    checks.push(
      failure === undefined
        ? pass("containers", `${document.containers.length} container(s) anchored as listed`)
        : fail("containers", failure),
    );
  }

  // Proofs are checked against the listed roots, which the containers check tied to the chain.
  const roots = new Map(
    document.containers.map((container) => [container.containerId, container.merkleRoot]),
  );
  let readingFailure: string | undefined;
  document.readings.forEach((disclosure, index) => {
    if (readingFailure !== undefined) return;
    const root = roots.get(disclosure.containerId);
    if (root === undefined) {
      readingFailure = `readings[${index}] names container ${disclosure.containerId}, which is not listed`;
      return;
    }
    const result = verifyReadingDisclosure(disclosure, root);
    if (!result.ok)
      readingFailure = `readings[${index}] (device ${disclosure.reading.deviceId} sequence ${disclosure.reading.sequence}): ${result.firstFailure?.detail ?? "fails"}`;
  });
  checks.push(
    readingFailure === undefined
      ? pass("readings", `${document.readings.length} reading proof(s) verify`)
      : fail("readings", readingFailure),
  );

  if (parameters.devices === undefined)
    checks.push(skip("devices", "no device registrations given"));
  else {
    const devices = parameters.devices;
    const wrong = [
      ...document.machines.flatMap((machine) =>
        machine.channels.map((channel) => ({ channel, machineId: machine.machineId })),
      ),
      ...document.overhead.channels.map((channel) => ({ channel, machineId: ZERO })),
    ].find(({ channel, machineId }) => devices.get(channel.deviceId)?.toLowerCase() !== machineId);
    checks.push(
      wrong === undefined
        ? pass(
            "devices",
            "every channel's device is registered to the machine (or the site) it is counted for",
          )
        : fail(
            "devices",
            `device ${wrong.channel.deviceId} is registered to ${devices.get(wrong.channel.deviceId) ?? "no machine of the site"}, the document counts it for ${wrong.machineId === ZERO ? "the facility overhead" : `machine ${wrong.machineId}`}`,
          ),
    );
  }

  if (parameters.containers === undefined)
    checks.push(skip("factors", "no container factors given"));
  else {
    const containers = parameters.containers;
    let failure: string | undefined;
    let compared = 0;
    for (const hour of document.hours) {
      for (const container of document.containers) {
        const facts = containers.get(container.containerId);
        for (const entry of facts?.hours ?? []) {
          if (entry.endMs <= hour.startMs || entry.startMs >= hour.endMs) continue;
          compared += 1;
          // A v3 container's market rate is its own; the hour's is checked under market-based.
          if (
            entry.locationFactorRef !== hour.locationFactorRef ||
            (facts?.market === undefined && entry.marketFactorRef !== hour.marketFactorRef)
          ) {
            failure ??= `hour ${new Date(hour.startMs).toISOString()} uses factors ${hour.locationFactorRef}/${hour.marketFactorRef}; container ${container.containerId} used ${entry.locationFactorRef}/${entry.marketFactorRef}`;
          }
        }
      }
    }
    checks.push(
      failure !== undefined
        ? fail("factors", failure)
        : compared === 0
          ? skip("factors", "no container hours overlap the scope")
          : pass(
              "factors",
              `each hour uses the factors its containers used (${compared} comparisons)`,
            ),
    );
  }

  checks.push(checkMarketBased(document, parameters.containers));

  try {
    const rebuilt = buildFootprintDocument(footprintInputsFromDocument(document));
    const difference = firstJsonDifference(rebuilt.document, document);
    checks.push(
      difference === undefined
        ? pass("recompute", "recomputed from its readings, jobs and factors: identical")
        : fail(
            "recompute",
            `${difference.path}: recomputed ${show(difference.expected)}, the document says ${show(difference.actual)}`,
          ),
    );
  } catch (error) {
    checks.push(
      fail("recompute", `cannot recompute: ${(error as Error).message.split("\n")[0] ?? ""}`),
    );
  }
  return done(document);
}

/**
 * Each hour's market-based rate recomputed from the v3 containers that cover it (their on-site
 * netting, instruments and residual mix, as anchored), compared with the factor the footprint
 * allocated; the recompute check then carries it to the lot's market-based total and per unit.
 */
function checkMarketBased(
  document: FootprintDocument,
  containers: ReadonlyMap<string, ContainerFacts> | undefined,
): FootprintCheck {
  if (containers === undefined) return skip("market-based", "no container facts given");
  let checked = 0;
  for (const hour of document.hours) {
    const clock = Math.floor(hour.startMs / 3_600_000) * 3_600_000;
    const rated = document.containers
      .filter(
        (container) => container.periodStartMs < hour.endMs && container.periodEndMs > hour.startMs,
      )
      .flatMap((container) => {
        const market = containers.get(container.containerId)?.market;
        return market === undefined ? [] : [market];
      });
    if (rated.length === 0) continue;
    checked += 1;
    const listed = document.factors.find((entry) => entry.ref === hour.marketFactorRef)?.factor;
    let expected;
    try {
      expected = footprintMarketRate({ hourStartMs: clock, containers: rated });
    } catch (error) {
      return fail("market-based", (error as Error).message.split("\n")[0] ?? "");
    }
    const difference = firstJsonDifference(expected, listed);
    if (difference !== undefined)
      return fail(
        "market-based",
        `hour ${new Date(clock).toISOString()}: the market-based rate recomputed from containers ${rated.map((entry) => entry.containerId).join(", ")} is ${expected.value} ${expected.unit}; the document's factor differs at ${difference.path} (${show(difference.actual)})`,
      );
  }
  return checked === 0
    ? pass(
        "market-based",
        "no ei-container-v3 container covers the scope: each hour's market factor is the one its containers anchored (factors)",
      )
    : pass(
        "market-based",
        `${checked} hour(s): each market-based rate recomputed from its containers' on-site netting, instruments and residual mix`,
      );
}
