import type { Database } from "better-sqlite3";
import { AdapterReadingStateQueries } from "@energy-intelligence/oracle/store/adapterReadingStateQueries";
import { DevicesRepository } from "@energy-intelligence/oracle/store/devicesRepository";

/**
 * Where a signing monitor's series stands in the gateway's store: the next sequence and each
 * phase's imported counter (mWh). A resumed demo starts its simulated monitor from here, as a real
 * monitor keeps both in non-volatile memory; starting again from zero would have every message
 * refused (a sequence already seen, then a counter that fell). Undefined when nothing is stored.
 */
export function readSignedMonitorState(
  db: Database,
  monitor: { deviceId: `0x${string}`; phases: number },
): { nextSequence: number; energyMilliWattHours: bigint[] } | undefined {
  const device = new DevicesRepository(db).get(monitor.deviceId);
  if (device === undefined) return undefined;
  const state = new AdapterReadingStateQueries(db).deviceState(device.deviceRef);
  if (state.maxSequence < 0) return undefined;
  return {
    nextSequence: state.maxSequence + 1,
    energyMilliWattHours: Array.from(
      { length: monitor.phases },
      (_, phase) => state.channels.get(phase)?.importedMilliWattHours ?? 0n,
    ),
  };
}
