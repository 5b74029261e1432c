import { readFileSync } from "node:fs";
import path from "node:path";
import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import { InvalidInputError } from "@energy-intelligence/sdk";
import type { IngestPipeline } from "../ingest/ingestPipeline.ts";
import type { MetricsRegistry } from "../metrics/metricsRegistry.ts";
import { AdapterEventsRepository } from "../store/adapterEventsRepository.ts";
import { AdapterReadingStateQueries } from "../store/adapterReadingStateQueries.ts";
import type { DeviceRecord, DevicesRepository } from "../store/devicesRepository.ts";
import type { AdapterConfig, AdaptersConfig, PollSchedule } from "./adaptersConfigSchema.ts";
import { AdapterHealth, createAdapterMetrics } from "./adapterHealth.ts";
import { AdapterReadingSink } from "./adapterReadingSink.ts";
import { DsmrP1Adapter } from "./dsmrP1Adapter.ts";
import { EmonAdapter } from "./emonAdapter.ts";
import { LoraWebhookReceiver } from "./loraWebhookReceiver.ts";
import { createModbusPoller, resolveModbusMap } from "./modbusPoller.ts";
import { PollScheduler, type DevicePoller } from "./pollScheduler.ts";
import { PulseCounterStateFile } from "./pulseCounterStateFile.ts";
import { PulseMqttAdapter } from "./pulseMqttAdapter.ts";
import { createRedfishPoller } from "./redfishPoller.ts";
import { SilenceWatchdog } from "./silenceWatchdog.ts";
import { createSnmpPoller } from "./snmpPoller.ts";
import { createSunSpecPoller } from "./sunspecPoller.ts";

/** The auth scheme a device fed by each adapter kind must be registered with. */
export const ADAPTER_AUTH_SCHEME = {
  sunspec: "polled",
  modbus: "polled",
  snmp: "polled",
  redfish: "polled",
  dsmr: "serial",
  pulse: "serial",
  emon: "serial",
  lora: "network-server",
} as const satisfies Record<AdapterConfig["kind"], string>;

/** The running adapters, as the HTTP API and the gateway's shutdown see them. */
export interface GatewayAdapters {
  health: AdapterHealth;
  /** Webhook receivers by network server; absent when no such adapter is configured. */
  lora: Map<"ttn" | "chirpstack", LoraWebhookReceiver>;
  /** Connects to devices and brokers; `mqttUrl` is the gateway's broker, the default for MQTT adapters. */
  start(options: { mqttUrl: string | undefined }): Promise<void>;
  /** Stops polling and subscriptions, waiting for submissions in flight. */
  close(): Promise<void>;
}

function readSecret(file: string, where: string): string {
  try {
    return readFileSync(path.resolve(file), "utf8").replace(/\r?\n$/u, "");
  } catch (error) {
    throw new InvalidInputError(where, `cannot read ${file}`, { cause: error });
  }
}

interface Startable {
  start(mqttUrl: string | undefined): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds every configured adapter: checks that each device is registered,
 * active and has the auth scheme its protocol implies (a clear error at
 * boot rather than refused readings later), reads the secret files, and
 * wires each protocol client to a reading sink and the shared health.
 * Nothing connects until `start`, so the HTTP routes can be built first.
 *
 * @throws {InvalidInputError} naming `config.adapters[i]…`.
 */
export function createGatewayAdapters(options: {
  adapters: AdaptersConfig;
  dataDir: string;
  db: Database;
  devices: DevicesRepository;
  pipeline: IngestPipeline;
  registry: MetricsRegistry;
  logger: Logger;
}): GatewayAdapters {
  const { db, pipeline, logger } = options;
  const startedAtMs = Date.now();
  const health = new AdapterHealth({
    events: new AdapterEventsRepository(db),
    logger,
    startedAtMs,
  });
  health.metrics = createAdapterMetrics(options.registry, () => health.list());
  const queries = new AdapterReadingStateQueries(db);
  const lora = new Map<"ttn" | "chirpstack", LoraWebhookReceiver>();
  const parts: Startable[] = [];

  const deviceFor = (
    adapter: AdapterConfig,
    index: number,
    deviceId: `0x${string}`,
    field: string,
  ): DeviceRecord => {
    const where = `config.adapters.${index}.${field}`;
    const device = options.devices.get(deviceId);
    const expected = ADAPTER_AUTH_SCHEME[adapter.kind];
    if (device === undefined) {
      throw new InvalidInputError(where, `device ${deviceId} is not registered`, {
        hints: [`Register it first: ei device add --scheme ${expected} --kind … --channels …`],
      });
    }
    if (device.status !== "active")
      throw new InvalidInputError(where, `device ${deviceId} is revoked`);
    if (device.authScheme !== expected) {
      throw new InvalidInputError(
        where,
        `device ${deviceId} is registered as ${device.authScheme}; a ${adapter.kind} adapter needs ${expected}`,
      );
    }
    health.track(adapter.name, adapter.kind, deviceId, device.deviceRef);
    return device;
  };
  const sinkFor = (device: DeviceRecord, modulus?: bigint): AdapterReadingSink =>
    new AdapterReadingSink({
      device,
      pipeline,
      health,
      queries,
      counterModulusMilliWattHours: modulus,
    });
  const watch = (deviceIds: `0x${string}`[], silentAfterMs: number): Startable => {
    let watchdog: SilenceWatchdog | undefined;
    return {
      start: () => {
        watchdog = new SilenceWatchdog({
          health,
          deviceIds,
          silentAfterMs,
          startedAtMs: Date.now(),
        });
        return Promise.resolve();
      },
      close: () => {
        watchdog?.close();
        return Promise.resolve();
      },
    };
  };
  const polled = (
    adapter: { name: string; schedule: PollSchedule },
    sink: AdapterReadingSink,
    poller: DevicePoller,
  ): Startable => {
    const scheduler = new PollScheduler({
      adapter: adapter.name,
      schedule: adapter.schedule,
      poller,
      sink,
      health,
    });
    return {
      start: () => {
        scheduler.start();
        return Promise.resolve();
      },
      close: () => scheduler.close(),
    };
  };
  const brokerUrl = (
    own: string | undefined,
    fallback: string | undefined,
    where: string,
  ): string => {
    const url = own ?? fallback;
    if (url === undefined)
      throw new InvalidInputError(
        where,
        "no MQTT broker: set mqttUrl or enable the gateway's mqtt",
      );
    return url;
  };

  options.adapters.forEach((adapter, index) => {
    const where = `config.adapters.${index}`;
    switch (adapter.kind) {
      case "sunspec": {
        const sink = sinkFor(deviceFor(adapter, index, adapter.deviceId, "deviceId"));
        parts.push(
          polled(
            adapter,
            sink,
            createSunSpecPoller({
              host: adapter.host,
              port: adapter.port,
              unitId: adapter.unitId,
              timeoutMs: adapter.schedule.timeoutMs,
              serialNumber: adapter.serialNumber,
            }),
          ),
        );
        break;
      }
      case "modbus": {
        const sink = sinkFor(deviceFor(adapter, index, adapter.deviceId, "deviceId"));
        parts.push(
          polled(
            adapter,
            sink,
            createModbusPoller({
              endpoint: adapter.connection,
              unitId: adapter.unitId,
              map: resolveModbusMap(adapter.map),
              timeoutMs: adapter.schedule.timeoutMs,
              label: adapter.name,
            }),
          ),
        );
        break;
      }
      case "snmp": {
        const sink = sinkFor(deviceFor(adapter, index, adapter.deviceId, "deviceId"));
        const auth = adapter.auth;
        const credentials =
          auth.version === "v2c"
            ? {
                version: "v2c" as const,
                community: readSecret(auth.communityFile, `${where}.auth.communityFile`),
              }
            : {
                version: "v3" as const,
                user: auth.user,
                authProtocol: auth.authProtocol,
                authKey: readSecret(auth.authKeyFile, `${where}.auth.authKeyFile`),
                privProtocol: auth.privProtocol,
                privKey: readSecret(auth.privKeyFile, `${where}.auth.privKeyFile`),
              };
        parts.push(
          polled(
            adapter,
            sink,
            createSnmpPoller({
              host: adapter.host,
              port: adapter.port,
              profile: adapter.profile,
              credentials,
              timeoutMs: adapter.schedule.timeoutMs,
              label: adapter.name,
            }),
          ),
        );
        break;
      }
      case "redfish": {
        const sink = sinkFor(deviceFor(adapter, index, adapter.deviceId, "deviceId"));
        parts.push(
          polled(
            adapter,
            sink,
            createRedfishPoller({
              url: adapter.url,
              pduId: adapter.pduId,
              mode: adapter.auth.mode,
              userName: adapter.auth.userName,
              password: readSecret(adapter.auth.passwordFile, `${where}.auth.passwordFile`),
            }),
          ),
        );
        break;
      }
      case "dsmr": {
        const sink = sinkFor(deviceFor(adapter, index, adapter.deviceId, "deviceId"));
        const p1 = new DsmrP1Adapter({
          name: adapter.name,
          endpoint: adapter.source,
          equipmentId: adapter.equipmentId,
          sink,
          health,
          logger,
        });
        parts.push(
          {
            start: () => {
              p1.start();
              return Promise.resolve();
            },
            close: () => p1.close(),
          },
          watch([adapter.deviceId], adapter.silentAfterMs),
        );
        break;
      }
      case "pulse": {
        const sink = sinkFor(deviceFor(adapter, index, adapter.deviceId, "deviceId"));
        const states = new PulseCounterStateFile(
          path.join(options.dataDir, "adapters", `${adapter.name}.pulse-state.json`),
        );
        let pulse: PulseMqttAdapter | undefined;
        parts.push(
          {
            start: (mqttUrl) => {
              pulse = new PulseMqttAdapter({
                name: adapter.name,
                mqttUrl: brokerUrl(adapter.mqttUrl, mqttUrl, `${where}.mqttUrl`),
                format: adapter.format,
                inputs: adapter.inputs,
                states,
                sink,
                health,
                logger,
              });
              return pulse.start();
            },
            close: async () => {
              await pulse?.close();
            },
          },
          watch([adapter.deviceId], adapter.silentAfterMs),
        );
        break;
      }
      case "emon": {
        const sink = sinkFor(deviceFor(adapter, index, adapter.deviceId, "deviceId"));
        let emon: EmonAdapter | undefined;
        const source = adapter.source;
        parts.push(
          {
            start: (mqttUrl) => {
              emon = new EmonAdapter({
                name: adapter.name,
                source:
                  source.transport === "mqtt"
                    ? {
                        ...source,
                        mqttUrl: brokerUrl(source.mqttUrl, mqttUrl, `${where}.source.mqttUrl`),
                      }
                    : source,
                channels: adapter.channels,
                voltageReference: adapter.voltageReference,
                sink,
                health,
                logger,
              });
              return emon.start();
            },
            close: async () => {
              await emon?.close();
            },
          },
          watch([adapter.deviceId], adapter.silentAfterMs),
        );
        break;
      }
      case "lora": {
        const sinks = new Map<string, AdapterReadingSink>();
        adapter.devices.forEach((device, deviceIndex) => {
          sinks.set(
            device.devEui,
            sinkFor(
              deviceFor(adapter, index, device.deviceId, `devices.${deviceIndex}.deviceId`),
              LoraWebhookReceiver.COUNTER_MODULUS,
            ),
          );
        });
        lora.set(
          adapter.networkServer,
          new LoraWebhookReceiver({
            name: adapter.name,
            networkServer: adapter.networkServer,
            authHeader: adapter.authHeader,
            secret: readSecret(adapter.secretFile, `${where}.secretFile`),
            sinks,
            health,
          }),
        );
        parts.push(
          watch(
            adapter.devices.map((d) => d.deviceId),
            adapter.silentAfterMs,
          ),
        );
        break;
      }
    }
  });

  let started = false;
  return {
    health,
    lora,
    async start({ mqttUrl }) {
      if (started) return;
      started = true;
      for (const part of parts) await part.start(mqttUrl);
      if (parts.length > 0) logger.info({ adapters: options.adapters.length }, "adapters started");
    },
    async close() {
      await Promise.all(parts.map((part) => part.close()));
    },
  };
}
