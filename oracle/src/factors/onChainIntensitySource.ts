/**
 * The on-chain intensity record (GridIntensityConsumer, filled by Chainlink Functions) as a
 * GridIntensitySource, read with viem through the gateway's RPC. Each figure names the record it came
 * from (chain, contract, request id), so a container that uses it references the chain rather than the
 * gateway: anyone can re-read `recordOf(requestId)` and compare.
 */
import {
  BaseError as ViemBaseError,
  ContractFunctionRevertedError,
  formatUnits,
  stringToHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import type {
  AverageIntensity,
  AverageIntensityRequest,
  EmissionFactorRecord,
  FactorCitation,
  FactorDataset,
  FactorLicence,
  IntensityProblem,
  IntensitySeries,
  OnChainIntensitySource,
} from "@energy-intelligence/sdk/factors/index";
import {
  MAX_PLAUSIBLE_GRAMS_PER_KILOWATT_HOUR,
  averageIntensityToFactorRecord,
} from "@energy-intelligence/sdk/factors/index";
import { gridIntensityConsumerAbi } from "@energy-intelligence/sdk/contracts/generated/abis";

const HOUR_MS = 3_600_000;
const FULFILLED = 2;
/** The consumer's source codes and what each figure is (see functions/source/gridIntensity.js). */
export const RECORD_SOURCES = {
  1: { name: "NESO Carbon Intensity API", co2Only: true },
  2: { name: "Electricity Maps API v3 (direct)", co2Only: false },
} as const;
export type RecordSourceCode = keyof typeof RECORD_SOURCES;

const STATUS_NAMES = ["none", "pending", "fulfilled", "failed", "rejected", "timed out"] as const;
const REASON_NAMES = [
  "",
  "source-error",
  "empty-response",
  "malformed-response",
  "negative-intensity",
  "absurd-intensity",
  "timed-out",
] as const;

export interface CreateOnChainIntensitySourceParameters {
  client: PublicClient;
  /** The GridIntensityConsumer. */
  address: Address;
  chainId: number;
  /** Which fulfilling source's records to read: 1 UK Carbon Intensity API, 2 Electricity Maps. */
  recordSource: RecordSourceCode;
}

function problem(
  reason: IntensityProblem["reason"],
  startMs: number,
  endMs: number,
  detail: string,
): IntensityProblem {
  return { reason, period: { startMs, endMs }, detail };
}

/**
 * Builds the source. `averageIntensities` reads one record per clock hour of the request; an hour
 * without a fulfilled record is a `missing-interval` problem that names the latest request and why it
 * ended (failed, rejected, timed out, pending), a rejected negative or absurd answer keeps that reason,
 * and an RPC failure is `unreachable`. Records are direct-emission figures: a `lifecycle` request is a
 * `wrong-kind` problem. Never throws for a missing or bad record.
 *
 * @example
 * ```ts
 * const source = createOnChainIntensitySource({ client, address, chainId: 31337, recordSource: 1 });
 * const series = await source.averageIntensities({ region: "GB", startMs, endMs, kind: "direct" });
 * series.points[0]?.provenance.version; // "request 0x…, settled 2026-…"
 * ```
 */
export function createOnChainIntensitySource(
  parameters: CreateOnChainIntensitySourceParameters,
): OnChainIntensitySource {
  const { client, address, chainId, recordSource } = parameters;
  const described = RECORD_SOURCES[recordSource];
  const id = `on-chain:${chainId}:${address.toLowerCase()}`;
  const read = {
    recordOf: (requestId: Hex) =>
      client.readContract({
        address,
        abi: gridIntensityConsumerAbi,
        functionName: "recordOf",
        args: [requestId],
      }),
  };

  async function hourOf(
    regionKey: Hex,
    region: string,
    startMs: number,
  ): Promise<AverageIntensity | IntensityProblem> {
    const endMs = startMs + HOUR_MS;
    const hourStart = startMs / 1000;
    let found: Awaited<ReturnType<typeof readIntensity>>;
    async function readIntensity() {
      return client.readContract({
        address,
        abi: gridIntensityConsumerAbi,
        functionName: "intensityOf",
        args: [regionKey, hourStart, recordSource],
      });
    }
    try {
      found = await readIntensity();
    } catch (error) {
      const reverted =
        error instanceof ViemBaseError
          ? error.walk((e) => e instanceof ContractFunctionRevertedError)
          : null;
      if (
        !(reverted instanceof ContractFunctionRevertedError) ||
        reverted.data?.errorName !== "Intensity_NoRecord"
      ) {
        const message = error instanceof ViemBaseError ? error.shortMessage : String(error);
        return problem("unreachable", startMs, endMs, `reading ${id}: ${message}`);
      }
      return whyMissing(regionKey, region, startMs);
    }
    const [requestId, record] = found;
    if (record.status !== FULFILLED) {
      return problem("changed-format", startMs, endMs, `record ${requestId} is not fulfilled`);
    }
    // Integer mg/kWh to exact decimal g/kWh.
    const grams = formatUnits(BigInt(record.milligramsPerKilowattHour), 3);
    if (Number(grams) > MAX_PLAUSIBLE_GRAMS_PER_KILOWATT_HOUR) {
      return problem("absurd-intensity", startMs, endMs, `record ${requestId}: ${grams} g/kWh`);
    }
    return {
      kind: "direct",
      gramsPerKilowattHour: grams,
      co2Only: described.co2Only,
      // The UK regional figure is a forecast; both are as estimated as the API that answered.
      estimated: recordSource === 1,
      provenance: {
        source: `${described.name} via Chainlink Functions, record ${address} on chain ${chainId}`,
        region,
        period: { startMs, endMs },
        version: `request ${requestId}, settled ${new Date(record.settledAt * 1000).toISOString()}`,
        // When the figure reached the chain: the same for every reader, unlike a local clock.
        retrievedAtMs: record.settledAt * 1000,
        kind: "direct",
      },
    };
  }

  async function whyMissing(regionKey: Hex, region: string, startMs: number) {
    const endMs = startMs + HOUR_MS;
    const latest = await client.readContract({
      address,
      abi: gridIntensityConsumerAbi,
      functionName: "latestRequestOf",
      args: [regionKey, startMs / 1000, recordSource],
    });
    if (latest === `0x${"0".repeat(64)}`) {
      return problem("missing-interval", startMs, endMs, `no request for ${region} in ${id}`);
    }
    const record = await read.recordOf(latest);
    const reason = REASON_NAMES[record.reason] ?? `reason ${record.reason}`;
    const detail = `latest request ${latest} is ${STATUS_NAMES[record.status] ?? record.status}${reason === "" ? "" : ` (${reason})`}`;
    if (reason === "negative-intensity" || reason === "absurd-intensity") {
      return problem(reason, startMs, endMs, detail);
    }
    if (reason === "malformed-response" || reason === "empty-response") {
      return problem("changed-format", startMs, endMs, detail);
    }
    return problem("missing-interval", startMs, endMs, detail);
  }

  return {
    id,
    record: { chainId, address },
    async averageIntensities(
      request: AverageIntensityRequest,
    ): Promise<IntensitySeries<AverageIntensity>> {
      const window = { startMs: request.startMs, endMs: request.endMs };
      if (request.kind !== "direct") {
        return {
          points: [],
          problems: [
            {
              reason: "wrong-kind",
              period: window,
              detail: `${id} holds direct figures, asked for ${request.kind}`,
            },
          ],
        };
      }
      if (new TextEncoder().encode(request.region).length > 31) {
        return {
          points: [],
          problems: [
            {
              reason: "missing-interval",
              period: window,
              detail: `region ${request.region} is longer than 31 bytes`,
            },
          ],
        };
      }
      const regionKey = stringToHex(request.region, { size: 32 });
      const series: IntensitySeries<AverageIntensity> = { points: [], problems: [] };
      const first = Math.floor(request.startMs / HOUR_MS) * HOUR_MS;
      for (let startMs = first; startMs < request.endMs; startMs += HOUR_MS) {
        const outcome = await hourOf(regionKey, request.region, startMs);
        if ("reason" in outcome) series.problems.push(outcome);
        else series.points.push(outcome);
      }
      return series;
    },
  };
}

/**
 * On-chain figures as a factor dataset (one record per hour), so the container builder, which takes
 * datasets, uses them like any other: put it first in `factors.location.datasets`. Each factor's
 * `source` and `version` name the chain record, so the container's factor list references it.
 */
export function onChainFactorDataset(parameters: {
  source: OnChainIntensitySource;
  points: readonly AverageIntensity[];
  citation: FactorCitation;
  licence: FactorLicence;
}): FactorDataset {
  const { source, points, citation, licence } = parameters;
  const factors: EmissionFactorRecord[] = points.map((point) =>
    averageIntensityToFactorRecord({
      sourceId: source.id,
      value: point.gramsPerKilowattHour,
      from: [point],
      period: point.provenance.period,
      citation,
      licence,
    }),
  );
  const co2Only = points.some((point) => point.co2Only);
  return {
    id: source.id,
    source: `GridIntensityConsumer ${source.record.address} on chain ${source.record.chainId}`,
    version: "per-hour records (see each factor's version)",
    kind: "direct",
    unit: co2Only ? "g CO2/kWh" : "g CO2e/kWh",
    citation,
    licence,
    notes: ["Hourly figures read from an on-chain record filled by Chainlink Functions."],
    factors,
    pending: [],
  };
}

/**
 * The reader `createGridIntensitySource` needs for `factors.grid = {type: "on-chain", recordAddress,
 * region}`: the gateway passes its chain client, and the config names the record contract.
 *
 * @example
 * ```ts
 * const live = await createGridIntensitySource(config.factors.grid, {
 *   onChain: onChainIntensityReader({ client, chainId }),
 * });
 * ```
 */
export function onChainIntensityReader(parameters: {
  client: PublicClient;
  chainId: number;
  /** Which fulfilling source's records the gateway uses (default 1, the UK Carbon Intensity API). */
  recordSource?: RecordSourceCode;
}): (config: { recordAddress: Address }) => OnChainIntensitySource {
  return (config) =>
    createOnChainIntensitySource({
      client: parameters.client,
      chainId: parameters.chainId,
      address: config.recordAddress,
      recordSource: parameters.recordSource ?? 1,
    });
}
