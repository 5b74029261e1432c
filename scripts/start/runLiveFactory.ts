import mqtt from "mqtt";
import { deviceReadingsTopic } from "@energy-intelligence/sdk";
import { CtClampDevice, type LoadProfile } from "@energy-intelligence/oracle/sim/ctClampDevice";

export interface LiveFactory {
  devices: readonly CtClampDevice[];
  /** Messages the broker acknowledged so far. */
  readonly acknowledged: number;
  stop(): Promise<void>;
}

/**
 * A factory of CT-clamp monitored machines running in real time: every
 * `stepMs` each monitor measures and publishes one signed message over MQTT
 * (QoS 1), as a real monitor at a site would. Unlike `ei sim`, whose clock
 * replays a span as fast as possible, time here is the wall clock, so the
 * gateway's grace periods and clock-skew rules apply as in production.
 */
export async function runLiveFactory(parameters: {
  mqttUrl: string;
  siteId: `0x${string}`;
  seed: string;
  machines: readonly {
    phases: 1 | 3;
    profile: LoadProfile;
    /** The monitor's sequence and counters to carry on from (a resumed run). */
    resumeAt?: { nextSequence: number; energyMilliWattHours: readonly bigint[] };
  }[];
  stepMs: number;
  onError?: (error: unknown) => void;
}): Promise<LiveFactory> {
  const startMs = Date.now();
  const devices = parameters.machines.map(
    (machine, index) =>
      new CtClampDevice({
        seed: parameters.seed,
        index,
        phases: machine.phases,
        profile: machine.profile,
        startMs,
        resumeAt: machine.resumeAt,
      }),
  );
  const client = await mqtt.connectAsync(parameters.mqttUrl, { clean: true });
  let acknowledged = 0;
  let busy = false;
  const tick = async (): Promise<void> => {
    // A slow broker must not make messages pile up: skip a tick rather than queue it.
    if (busy) return;
    busy = true;
    try {
      await Promise.all(
        devices.map(async (device) => {
          const message = device.sign(device.step(parameters.stepMs));
          await client.publishAsync(
            deviceReadingsTopic({ siteId: parameters.siteId, deviceId: device.deviceId }),
            JSON.stringify(message),
            { qos: 1 },
          );
          acknowledged++;
        }),
      );
    } catch (error) {
      parameters.onError?.(error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), parameters.stepMs);
  return {
    devices,
    get acknowledged() {
      return acknowledged;
    },
    async stop() {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
