import snmp from "net-snmp";
import type { Mib, MibRequest } from "net-snmp";
import {
  APC_RPDU2_OIDS,
  RARITAN_PDU2_OIDS,
  RARITAN_SENSOR_TYPE,
} from "@energy-intelligence/sdk/protocols/snmp/snmpPduOids";
import type { SnmpPduProfile } from "@energy-intelligence/sdk/protocols/snmp/snmpPduOids";
import { freeLoopbackPort } from "./freeLoopbackPort.ts";
import { startUsmFront } from "./startUsmFront.ts";

export interface SnmpPduSimulatorOptions {
  profile: SnmpPduProfile;
  /** Power per outlet, W; the PDU total is their sum. Counters advance with it. */
  outletWatts?: readonly number[];
  /** Starting energy per outlet, Wh (the PDU total starts at their sum). */
  outletStartWattHours?: readonly number[];
  community?: string;
  /** An SNMPv3 authPriv user (SHA + AES), for v3 tests. */
  v3User?: { name: string; authKey: string; privKey: string };
  now?: () => number;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
}

export interface SnmpPduSimulator {
  host: string;
  port: number;
  close(): Promise<void>;
}

const column = (oid: string): { entry: string; number: number } => {
  const parts = oid.split(".");
  return { entry: parts.slice(0, -1).join("."), number: Number(parts.at(-1)) };
};

/**
 * An SNMP v2c (and optionally v3) agent on 127.0.0.1 and a free UDP port
 * serving either APC PowerNet-MIB rPDU2 device/outlet status rows or Raritan
 * PDU2-MIB inlet/outlet sensor measurements with their decimal digits, in
 * the units and types those MIBs declare (see sdk snmpPduOids). Energy
 * counters advance with the configured outlet power on every request, in
 * the MIB's own resolution (APC 0.1 kWh, Raritan 1 Wh).
 *
 * @example
 * ```ts
 * const sim = await startSnmpPduSimulator({ profile: "apc-rpdu2", outletWatts: [120, 300] });
 * ```
 */
export async function startSnmpPduSimulator(
  options: SnmpPduSimulatorOptions,
): Promise<SnmpPduSimulator> {
  const now = options.now ?? Date.now;
  const started = now();
  const watts = options.outletWatts ?? [150, 420, 0];
  const startWh = options.outletStartWattHours ?? watts.map((_, i) => 10_000 * (i + 1));
  const outletWh = (i: number): number =>
    Math.floor((startWh[i] ?? 0) + ((watts[i] ?? 0) * (now() - started)) / 3_600_000);
  const totalWh = (): number => watts.reduce((sum, _, i) => sum + outletWh(i), 0);
  const totalW = watts.reduce((a, b) => a + b, 0);

  const port = options.port ?? (await freeLoopbackPort());
  // With a v3 user, a front on the public port answers wrong digests with a
  // report as real agents do, and hands everything else to the agent.
  const agentPort = options.v3User === undefined ? port : await freeLoopbackPort();
  const agent = snmp.createAgent(
    { port: agentPort, address: "127.0.0.1", disableAuthorization: false },
    () => undefined, // request errors are the client's to see
  );
  agent.getAuthorizer().addCommunity(options.community ?? "ei-sim");
  if (options.v3User !== undefined) {
    agent.getAuthorizer().addUser({
      name: options.v3User.name,
      level: snmp.SecurityLevel.authPriv,
      authProtocol: snmp.AuthProtocols.sha,
      authKey: options.v3User.authKey,
      privProtocol: snmp.PrivProtocols.aes,
      privKey: options.v3User.privKey,
    });
  }
  const mib: Mib = agent.getMib();
  const ro = snmp.MaxAccess["read-only"];
  const hidden = snmp.MaxAccess["not-accessible"];
  let refresh: () => void = () => undefined;
  const handler = (request: MibRequest): void => {
    refresh();
    request.done();
  };

  if (options.profile === "apc-rpdu2") {
    const device = column(APC_RPDU2_OIDS.deviceStatusEnergy);
    mib.registerProvider({
      name: "rPDU2DeviceStatusTable",
      type: snmp.MibProviderType.Table,
      oid: device.entry,
      maxAccess: hidden,
      tableColumns: [
        { number: 1, name: "rPDU2DeviceStatusIndex", type: snmp.ObjectType.Integer, maxAccess: ro },
        { number: 5, name: "rPDU2DeviceStatusPower", type: snmp.ObjectType.Integer, maxAccess: ro },
        {
          number: 9,
          name: "rPDU2DeviceStatusEnergy",
          type: snmp.ObjectType.Integer,
          maxAccess: ro,
        },
      ],
      tableIndex: [{ columnName: "rPDU2DeviceStatusIndex" }],
      handler,
    });
    mib.addTableRow("rPDU2DeviceStatusTable", [
      1,
      Math.round(totalW / 10),
      Math.floor(totalWh() / 100),
    ]);
    const outlet = column(APC_RPDU2_OIDS.outletMeteredStatusEnergy);
    mib.registerProvider({
      name: "rPDU2OutletMeteredStatusTable",
      type: snmp.MibProviderType.Table,
      oid: outlet.entry,
      maxAccess: hidden,
      tableColumns: [
        {
          number: 1,
          name: "rPDU2OutletMeteredStatusIndex",
          type: snmp.ObjectType.Integer,
          maxAccess: ro,
        },
        {
          number: 6,
          name: "rPDU2OutletMeteredStatusCurrent",
          type: snmp.ObjectType.Integer,
          maxAccess: ro,
        },
        {
          number: 7,
          name: "rPDU2OutletMeteredStatusPower",
          type: snmp.ObjectType.Integer,
          maxAccess: ro,
        },
        {
          number: 11,
          name: "rPDU2OutletMeteredStatusEnergy",
          type: snmp.ObjectType.Integer,
          maxAccess: ro,
        },
      ],
      tableIndex: [{ columnName: "rPDU2OutletMeteredStatusIndex" }],
      handler,
    });
    watts.forEach((w, i) => {
      mib.addTableRow("rPDU2OutletMeteredStatusTable", [i + 1, Math.round(w / 23), w, 0]);
    });
    refresh = () => {
      // Tenths of kWh = hundreds of Wh, truncated as a meter's register is.
      mib.setTableSingleCell("rPDU2DeviceStatusTable", 9, [1], Math.floor(totalWh() / 100));
      watts.forEach((_, i) => {
        mib.setTableSingleCell(
          "rPDU2OutletMeteredStatusTable",
          11,
          [i + 1],
          Math.floor(outletWh(i) / 100),
        );
      });
    };
  } else {
    const tables = [
      ["inletSensorMeasurementsTable", column(RARITAN_PDU2_OIDS.measurementsInletSensorValue)],
      ["inletSensorConfigurationTable", column(RARITAN_PDU2_OIDS.inletSensorDecimalDigits)],
      ["outletSensorMeasurementsTable", column(RARITAN_PDU2_OIDS.measurementsOutletSensorValue)],
      ["outletSensorConfigurationTable", column(RARITAN_PDU2_OIDS.outletSensorDecimalDigits)],
    ] as const;
    for (const [name, { entry, number }] of tables) {
      // Index columns numbered 101–103 so they cannot collide with the MIB's real columns.
      mib.registerProvider({
        name,
        type: snmp.MibProviderType.Table,
        oid: entry,
        maxAccess: hidden,
        tableColumns: [
          { number: 101, name: `${name}PduId`, type: snmp.ObjectType.Integer, maxAccess: hidden },
          {
            number: 102,
            name: `${name}EntityId`,
            type: snmp.ObjectType.Integer,
            maxAccess: hidden,
          },
          {
            number: 103,
            name: `${name}SensorType`,
            type: snmp.ObjectType.Integer,
            maxAccess: hidden,
          },
          { number, name: `${name}Value`, type: snmp.ObjectType.Gauge, maxAccess: ro },
        ],
        tableIndex: [
          { columnName: `${name}PduId` },
          { columnName: `${name}EntityId` },
          { columnName: `${name}SensorType` },
        ],
        handler,
      });
    }
    const t = RARITAN_SENSOR_TYPE;
    // Inlet: 230.1 V with 1 decimal, power in W (0 decimals), energy in Wh (0), current with 3 decimals.
    const inlet: [number, number, number][] = [
      [t.rmsVoltage, 2301, 1],
      [t.activePower, totalW, 0],
      [t.activeEnergy, totalWh(), 0],
      [t.rmsCurrent, Math.round((totalW / 230.1) * 1000), 3],
    ];
    for (const [sensor, value, digits] of inlet) {
      mib.addTableRow("inletSensorMeasurementsTable", [1, 1, sensor, value]);
      mib.addTableRow("inletSensorConfigurationTable", [1, 1, sensor, digits]);
    }
    watts.forEach((w, i) => {
      for (const [sensor, value, digits] of [
        [t.activePower, w, 0],
        [t.activeEnergy, outletWh(i), 0],
      ] as const) {
        mib.addTableRow("outletSensorMeasurementsTable", [1, i + 1, sensor, value]);
        mib.addTableRow("outletSensorConfigurationTable", [1, i + 1, sensor, digits]);
      }
    });
    refresh = () => {
      mib.setTableSingleCell("inletSensorMeasurementsTable", 4, [1, 1, t.activeEnergy], totalWh());
      watts.forEach((_, i) => {
        mib.setTableSingleCell(
          "outletSensorMeasurementsTable",
          4,
          [1, i + 1, t.activeEnergy],
          outletWh(i),
        );
      });
    };
  }

  const front =
    options.v3User === undefined
      ? undefined
      : await startUsmFront({
          port,
          agentPort,
          user: { name: options.v3User.name, hash: "sha1", authKey: options.v3User.authKey },
        });
  return {
    host: "127.0.0.1",
    port,
    close: async () => {
      await front?.close();
      await new Promise<void>((resolve) => {
        agent.close(() => {
          resolve();
        });
      });
    },
  };
}
