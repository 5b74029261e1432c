import type { Hex } from "viem";
import type { CounterChannelConfig, CounterReading, EnergyFlag } from "../accounting/types.ts";
import type { EmissionFactorRecord } from "../factors/types.ts";

/** One metered device channel with its declared counter behaviour and its readings (sorted). */
export interface AllocationChannel {
  deviceId: Hex;
  channel: number;
  config: CounterChannelConfig;
  /** From the last reading at or before the scope start to the first at or after its end. */
  readings: readonly CounterReading[];
}

/** A machine and the channels that meter it (devices registered with this machine id). */
export interface AllocationMachine {
  machineId: Hex;
  channels: readonly AllocationChannel[];
}

/** A stopped production job: the half-open window [startMs, stopMs) on its machines. */
export interface AllocationJob {
  jobId: Hex;
  machineIds: readonly Hex[];
  startMs: number;
  stopMs: number;
  /** Units produced (positive). */
  units: bigint;
}

/**
 * The emission factors of one clock hour of the scope, as the containers
 * covering that hour used them (their `hours[].locationFactorRef` and
 * `marketFactorRef`). The market factor is taken as given: how it is chosen
 * (instruments, residual mix) is the accounting module's business.
 */
export interface HourFactors {
  /** The clock hour's start (UTC, a multiple of 3 600 000). */
  hourStartMs: number;
  location: EmissionFactorRecord;
  market: EmissionFactorRecord;
}

/**
 * How the energy of a machine shared by overlapping jobs is split:
 * `equal` — in equal parts; `units` — in proportion to the jobs' units.
 */
export type OverlapRule = "equal" | "units";

/**
 * How idle energy of a machine (no job running) and facility overhead (meters
 * tied to no machine) reach jobs:
 * `energy` — in proportion to the jobs' direct energy (on that machine, for idle);
 * `machine-hours` — in proportion to the jobs' running time (on that machine, for idle;
 *   summed over their machines, for overhead);
 * `units` — in proportion to the jobs' units;
 * `none` — not allocated (reported as unallocated).
 */
export type ShareRule = "energy" | "machine-hours" | "units" | "none";

export interface AllocationRules {
  overlap: OverlapRule;
  idle: ShareRule;
  overhead: ShareRule;
}

/** Energy in integer mWh and emissions in integer mg CO2e, both methods. */
export interface AllocatedAmounts {
  energyMilliWattHours: bigint;
  emissionsLocationMilligramsCo2e: bigint;
  emissionsMarketMilligramsCo2e: bigint;
}

export interface JobAllocation {
  jobId: Hex;
  /** The job's window clipped to the scope. */
  inScope: { startMs: number; endMs: number };
  /** Σ over the job's machines of its running time inside the scope, in ms (the machine-hours weight). */
  machineMs: bigint;
  /** Energy its machines drew while it ran (its share where jobs overlapped). */
  direct: AllocatedAmounts;
  /** Its share of its machines' idle energy. */
  idle: AllocatedAmounts;
  /** Its share of the facility overhead. */
  overhead: AllocatedAmounts;
  /** direct + idle + overhead. */
  total: AllocatedAmounts;
}

export interface MachineAllocation {
  machineId: Hex;
  /** Everything the machine's channels metered inside the scope. */
  metered: AllocatedAmounts;
  /** The part drawn while no job ran on it. */
  idle: AllocatedAmounts;
  /** The part of `idle` no job received (rule `none`, or no job ran on the machine). */
  idleUnallocated: AllocatedAmounts;
}

export interface HourAllocation {
  startMs: number;
  endMs: number;
  energyMilliWattHours: bigint;
  emissionsLocationMilligramsCo2e: bigint;
  emissionsMarketMilligramsCo2e: bigint;
  locationFactorRef: Hex;
  marketFactorRef: Hex;
}

export interface ScopeAllocation {
  /** Everything metered in the scope: Σ machines + overhead. */
  metered: AllocatedAmounts;
  hours: HourAllocation[];
  machines: MachineAllocation[];
  overhead: { metered: AllocatedAmounts; unallocated: AllocatedAmounts };
  /** In the order given. */
  jobs: JobAllocation[];
  /** Σ idle not allocated + overhead not allocated; with Σ jobs' totals it equals `metered` exactly. */
  unallocated: AllocatedAmounts;
  /** Union of the energy flags of every channel piece (accounting vocabulary, fixed order). */
  flags: EnergyFlag[];
}
