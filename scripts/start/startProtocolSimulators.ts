import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AdapterConfigInput } from "@energy-intelligence/oracle/adapters/adaptersConfigSchema";
import { DEMO_DEVICES } from "./demoFactory.ts";

/**
 * The factory's metering hardware that the gateway polls or reads from a
 * stream, each simulated by the protocol simulator of `ei sim` on 127.0.0.1:
 * the utility's DSMR P1 meter behind a ser2net-style bridge, a Raritan PDU
 * over SNMP v2c, and a SunSpec PV inverter over Modbus TCP. They have to
 * listen before the gateway starts, since their addresses go into its config.
 */
export interface PolledDevices {
  /** The gateway's `adapters` entries for these devices. */
  adapters: AdapterConfigInput[];
  close(): Promise<void>;
}

/** Poll every 2 s: several readings per 10 s container, as a production site would per period. */
const SCHEDULE = { intervalMs: 2000, timeoutMs: 1500, retries: 1, backoffMs: 200 } as const;

export async function startPolledDevices(parameters: {
  /** Where the PDU's community file goes (a secret file, as in production). */
  secretsDir: string;
}): Promise<PolledDevices> {
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closeOne of closers.reverse()) await closeOne().catch(() => undefined);
  };
  try {
    const { startP1TcpSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startP1TcpSimulator");
    const { startSnmpPduSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startSnmpPduSimulator");
    const { startSunSpecModbusSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startSunSpecModbusSimulator");

    // DSMR 5 sends a telegram every second; the site draws ~14 kW and exports a little at noon.
    const p1 = await startP1TcpSimulator({
      intervalMs: 1000,
      powerImportMilliWatts: 14_000_000,
      powerExportMilliWatts: 0,
      startImportMilliWattHours: 123_456_000_000n,
    });
    closers.push(() => p1.close());

    const community = "ei-demo-read";
    await mkdir(parameters.secretsDir, { recursive: true });
    const communityFile = path.join(parameters.secretsDir, "pdu-community");
    await writeFile(communityFile, community, { mode: 0o600 });
    // Raritan counts whole Wh (APC counts 0.1 kWh, too coarse for 10 s containers).
    const pdu = await startSnmpPduSimulator({
      profile: "raritan-pdu2",
      community,
      outletWatts: [420, 380, 610],
    });
    closers.push(() => pdu.close());

    const sunspec = await startSunSpecModbusSimulator({
      inverterWatts: 6_500,
      meterWatts: 0,
      inverterStartWattHours: 8_200_000,
    });
    closers.push(() => sunspec.close());

    return {
      adapters: [
        {
          kind: "dsmr",
          name: "main-meter-p1",
          deviceId: DEMO_DEVICES.mainMeter.deviceId,
          source: { transport: "tcp", host: p1.host, port: p1.port },
          silentAfterMs: 10_000,
        },
        {
          kind: "snmp",
          name: "it-rack-pdu",
          deviceId: DEMO_DEVICES.rackPdu.deviceId,
          host: pdu.host,
          port: pdu.port,
          profile: "raritan-pdu2",
          auth: { version: "v2c", communityFile },
          schedule: SCHEDULE,
        },
        {
          kind: "sunspec",
          name: "pv-inverter",
          deviceId: DEMO_DEVICES.pvInverter.deviceId,
          host: sunspec.host,
          port: sunspec.port,
          unitId: sunspec.inverterUnitId,
          schedule: SCHEDULE,
        },
      ],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A machine's CT-clamp monitor whose load follows the production schedule. */
export interface EmonMonitor {
  /** Sets the load per CT (W), read at every frame. */
  setWatts(watts: readonly number[]): void;
  close(): Promise<void>;
}

/**
 * An emonTx publishing through emonhub's MQTT interfacer (`emon/<node>/<key>`)
 * to the gateway's broker, a frame every `intervalMs`. Started once the
 * gateway's broker listens.
 */
export async function startEmonMonitor(parameters: {
  mqttUrl: string;
  node: string;
  watts: readonly number[];
  startWattHours: readonly number[];
  intervalMs: number;
}): Promise<EmonMonitor> {
  const { startEmonSimulator } =
    await import("@energy-intelligence/oracle/sim/protocols/startEmonSimulator");
  // The simulator reads this array at every frame, so changing it changes the load it measures.
  const watts = [...parameters.watts];
  const threePhase = watts.length === 3;
  const sim = await startEmonSimulator({
    transport: { kind: "mqtt", url: parameters.mqttUrl },
    node: parameters.node,
    watts,
    ...(threePhase ? { threePhaseVolts: [231.2, 230.4, 229.8] as const } : { volts: 230.6 }),
    startWattHours: parameters.startWattHours,
    intervalMs: parameters.intervalMs,
  });
  return {
    setWatts(next) {
      next.forEach((value, index) => {
        if (index < watts.length) watts[index] = value;
      });
    },
    close: () => sim.close(),
  };
}

/** The emon adapter entry for a monitor with `inputs` CTs on one machine. */
export function emonAdapter(parameters: {
  name: string;
  deviceId: `0x${string}`;
  node: string;
  inputs: 1 | 3;
}): AdapterConfigInput {
  const phases = ["L1", "L2", "L3"] as const;
  return {
    kind: "emon",
    name: parameters.name,
    deviceId: parameters.deviceId,
    voltageReference: true,
    source: { transport: "mqtt", node: parameters.node, frameQuietMs: 100 },
    channels: Array.from({ length: parameters.inputs }, (_, index) => ({
      input: index + 1,
      channel: index,
      phase: phases[index] ?? "L1",
    })),
    silentAfterMs: 10_000,
  };
}
