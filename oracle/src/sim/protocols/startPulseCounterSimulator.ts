import mqtt from "mqtt";

export interface PulseCounterSimulatorOptions {
  /** The broker the counter publishes to. */
  url: string;
  /** Tasmota's device topic: it publishes `tele/<topic>/SENSOR`. */
  topic: string;
  /** Load on the kWh meter whose S0 output the counter counts. */
  watts: number;
  /** The meter constant (imp/kWh). */
  pulsesPerKilowattHour: number;
  startCount?: number;
  intervalMs?: number;
  now?: () => number;
}

export interface PulseCounterSimulator {
  /** Publishes the count now (also every intervalMs unless silent). */
  tick(): Promise<void>;
  /** Reboots without saving the count: it starts again from 0. */
  restart(): void;
  setSilent(silent: boolean): void;
  /** Every pulse the meter emitted so far. */
  readonly totalPulses: number;
  close(): Promise<void>;
}

/**
 * A Tasmota pulse counter on the S0 output (or dry contact) of a kWh meter:
 * the meter emits `pulsesPerKilowattHour` pulses per kWh of the load, the
 * counter counts them (whole pulses; the fraction waits for the next) and
 * publishes its telemetry `tele/<topic>/SENSOR` = `{"Time":…,"COUNTER":{"C1":n}}`
 * at QoS 1. `restart()` loses the count (no flash save), as a counter does
 * after a power cut between saves.
 */
export async function startPulseCounterSimulator(
  options: PulseCounterSimulatorOptions,
): Promise<PulseCounterSimulator> {
  const now = options.now ?? Date.now;
  const client = await mqtt.connectAsync(options.url, { clean: true });
  let last = now();
  // Pulses × 3.6e9 (W·ms per kWh) kept exact as an integer numerator.
  let pulseNumerator = 0n;
  let total = 0;
  let count = options.startCount ?? 0;
  let silent = false;
  const advance = (): void => {
    const at = now();
    const elapsed = BigInt(Math.max(0, at - last));
    last = at;
    pulseNumerator +=
      BigInt(Math.round(options.watts)) * elapsed * BigInt(options.pulsesPerKilowattHour);
    const pulses = pulseNumerator / 3_600_000_000n;
    pulseNumerator -= pulses * 3_600_000_000n;
    total += Number(pulses);
    count += Number(pulses);
  };
  const tick = async (): Promise<void> => {
    advance();
    if (silent) return;
    const body = { Time: new Date(now()).toISOString().slice(0, 19), COUNTER: { C1: count } };
    await client.publishAsync(`tele/${options.topic}/SENSOR`, JSON.stringify(body), { qos: 1 });
  };
  const timer = setInterval(() => {
    void tick().catch(() => undefined);
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    tick,
    restart: () => {
      advance();
      count = 0;
    },
    setSilent: (value) => {
      silent = value;
    },
    get totalPulses() {
      return total;
    },
    close: async () => {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
