import { createServer } from "node:net";
import type { Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";

export interface EmonSimulatorOptions {
  /** `tcp`: a ser2net-style bridge of the serial line; `mqtt`: emonhub publishing `emon/<node>/<key>`. */
  transport: { kind: "tcp"; host?: string; port?: number } | { kind: "mqtt"; url: string };
  node?: string;
  /** Real power per CT input (W); the length is the number of CTs (1…12). */
  watts: readonly number[];
  /**
   * Mains voltage the monitor measures (V); undefined for a monitor without
   * an AC voltage adapter, which prints no Vrms (its power is apparent power).
   */
  volts?: number | undefined;
  /** Three voltage sensors (V1…V3) instead of one Vrms, for a three-phase monitor. */
  threePhaseVolts?: readonly [number, number, number] | undefined;
  /** Starting cumulative Wh per CT. */
  startWattHours?: readonly number[];
  intervalMs?: number;
  now?: () => number;
}

export interface EmonSimulator {
  /** The TCP bridge's address (tcp transport). */
  host: string | undefined;
  port: number | undefined;
  /** Emits one frame now (also done every intervalMs unless silent). */
  tick(): Promise<void>;
  /** A silent monitor sends nothing (unplugged, crashed) until set back. */
  setSilent(silent: boolean): void;
  /** The line the monitor prints next (for tests that compare). */
  frame(): Record<string, string>;
  close(): Promise<void>;
}

/**
 * An OpenEnergyMonitor emonTx v4 as its EmonLibCM firmware reports: every
 * datalog period a frame `MSG`, `Vrms` (or `V1`…`V3`), `P1`…`Pn` (W) and
 * `E1`…`En` (cumulative Wh, integrated exactly from the powers), `pulse`.
 * Over `tcp` it writes the serial line `key:value,...\r\n` to every client
 * (as a ser2net bridge of the USB port would); over `mqtt` it publishes each
 * key as emonhub's MQTT interfacer does, `emon/<node>/<key>` = value text.
 */
export async function startEmonSimulator(options: EmonSimulatorOptions): Promise<EmonSimulator> {
  const now = options.now ?? Date.now;
  const node = options.node ?? "emontx4";
  // Energy in W·ms (exact integers), reported in whole Wh as the firmware does.
  const energyWattMs = options.watts.map(
    (_, index) => BigInt(options.startWattHours?.[index] ?? 0) * 3_600_000n,
  );
  let last = now();
  let message = 0;
  let silent = false;

  const frame = (): Record<string, string> => {
    const values: Record<string, string> = { MSG: String(message) };
    if (options.threePhaseVolts !== undefined) {
      options.threePhaseVolts.forEach((v, i) => {
        values[`V${i + 1}`] = v.toFixed(2);
      });
    } else if (options.volts !== undefined) values.Vrms = options.volts.toFixed(2);
    options.watts.forEach((w, i) => {
      values[`P${i + 1}`] = String(Math.round(w));
    });
    energyWattMs.forEach((e, i) => {
      values[`E${i + 1}`] = String(e / 3_600_000n);
    });
    values.pulse = "0";
    return values;
  };
  const advance = (): Record<string, string> => {
    const at = now();
    const elapsed = BigInt(Math.max(0, at - last));
    last = at;
    options.watts.forEach((w, i) => {
      energyWattMs[i] = (energyWattMs[i] ?? 0n) + BigInt(Math.round(w)) * elapsed;
    });
    message++;
    return frame();
  };

  let client: MqttClient | undefined;
  const sockets = new Set<Socket>();
  let server: ReturnType<typeof createServer> | undefined;
  let address: { host: string; port: number } | undefined;
  if (options.transport.kind === "mqtt") {
    client = await mqtt.connectAsync(options.transport.url, { clean: true });
  } else {
    const tcp = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => sockets.delete(socket));
    });
    const transport = options.transport;
    await new Promise<void>((resolve, reject) => {
      tcp.once("error", reject);
      tcp.listen(transport.port ?? 0, transport.host ?? "127.0.0.1", resolve);
    });
    const bound = tcp.address();
    if (bound === null || typeof bound === "string") throw new Error("no TCP address");
    address = { host: bound.address, port: bound.port };
    server = tcp;
  }

  const tick = async (): Promise<void> => {
    const values = advance();
    if (silent) return;
    if (client !== undefined) {
      for (const [key, value] of Object.entries(values))
        await client.publishAsync(`emon/${node}/${key}`, value, { qos: 1 });
      return;
    }
    const line = `${Object.entries(values)
      .map(([key, value]) => `${key}:${value}`)
      .join(",")}\r\n`;
    for (const socket of sockets) socket.write(line, "latin1");
  };
  const timer = setInterval(() => {
    void tick().catch(() => undefined);
  }, options.intervalMs ?? 10_000);
  timer.unref();

  return {
    host: address?.host,
    port: address?.port,
    tick,
    setSilent: (value) => {
      silent = value;
    },
    frame,
    close: async () => {
      clearInterval(timer);
      await client?.endAsync();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => {
        if (server === undefined) resolve();
        else
          server.close(() => {
            resolve();
          });
      });
    },
  };
}
