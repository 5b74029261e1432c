/**
 * `npm run bench -- adapter-polling`: what one poll of one device costs the
 * gateway, per protocol, against that protocol's simulator on loopback:
 * wall time per poll and gateway CPU time per poll (process.cpuUsage over
 * the run, which includes the in-process simulator, so it is an upper
 * bound). CPU per poll × devices ÷ interval is the share of a core polling
 * takes. Baseline: one bare Modbus read of two registers on the same link.
 * The SNMP simulator has a v3 user, so both SNMP lines go through its USM
 * front (one more loopback hop each way than a bare agent).
 */
import { metric } from "../../../scripts/bench/types.ts";
import type { BenchmarkDefinition, BenchMetric } from "../../../scripts/bench/types.ts";
import {
  EASTRON_SDM630_MAP,
  parseModbusRegisterMap,
} from "@energy-intelligence/sdk/protocols/index";
import { startModbusMeterSimulator } from "../sim/protocols/startModbusMeterSimulator.ts";
import { startRedfishPduSimulator } from "../sim/protocols/startRedfishPduSimulator.ts";
import { startSnmpPduSimulator } from "../sim/protocols/startSnmpPduSimulator.ts";
import { startSunSpecModbusSimulator } from "../sim/protocols/startSunSpecModbusSimulator.ts";
import { ModbusConnection } from "./modbusConnection.ts";
import { createModbusPoller } from "./modbusPoller.ts";
import type { DevicePoller } from "./pollScheduler.ts";
import { createRedfishPoller } from "./redfishPoller.ts";
import { createSnmpPoller } from "./snmpPoller.ts";
import { createSunSpecPoller } from "./sunspecPoller.ts";

const POLLS = 300;

async function measure(poll: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  for (let i = 0; i < 20; i++) await poll(); // connections, sessions, JIT
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < POLLS; i++) await poll();
  const wallMs = (performance.now() - started) / POLLS;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 / POLLS };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

const definition: BenchmarkDefinition = {
  name: "adapter-polling",
  description: "cost of one device poll per protocol (SunSpec, Modbus, SNMP, Redfish) on loopback",
  run: async (context) => {
    const map = parseModbusRegisterMap(EASTRON_SDM630_MAP);
    const sunspecSim = await startSunSpecModbusSimulator();
    const modbusSim = await startModbusMeterSimulator({ map });
    const snmpSim = await startSnmpPduSimulator({
      profile: "apc-rpdu2",
      outletWatts: Array.from({ length: 24 }, () => 150),
      community: "ei-read",
      v3User: { name: "ei-bench", authKey: "bench-auth-key", privKey: "bench-priv-key" },
    });
    const redfishSim = await startRedfishPduSimulator({
      outletWatts: Array.from({ length: 24 }, () => 150),
    });
    const pollers: [string, DevicePoller][] = [
      [
        "sunspec poll (walk models 1+103, decode)",
        createSunSpecPoller({
          host: sunspecSim.host,
          port: sunspecSim.port,
          unitId: 1,
          timeoutMs: 2000,
        }),
      ],
      [
        "modbus sdm630 poll (planned reads, decode)",
        createModbusPoller({
          endpoint: { transport: "tcp", host: modbusSim.host, port: modbusSim.port },
          unitId: 1,
          map,
          timeoutMs: 2000,
          label: "bench",
        }),
      ],
      [
        "snmp apc-rpdu2 poll (24 outlets, v2c walk)",
        createSnmpPoller({
          host: snmpSim.host,
          port: snmpSim.port,
          profile: "apc-rpdu2",
          credentials: { version: "v2c", community: "ei-read" },
          timeoutMs: 2000,
          label: "bench",
        }),
      ],
      [
        "snmp apc-rpdu2 poll (24 outlets, v3 authPriv SHA/AES walk)",
        createSnmpPoller({
          host: snmpSim.host,
          port: snmpSim.port,
          profile: "apc-rpdu2",
          credentials: {
            version: "v3",
            user: "ei-bench",
            authProtocol: "sha",
            authKey: "bench-auth-key",
            privProtocol: "aes",
            privKey: "bench-priv-key",
          },
          timeoutMs: 2000,
          label: "bench",
        }),
      ],
      [
        "redfish poll (24 outlets, session)",
        createRedfishPoller({
          url: redfishSim.url,
          pduId: "1",
          mode: "session",
          userName: "ei-reader",
          password: "ei-reader-password",
        }),
      ],
    ];
    const metrics: BenchMetric[] = [];
    try {
      const bare = new ModbusConnection(
        { transport: "tcp", host: modbusSim.host, port: modbusSim.port },
        2000,
      );
      const baseline = await measure(async () => (await bare.client(1)).readInputRegisters(0, 2));
      await bare.reset();
      for (const [name, poller] of pollers) {
        context.progress(name);
        const cost = await measure(() => poller.poll(AbortSignal.timeout(5000)));
        await poller.close();
        metrics.push(
          metric(`${name} wall`, round(cost.wallMs), "ms/poll", {
            name: "one bare Modbus read",
            value: round(baseline.wallMs),
          }),
          metric(`${name} cpu`, round(cost.cpuMs), "cpu-ms/poll", {
            name: "one bare Modbus read",
            value: round(baseline.cpuMs),
          }),
        );
      }
    } finally {
      await Promise.all([
        sunspecSim.close(),
        modbusSim.close(),
        snmpSim.close(),
        redfishSim.close(),
      ]);
    }
    return metrics;
  },
};

export default definition;
