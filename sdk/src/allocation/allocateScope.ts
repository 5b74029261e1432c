import { apportionByWeights } from "../accounting/apportionByWeights.ts";
import { cutCounterEnergy } from "../accounting/cutCounterEnergy.ts";
import { elementAt as at } from "../accounting/elementAt.ts";
import { hourCutsMs } from "../accounting/hourCutsMs.ts";
import { sortEnergyFlags } from "../accounting/sortEnergyFlags.ts";
import type { EnergyFlag, EnergyPiece } from "../accounting/types.ts";
import { InvalidInputError } from "../errors/index.ts";
import { factorRef } from "../factors/factorRef.ts";
import { allocationRulesSchema } from "./allocationRulesSchema.ts";
import { addInto, sumAmounts, zeroAmounts } from "./internal/amounts.ts";
import { apportionAmounts } from "./internal/apportionAmounts.ts";
import { exactHourEmissions } from "./internal/exactHourEmissions.ts";
import { shareWeights } from "./internal/shareWeights.ts";
import type {
  AllocatedAmounts,
  AllocationChannel,
  AllocationJob,
  AllocationMachine,
  AllocationRules,
  HourAllocation,
  HourFactors,
  JobAllocation,
  ScopeAllocation,
} from "./types.ts";

const HOUR_MS = 3_600_000;

export interface AllocateScopeParameters {
  /** The declared allocation window [startMs, endMs): everything metered in it is accounted for. */
  scope: { startMs: number; endMs: number };
  /** Every machine a job names, with the channels metering it (a machine may have none). */
  machines: readonly AllocationMachine[];
  /** Meters tied to no machine (lighting, compressed air, HVAC): the facility overhead. */
  overheadChannels: readonly AllocationChannel[];
  /** The stopped jobs whose windows meet the scope; each must intersect it. */
  jobs: readonly AllocationJob[];
  /** One entry per clock hour the scope touches. */
  hourFactors: readonly HourFactors[];
  rules: AllocationRules;
}
export type AllocateScopeReturnType = ScopeAllocation;
export type AllocateScopeErrorType = InvalidInputError;

/** One bucket of an hour: a job's share on a machine, a machine's idle energy, or overhead. */
type Bucket =
  | { kind: "job"; job: number; machine: number }
  | { kind: "idle"; machine: number }
  | { kind: "overhead" };

/**
 * Allocates the energy and emissions metered in a scope to production jobs
 * (docs/jobs-and-footprints.md).
 *
 * Energy: each channel of a machine is cut (cutCounterEnergy: the counter
 * interpolated linearly between readings, floored) at every clock hour and at
 * every start and stop of a job on that machine; a piece goes to the jobs
 * running through it, split by the overlap rule by largest remainder, or to
 * the machine's idle energy when none runs. Overhead channels are cut at the
 * hours. Pieces telescope, so everything sums to the meters exactly.
 *
 * Emissions: per method, Σ hour energy × hour factor summed exactly and
 * rounded half to even once, handed back to the hours and then, within each
 * hour, to its buckets (job-on-machine, idle machine, overhead) by energy,
 * all by largest remainder. Idle energy and overhead then go to jobs by the
 * declared share rules, each figure split by the same weights. Nothing is
 * created or lost: Σ jobs' totals + unallocated = metered, exactly, for energy
 * and both emissions figures.
 *
 * @throws {InvalidInputError} naming the field: a bad scope, rule, job window or
 *   units, a job naming an unknown machine or missing the scope, an hour without
 *   factors, bad readings or counter configuration.
 * @example
 * ```ts
 * const result = allocateScope({
 *   scope: { startMs: Date.UTC(2025, 5, 2, 8), endMs: Date.UTC(2025, 5, 2, 10) },
 *   machines: [{ machineId, channels: [{ deviceId, channel: 0, config, readings }] }],
 *   overheadChannels: [],
 *   jobs: [{ jobId, machineIds: [machineId], startMs, stopMs, units: 100n }],
 *   hourFactors, rules: { overlap: "equal", idle: "machine-hours", overhead: "energy" },
 * });
 * result.jobs[0].total.energyMilliWattHours; // bigint mWh
 * ```
 */
export function allocateScope(parameters: AllocateScopeParameters): AllocateScopeReturnType {
  const { scope, machines, overheadChannels, jobs, hourFactors } = parameters;
  const rulesParsed = allocationRulesSchema.safeParse(parameters.rules);
  if (!rulesParsed.success) {
    const issue = rulesParsed.error.issues[0];
    throw new InvalidInputError(`rules.${issue?.path.join(".") ?? ""}`, issue?.message ?? "");
  }
  const rules = rulesParsed.data;
  const hourCuts = hourCutsMs(scope.startMs, scope.endMs);
  const hourCount = hourCuts.length - 1;
  const factors = hourCuts.slice(0, -1).map((cut, index) => {
    const hourStartMs = Math.floor(cut / HOUR_MS) * HOUR_MS;
    const found = hourFactors.find((entry) => entry.hourStartMs === hourStartMs);
    if (found === undefined) {
      throw new InvalidInputError(
        `hourFactors`,
        `no factors for the hour starting ${new Date(hourStartMs).toISOString()} (hour ${index} of the scope)`,
      );
    }
    return found;
  });

  const machineIndex = new Map<string, number>();
  machines.forEach((machine, index) => {
    const key = machine.machineId.toLowerCase();
    if (machineIndex.has(key))
      throw new InvalidInputError(`machines[${index}].machineId`, `${key} is listed twice`);
    machineIndex.set(key, index);
  });
  const seenJobs = new Set<string>();
  const windows = jobs.map((job, index) => {
    const path = `jobs[${index}]`;
    const key = job.jobId.toLowerCase();
    if (seenJobs.has(key)) throw new InvalidInputError(`${path}.jobId`, `${key} is listed twice`);
    seenJobs.add(key);
    if (
      !Number.isSafeInteger(job.startMs) ||
      !Number.isSafeInteger(job.stopMs) ||
      job.stopMs <= job.startMs
    ) {
      throw new InvalidInputError(
        `${path}.stopMs`,
        `[${job.startMs}, ${job.stopMs}) is not a half-open window (stop must be after start)`,
      );
    }
    if (job.units <= 0n)
      throw new InvalidInputError(`${path}.units`, `must be positive, got ${job.units}`);
    if (job.machineIds.length === 0)
      throw new InvalidInputError(`${path}.machineIds`, "names no machine");
    const machineSet = new Set<number>();
    job.machineIds.forEach((machineId, machineNumber) => {
      const found = machineIndex.get(machineId.toLowerCase());
      if (found === undefined) {
        throw new InvalidInputError(
          `${path}.machineIds[${machineNumber}]`,
          `${machineId} is not one of the scope's machines`,
        );
      }
      machineSet.add(found);
    });
    const startMs = Math.max(job.startMs, scope.startMs);
    const endMs = Math.min(job.stopMs, scope.endMs);
    if (endMs <= startMs) {
      throw new InvalidInputError(
        path,
        `the job [${job.startMs}, ${job.stopMs}) does not meet the scope [${scope.startMs}, ${scope.endMs})`,
      );
    }
    return { startMs, endMs, machines: [...machineSet].sort((a, b) => a - b) };
  });

  // Energy buckets per hour; bucket keys are stable strings so the emission split is deterministic.
  const buckets: Bucket[] = [];
  const bucketKey = new Map<string, number>();
  const bucketOf = (bucket: Bucket): number => {
    const key =
      bucket.kind === "job"
        ? `j${bucket.job}/${bucket.machine}`
        : bucket.kind === "idle"
          ? `i${bucket.machine}`
          : "o";
    let index = bucketKey.get(key);
    if (index === undefined) {
      index = buckets.length;
      buckets.push(bucket);
      bucketKey.set(key, index);
    }
    return index;
  };
  const energyByHour: bigint[][] = Array.from({ length: hourCount }, () => []);
  const addEnergy = (hour: number, bucket: number, energy: bigint) => {
    const row = energyByHour[hour] ?? [];
    row[bucket] = (row[bucket] ?? 0n) + energy;
    energyByHour[hour] = row;
  };
  const flags = new Set<EnergyFlag>();
  const hourOf = (piece: EnergyPiece): number => {
    for (let hour = 0; hour < hourCount; hour++) {
      if ((hourCuts[hour] ?? 0) <= piece.startMs && piece.endMs <= (hourCuts[hour + 1] ?? 0))
        return hour;
    }
    throw new InvalidInputError("scope", `piece [${piece.startMs}, ${piece.endMs}) spans hours`);
  };
  const cutChannel = (channel: AllocationChannel, cutsMs: number[], path: string) => {
    try {
      const result = cutCounterEnergy({
        readings: channel.readings,
        config: channel.config,
        cutsMs,
        // The scope is closed: a boundary with no reading after it is held (flagged), never awaited.
        nowMs: Number.MAX_SAFE_INTEGER,
        graceMs: 0,
      });
      if (result.status !== "complete") throw new InvalidInputError(path, "incomplete");
      for (const piece of result.pieces) for (const flag of piece.flags.imported) flags.add(flag);
      return result.pieces;
    } catch (error) {
      if (error instanceof InvalidInputError && !error.path.startsWith(path)) {
        throw new InvalidInputError(`${path}.${error.path}`, error.shortMessage, {
          details: error.details,
          hints: error.hints,
        });
      }
      throw error;
    }
  };

  machines.forEach((machine, machineNumber) => {
    const onMachine = windows
      .map((window, job) => ({ ...window, job }))
      .filter((window) => window.machines.includes(machineNumber));
    const cutSet = new Set<number>(hourCuts);
    for (const window of onMachine) {
      cutSet.add(window.startMs);
      cutSet.add(window.endMs);
    }
    const cutsMs = [...cutSet].sort((a, b) => a - b);
    machine.channels.forEach((channel, channelNumber) => {
      const pieces = cutChannel(
        channel,
        cutsMs,
        `machines[${machineNumber}].channels[${channelNumber}]`,
      );
      for (const piece of pieces) {
        const hour = hourOf(piece);
        const running = onMachine.filter(
          (window) => window.startMs <= piece.startMs && piece.endMs <= window.endMs,
        );
        const energy = piece.energyImportedMilliWattHours;
        if (running.length === 0) {
          addEnergy(hour, bucketOf({ kind: "idle", machine: machineNumber }), energy);
          continue;
        }
        const weights = running.map((window) =>
          rules.overlap === "units" ? (jobs[window.job]?.units ?? 0n) : 1n,
        );
        const shares = apportionByWeights(energy, weights);
        running.forEach((window, index) => {
          addEnergy(
            hour,
            bucketOf({ kind: "job", job: window.job, machine: machineNumber }),
            shares[index] ?? 0n,
          );
        });
      }
    });
  });
  overheadChannels.forEach((channel, channelNumber) => {
    for (const piece of cutChannel(channel, hourCuts, `overheadChannels[${channelNumber}]`)) {
      addEnergy(hourOf(piece), bucketOf({ kind: "overhead" }), piece.energyImportedMilliWattHours);
    }
  });

  // Emissions: per hour for the scope, then per bucket within each hour.
  const hourEnergy = energyByHour.map((row) => row.reduce((sum, value) => sum + value, 0n));
  const location = exactHourEmissions(
    hourEnergy.map((energy, hour) => ({
      energyMilliWattHours: energy,
      factor: at(factors, hour).location,
    })),
  );
  const market = exactHourEmissions(
    hourEnergy.map((energy, hour) => ({
      energyMilliWattHours: energy,
      factor: at(factors, hour).market,
    })),
  );
  const bucketAmounts: AllocatedAmounts[] = buckets.map(() => zeroAmounts());
  energyByHour.forEach((row, hour) => {
    const weights = buckets.map((_, bucket) => row[bucket] ?? 0n);
    const loc = apportionByWeights(location.perHour[hour] ?? 0n, weights);
    const mkt = apportionByWeights(market.perHour[hour] ?? 0n, weights);
    weights.forEach((energy, bucket) => {
      addInto(at(bucketAmounts, bucket), {
        energyMilliWattHours: energy,
        emissionsLocationMilligramsCo2e: loc[bucket] ?? 0n,
        emissionsMarketMilligramsCo2e: mkt[bucket] ?? 0n,
      });
    });
  });

  const jobDirect = jobs.map(() => zeroAmounts());
  const jobOnMachine = jobs.map(() => machines.map(() => zeroAmounts()));
  const machineIdle = machines.map(() => zeroAmounts());
  const overheadMetered = zeroAmounts();
  buckets.forEach((bucket, index) => {
    const amounts = at(bucketAmounts, index);
    if (bucket.kind === "job") {
      addInto(at(jobDirect, bucket.job), amounts);
      addInto(at(at(jobOnMachine, bucket.job), bucket.machine), amounts);
    } else if (bucket.kind === "idle") {
      addInto(at(machineIdle, bucket.machine), amounts);
    } else addInto(overheadMetered, amounts);
  });

  const jobIdle = jobs.map(() => zeroAmounts());
  const jobOverhead = jobs.map(() => zeroAmounts());
  const durationOf = (job: number) => {
    const window = windows[job];
    return window === undefined ? 0n : BigInt(window.endMs - window.startMs);
  };
  const machineResults = machines.map((machine, machineNumber) => {
    const idle = at(machineIdle, machineNumber);
    const recipients = windows
      .map((window, job) => ({ window, job }))
      .filter(({ window }) => window.machines.includes(machineNumber));
    const weights = shareWeights(
      rules.idle,
      recipients.map(({ job }) => ({
        energyMilliWattHours: at(at(jobOnMachine, job), machineNumber).energyMilliWattHours,
        machineMs: durationOf(job),
        units: jobs[job]?.units ?? 0n,
      })),
    );
    const shares = weights === undefined ? undefined : apportionAmounts(idle, weights);
    if (shares !== undefined) {
      recipients.forEach(({ job }, index) => addInto(at(jobIdle, job), at(shares, index)));
    }
    const metered = sumAmounts(
      idle,
      ...jobOnMachine.map((perMachine) => at(perMachine, machineNumber)),
    );
    return {
      machineId: machine.machineId,
      metered,
      idle,
      idleUnallocated: shares === undefined ? sumAmounts(idle) : zeroAmounts(),
    };
  });

  const overheadWeights = shareWeights(
    rules.overhead,
    jobs.map((job, index) => ({
      energyMilliWattHours: at(jobDirect, index).energyMilliWattHours,
      machineMs: durationOf(index) * BigInt(windows[index]?.machines.length ?? 0),
      units: job.units,
    })),
  );
  const overheadShares =
    overheadWeights === undefined ? undefined : apportionAmounts(overheadMetered, overheadWeights);
  if (overheadShares !== undefined) {
    jobs.forEach((_, index) => addInto(at(jobOverhead, index), at(overheadShares, index)));
  }
  const overheadUnallocated =
    overheadShares === undefined ? sumAmounts(overheadMetered) : zeroAmounts();

  const jobResults: JobAllocation[] = jobs.map((job, index) => {
    const window = at(windows, index);
    const direct = at(jobDirect, index);
    const idle = at(jobIdle, index);
    const overhead = at(jobOverhead, index);
    return {
      jobId: job.jobId,
      inScope: { startMs: window.startMs, endMs: window.endMs },
      machineMs: durationOf(index) * BigInt(window.machines.length),
      direct,
      idle,
      overhead,
      total: sumAmounts(direct, idle, overhead),
    };
  });
  const hours: HourAllocation[] = hourEnergy.map((energy, hour) => {
    const hourFactor = at(factors, hour);
    return {
      startMs: at(hourCuts, hour),
      endMs: at(hourCuts, hour + 1),
      energyMilliWattHours: energy,
      emissionsLocationMilligramsCo2e: location.perHour[hour] ?? 0n,
      emissionsMarketMilligramsCo2e: market.perHour[hour] ?? 0n,
      locationFactorRef: factorRef(hourFactor.location),
      marketFactorRef: factorRef(hourFactor.market),
    };
  });
  return {
    metered: {
      energyMilliWattHours: hourEnergy.reduce((sum, value) => sum + value, 0n),
      emissionsLocationMilligramsCo2e: location.total,
      emissionsMarketMilligramsCo2e: market.total,
    },
    hours,
    machines: machineResults,
    overhead: { metered: overheadMetered, unallocated: overheadUnallocated },
    jobs: jobResults,
    unallocated: sumAmounts(
      overheadUnallocated,
      ...machineResults.map((machine) => machine.idleUnallocated),
    ),
    flags: sortEnergyFlags(flags),
  };
}
