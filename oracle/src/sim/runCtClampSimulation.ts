import mqtt from "mqtt";
import { deviceReadingsTopic } from "@energy-intelligence/sdk";
import type { DevicesRepository } from "../store/devicesRepository.ts";
import { CtClampDevice, type LoadProfile } from "./ctClampDevice.ts";

export interface CtClampSimulationOptions {
  transport: "mqtt" | "http";
  /** `mqtt://host:port` or the gateway's `http://host:port`. */
  url: string;
  siteId: `0x${string}`;
  machineIdOf: (index: number) => `0x${string}`;
  devices: number;
  phases: 1 | 3;
  profile: LoadProfile;
  /** Messages to send per device. */
  count: number;
  /** Measurement steps per message (readings per message = steps × phases). */
  stepsPerMessage: number;
  /** Simulated time between measurements. */
  intervalMs: number;
  /** Messages per second over all devices; 0 = as fast as acknowledgements allow. */
  rate: number;
  /** Messages in flight at once (backpressure: wait for acknowledgements beyond this). */
  window: number;
  seed: string;
  /** Registers the simulated devices here first (the gateway's store), when given. */
  register?: DevicesRepository | undefined;
  onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  sent: number;
  acknowledged: number;
  readings: number;
  rejected: Record<string, number>;
  elapsedMs: number;
  done: boolean;
}

/**
 * Runs CT-clamp monitors against a gateway: each device steps its load model,
 * signs a message every `stepsPerMessage` steps and sends it (MQTT QoS 1 or
 * HTTP POST), at `rate` messages per second overall. The simulated clock starts
 * far enough in the past that the last reading is about now, so a fast run
 * never sends future timestamps. Resolves with the final tally.
 */
export async function runCtClampSimulation(
  options: CtClampSimulationOptions,
): Promise<SimulationProgress> {
  const spanMs = options.count * options.stepsPerMessage * options.intervalMs;
  const startMs = Date.now() - spanMs;
  const devices = Array.from(
    { length: options.devices },
    (_, index) =>
      new CtClampDevice({
        seed: options.seed,
        index,
        phases: options.phases,
        profile: options.profile,
        startMs,
      }),
  );
  if (options.register !== undefined) {
    for (const [index, device] of devices.entries()) {
      if (options.register.get(device.deviceId) !== undefined) continue;
      options.register.add({
        deviceId: device.deviceId,
        siteId: options.siteId,
        machineId: options.machineIdOf(index),
        kind: "ct-clamp",
        authScheme: "ed25519",
        publicKey: device.publicKey,
        channelCount: device.phases,
      });
    }
  }
  const progress: SimulationProgress = {
    sent: 0,
    acknowledged: 0,
    readings: 0,
    rejected: {},
    elapsedMs: 0,
    done: false,
  };
  const started = Date.now();
  const reject = (reason: string): void => {
    progress.rejected[reason] = (progress.rejected[reason] ?? 0) + 1;
  };

  let send: (device: CtClampDevice, payload: string, readings: number) => Promise<void>;
  let close: () => Promise<void> = () => Promise.resolve();
  if (options.transport === "mqtt") {
    const client = await mqtt.connectAsync(options.url, { clean: true });
    const rejections = `ei/v1/${options.siteId}/+/rejections`;
    await client.subscribeAsync(rejections, { qos: 0 });
    client.on("message", (_topic, payload) => {
      try {
        reject((JSON.parse(payload.toString()) as { reason?: string }).reason ?? "unknown");
      } catch {
        reject("unknown");
      }
    });
    send = async (device, payload, readings) => {
      await client.publishAsync(
        deviceReadingsTopic({ siteId: options.siteId, deviceId: device.deviceId }),
        payload,
        { qos: 1 },
      );
      progress.acknowledged++;
      progress.readings += readings;
    };
    close = () => client.endAsync();
  } else {
    const url = new URL("/v1/readings", options.url);
    send = async (_device, payload, readings) => {
      for (;;) {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: payload,
        });
        if (response.status === 503) {
          // Overloaded: the gateway says when to retry.
          await response.body?.cancel();
          await new Promise((resolve) =>
            setTimeout(resolve, 1000 * Number(response.headers.get("retry-after") ?? 1)),
          );
          continue;
        }
        if (response.status === 202) {
          await response.body?.cancel();
          progress.acknowledged++;
          progress.readings += readings;
        } else {
          const problem = (await response.json()) as { reason?: string };
          reject(problem.reason ?? `http_${response.status}`);
        }
        return;
      }
    };
  }

  const ticker = setInterval(() => {
    progress.elapsedMs = Date.now() - started;
    options.onProgress?.({ ...progress, rejected: { ...progress.rejected } });
  }, 1000);
  try {
    // Each device's messages go out in order (one in flight per device), the
    // devices in parallel up to `window`.
    const total = options.count * devices.length;
    const perDevice = devices.map(() => Promise.resolve());
    const inFlight = new Set<Promise<void>>();
    for (let message = 0; message < total; message++) {
      const deviceIndex = message % devices.length;
      const device = devices[deviceIndex];
      if (device === undefined) continue;
      if (options.rate > 0) {
        const due = started + (message * 1000) / options.rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      while (inFlight.size >= options.window) await Promise.race(inFlight);
      const readings = Array.from({ length: options.stepsPerMessage }, () =>
        device.step(options.intervalMs),
      ).flat();
      const payload = JSON.stringify(device.sign(readings));
      progress.sent++;
      const sent = (perDevice[deviceIndex] ?? Promise.resolve()).then(() =>
        send(device, payload, readings.length),
      );
      perDevice[deviceIndex] = sent.catch(() => undefined);
      const tracked = sent.then(
        () => undefined,
        () => {
          reject("transport_error");
        },
      );
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
    }
    await Promise.all(inFlight);
  } finally {
    clearInterval(ticker);
    await close();
  }
  progress.elapsedMs = Date.now() - started;
  progress.done = true;
  options.onProgress?.({ ...progress, rejected: { ...progress.rejected } });
  return progress;
}
