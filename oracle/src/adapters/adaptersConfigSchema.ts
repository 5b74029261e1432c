import { z } from "zod";
import { modbusRegisterMapSchema } from "@energy-intelligence/sdk/protocols/index";

const bytes32 = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/u, "expected the registered device id: 0x and 64 lowercase hex digits")
  .transform((value) => value as `0x${string}`);
const port = z.int().min(1).max(65_535);
const host = z.string().min(1);
const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/u, "expected a lowercase slug such as pv-inverter-1");
/** A file holding a secret (password, community, webhook secret): never the secret itself. */
const secretFile = z.string().min(1);

/**
 * How often a polled device is asked, and how hard the gateway tries before
 * it marks the device degraded and opens a gap. A poll that fails is retried
 * after `backoffMs`, doubling up to `maxBackoffMs`; when `retries` retries
 * fail too, the poll counts as missed.
 */
export const pollScheduleSchema = z
  .strictObject({
    intervalMs: z.int().min(100).max(86_400_000).default(10_000),
    timeoutMs: z.int().min(50).max(120_000).default(3000),
    retries: z.int().min(0).max(10).default(2),
    backoffMs: z.int().min(10).max(60_000).default(500),
    maxBackoffMs: z.int().min(10).max(600_000).default(5000),
  })
  .refine((schedule) => schedule.timeoutMs < schedule.intervalMs, {
    error: "timeoutMs must be shorter than intervalMs",
    path: ["timeoutMs"],
  })
  .prefault({});
export type PollSchedule = z.output<typeof pollScheduleSchema>;

/** Devices that push (P1, pulse counters, emon, LoRa): silent longer than this = degraded. */
const silentAfterMs = z
  .int()
  .min(1000)
  .max(7 * 86_400_000);

const serialPort = z.strictObject({
  transport: z.literal("serial"),
  path: z.string().min(1),
  baudRate: z.int().min(300).max(921_600).default(115_200),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(["none", "even", "odd"]).default("none"),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
});
const tcpStream = z.strictObject({ transport: z.literal("tcp"), host, port });

const common = {
  name,
  /** The registered device (`ei device add`, auth scheme polled / serial / network-server) readings go to. */
  deviceId: bytes32,
};

export const sunspecAdapterSchema = z.strictObject({
  kind: z.literal("sunspec"),
  ...common,
  host,
  port: port.default(502),
  unitId: z.int().min(0).max(255).default(1),
  /** When given, a device answering with another model-1 serial is refused (wrong address). */
  serialNumber: z.string().min(1).optional(),
  schedule: pollScheduleSchema,
});

export const modbusAdapterSchema = z.strictObject({
  kind: z.literal("modbus"),
  ...common,
  connection: z.discriminatedUnion("transport", [
    z.strictObject({ transport: z.literal("tcp"), host, port: port.default(502) }),
    serialPort.extend({ baudRate: z.int().min(300).max(921_600).default(9600) }),
  ]),
  unitId: z.int().min(0).max(255).default(1),
  /** A shipped map by id, or a whole `ei-modbus-map-v1` map. */
  map: z.union([z.enum(["eastron-sdm630", "carlo-gavazzi-em24"]), modbusRegisterMapSchema]),
  schedule: pollScheduleSchema,
});

export const snmpAdapterSchema = z.strictObject({
  kind: z.literal("snmp"),
  ...common,
  host,
  port: port.default(161),
  profile: z.enum(["apc-rpdu2", "raritan-pdu2"]),
  auth: z.discriminatedUnion("version", [
    z.strictObject({ version: z.literal("v2c"), communityFile: secretFile }),
    z.strictObject({
      version: z.literal("v3"),
      user: z.string().min(1),
      authProtocol: z.enum(["sha", "sha256"]).default("sha"),
      authKeyFile: secretFile,
      privProtocol: z.enum(["aes", "aes256b"]).default("aes"),
      privKeyFile: secretFile,
    }),
  ]),
  schedule: pollScheduleSchema,
});

export const redfishAdapterSchema = z.strictObject({
  kind: z.literal("redfish"),
  ...common,
  /** The service root's origin, e.g. https://pdu-3.site.example. */
  url: z.url({ protocol: /^https?$/u }),
  /** `/redfish/v1/PowerEquipment/RackPDUs/{id}`. */
  pduId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/u),
  auth: z.strictObject({
    mode: z.enum(["basic", "session"]).default("session"),
    userName: z.string().min(1),
    passwordFile: secretFile,
  }),
  schedule: pollScheduleSchema,
});

export const dsmrAdapterSchema = z.strictObject({
  kind: z.literal("dsmr"),
  ...common,
  /** A ser2net-style TCP bridge or the P1 cable's serial port (DSMR 4/5: 115200 8N1; 2.2/3: 9600 7E1). */
  source: z.discriminatedUnion("transport", [tcpStream, serialPort]),
  /** When given, a telegram with another equipment identifier (0-0:96.1.1) is refused. */
  equipmentId: z.string().min(1).optional(),
  silentAfterMs: silentAfterMs.default(60_000),
});

export const pulseAdapterSchema = z.strictObject({
  kind: z.literal("pulse"),
  ...common,
  /** Broker URL; default the gateway's own (embedded or external) broker. */
  mqttUrl: z
    .string()
    .regex(/^mqtts?:\/\/./u, "expected an mqtt:// or mqtts:// URL")
    .optional(),
  /**
   * `tasmota`: `tele/<device>/SENSOR` JSON `{"COUNTER":{"C1":n}}`;
   * `plain`: the payload is the cumulative count as decimal text.
   */
  format: z.enum(["tasmota", "plain"]),
  inputs: z
    .array(
      z.strictObject({
        channel: z.int().min(0).max(0xffff),
        topic: z.string().min(1),
        /** Tasmota counter name (C1…C8); ignored for plain. */
        counter: z
          .string()
          .regex(/^C[1-8]$/u)
          .default("C1"),
        /** The meter constant printed on the meter (imp/kWh). */
        pulsesPerKilowattHour: z.int().min(1).max(1_000_000),
      }),
    )
    .min(1),
  silentAfterMs: silentAfterMs.default(300_000),
});

const emonChannel = z.strictObject({
  input: z.int().min(1).max(12),
  channel: z.int().min(0).max(0xffff),
  phase: z.enum(["L1", "L2", "L3"]).default("L1"),
  calibration: z
    .string()
    .regex(/^\d{1,3}(?:\.\d{1,6})?$/u, "expected a decimal factor such as 1.012")
    .refine((text) => Number(text) > 0, { error: "must be positive" })
    .default("1"),
  direction: z.enum(["import", "export"]).default("import"),
});

export const emonAdapterSchema = z.strictObject({
  kind: z.literal("emon"),
  ...common,
  /** emonhub's MQTT (`emon/<node>/<key>`), or the monitor's serial line (directly or through a TCP bridge). */
  source: z.discriminatedUnion("transport", [
    z.strictObject({
      transport: z.literal("mqtt"),
      node: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/u),
      mqttUrl: z
        .string()
        .regex(/^mqtts?:\/\/./u)
        .optional(),
      /** Keys of one frame arrive one message each; a frame is complete after this quiet time. */
      frameQuietMs: z.int().min(5).max(10_000).default(200),
    }),
    serialPort,
    tcpStream,
  ]),
  /** false when the monitor has no AC voltage adapter: readings are then flagged estimated. */
  voltageReference: z.boolean(),
  /** One per CT: 1 for a single-phase machine, 3 (L1, L2, L3) for a three-phase one. */
  channels: z.array(emonChannel).min(1).max(12),
  silentAfterMs: silentAfterMs.default(60_000),
});

export const loraAdapterSchema = z.strictObject({
  kind: z.literal("lora"),
  name,
  /** Which webhook route: POST /v1/webhooks/ttn or POST /v1/webhooks/chirpstack?event=up. */
  networkServer: z.enum(["ttn", "chirpstack"]),
  /**
   * The request header the network server is configured to send (TTN webhook
   * "Additional headers", ChirpStack HTTP integration "Headers") and the file
   * holding its expected value. A post without it, or with another value, is refused (401).
   */
  authHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/u)
    .transform((header) => header.toLowerCase())
    .default("authorization"),
  secretFile,
  devices: z
    .array(
      z.strictObject({
        devEui: z
          .string()
          .regex(/^[0-9a-fA-F]{16}$/u, "expected 16 hex digits")
          .transform((eui) => eui.toLowerCase()),
        deviceId: bytes32,
      }),
    )
    .min(1),
  silentAfterMs: silentAfterMs.default(3_600_000),
});

/** One adapter: a device (or a network server's devices) the gateway reads in its own protocol. */
export const adapterConfigSchema = z.discriminatedUnion("kind", [
  sunspecAdapterSchema,
  modbusAdapterSchema,
  snmpAdapterSchema,
  redfishAdapterSchema,
  dsmrAdapterSchema,
  pulseAdapterSchema,
  emonAdapterSchema,
  loraAdapterSchema,
]);
export type AdapterConfig = z.output<typeof adapterConfigSchema>;
export type AdapterConfigInput = z.input<typeof adapterConfigSchema>;

/**
 * The gateway config's `adapters` list. Names are unique (they label metrics
 * and gap records); one device is fed by one adapter only (two would race
 * for its sequence numbers); one LoRa adapter per network server.
 */
export const adaptersConfigSchema = z
  .array(adapterConfigSchema)
  .superRefine((adapters, context) => {
    const names = new Map<string, number>();
    const devices = new Map<string, string>();
    const networkServers = new Set<string>();
    adapters.forEach((adapter, index) => {
      const earlier = names.get(adapter.name);
      if (earlier !== undefined) {
        context.addIssue({
          code: "custom",
          path: [index, "name"],
          message: `adapter name ${adapter.name} is already used by adapters[${earlier}]`,
        });
      }
      names.set(adapter.name, index);
      const ids =
        adapter.kind === "lora" ? adapter.devices.map((d) => d.deviceId) : [adapter.deviceId];
      for (const deviceId of ids) {
        const owner = devices.get(deviceId);
        if (owner !== undefined && owner !== adapter.name) {
          context.addIssue({
            code: "custom",
            path: [index],
            message: `device ${deviceId} is already fed by adapter ${owner}`,
          });
        }
        devices.set(deviceId, adapter.name);
      }
      if (adapter.kind === "lora") {
        if (networkServers.has(adapter.networkServer)) {
          context.addIssue({
            code: "custom",
            path: [index, "networkServer"],
            message: `a second ${adapter.networkServer} adapter: put all its devices in one`,
          });
        }
        networkServers.add(adapter.networkServer);
      }
    });
  })
  .default([]);
export type AdaptersConfig = z.output<typeof adaptersConfigSchema>;
