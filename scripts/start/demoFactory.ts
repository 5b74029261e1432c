import { keccak256, stringToHex, type Hex } from "viem";

/** A demo id from a readable label (`ei-demo/...`), so logs and queries are easy to follow. */
export function demoId(label: string): Hex {
  return keccak256(stringToHex(`ei-demo/${label}`));
}

export const DEMO_SITE_ID = demoId("site/1");
export const DEMO_SITE_NAME = "Energy-Intelligence demo factory";
/** The operator phone allowed to text job stamps (a reserved fictional number). */
export const DEMO_PHONE = "+15555550100";

/**
 * The machines of the demo factory. Production machines run jobs; the
 * incomer and the PV array are registered as machines of their own (not the
 * zero machine) so that their energy is anchored but never allocated to a lot:
 * the main meter already contains every machine, and the inverter generates.
 */
export const DEMO_MACHINES = {
  cnc: { machineId: demoId("machine/cnc-mill-1"), name: "CNC mill 1" },
  molder: { machineId: demoId("machine/injection-molder-1"), name: "Injection molder 1" },
  compressor: { machineId: demoId("machine/compressor"), name: "Compressor" },
  incomer: { machineId: demoId("machine/main-incomer"), name: "Main incomer" },
  pv: { machineId: demoId("machine/rooftop-pv"), name: "Rooftop PV" },
} as const;

/** Facility overhead (IT rack on a PDU) belongs to no machine: the zero machine id. */
export const OVERHEAD_MACHINE_ID: Hex = `0x${"00".repeat(32)}`;

export const DEMO_PRODUCTS = [
  {
    productId: demoId("product/brk-a"),
    sku: "BRK-A",
    name: "Steel bracket A",
    cpcCode: "42999",
    /** Made on the CNC mill, stamped through the web2 API (an MES). */
    machine: "cnc",
  },
  {
    productId: demoId("product/hsg-200"),
    sku: "HSG-200",
    name: "Pump housing 200",
    cpcCode: "36990",
    /** Made on the injection molder, stamped by the operator's text messages. */
    machine: "molder",
  },
] as const;

/** How each device of the demo reaches the gateway, and what it measures. */
export type DemoDeviceKind = "ct-clamp" | "meter" | "pdu" | "inverter";

export const DEMO_DEVICES = {
  /** emonTx v4 with three CTs on the mill's phases, through emonhub's MQTT. */
  cncEmon: { deviceId: demoId("device/emontx-cnc"), kind: "ct-clamp", channels: 3 },
  /** emonTx with one CT on the compressor's supply. */
  compressorEmon: { deviceId: demoId("device/emontx-compressor"), kind: "ct-clamp", channels: 1 },
  /** The utility's smart meter, read on its DSMR P1 port through a ser2net-style bridge. */
  mainMeter: { deviceId: demoId("device/p1-main-meter"), kind: "meter", channels: 1 },
  /** A Raritan PDU feeding the IT rack, over SNMP v2c. */
  rackPdu: { deviceId: demoId("device/pdu-it-rack"), kind: "pdu", channels: 4 },
  /** A SunSpec (model 103) PV inverter over Modbus TCP. */
  pvInverter: { deviceId: demoId("device/pv-inverter"), kind: "inverter", channels: 1 },
} as const;
