import { createServer } from "node:net";
import type { Socket } from "node:net";
import { formatDsmrTelegram } from "@energy-intelligence/sdk/protocols/dsmr/formatDsmrTelegram";

export interface P1TcpSimulatorOptions {
  /** Interface to listen on; loopback unless a test says otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Time between telegrams; DSMR 5 meters send one per second, 4.x every 10 s. */
  intervalMs?: number;
  equipmentId?: string;
  /** Constant import power driving the counters. */
  powerImportMilliWatts?: number;
  /** Constant export power (e.g. rooftop solar) driving the export counters. */
  powerExportMilliWatts?: number;
  /** Starting tariff-1 import counter. */
  startImportMilliWattHours?: bigint;
  /** Clock; defaults to Date.now, tests pass a fake one. */
  now?: () => number;
}

export interface P1TcpSimulator {
  host: string;
  port: number;
  /** Sends one telegram to every connected client now (also done every intervalMs). */
  tick(): void;
  /** Writes raw bytes to every client (a corrupted or truncated telegram, line noise). */
  inject(text: string): void;
  /** A silent bridge keeps connections open but sends nothing (meter's Data Request dropped). */
  setSilent(silent: boolean): void;
  close(): Promise<void>;
}

/**
 * A ser2net-style P1 bridge: a TCP server that writes a DSMR 5.0 telegram to
 * every connected client every `intervalMs`, counters advancing with the
 * configured power, as a P1-to-Ethernet/Wi-Fi dongle does. Clients read it
 * with the same stream splitter and parser the gateway uses on a real port.
 *
 * @example
 * ```ts
 * const sim = await startP1TcpSimulator({ intervalMs: 1000, powerImportMilliWatts: 2_500_000 });
 * // nc 127.0.0.1 sim.port
 * await sim.close();
 * ```
 */
export async function startP1TcpSimulator(
  options: P1TcpSimulatorOptions = {},
): Promise<P1TcpSimulator> {
  const now = options.now ?? Date.now;
  const powerIn = options.powerImportMilliWatts ?? 1_500_000;
  const powerOut = options.powerExportMilliWatts ?? 0;
  const clients = new Set<Socket>();
  let imported = options.startImportMilliWattHours ?? 1_000_000_000n;
  let exported = 0n;
  let last = now();
  let silent = false;

  const tick = (): void => {
    const at = now();
    // Integrate energy exactly in mW·ms, then to mWh, so counters never drift from power × time.
    const elapsedMs = BigInt(Math.max(0, at - last));
    imported += (BigInt(powerIn) * elapsedMs) / 3_600_000n;
    exported += (BigInt(powerOut) * elapsedMs) / 3_600_000n;
    last = at;
    const telegram = formatDsmrTelegram({
      identification: "SIM5\\2P1TCP-SIM",
      equipmentId: options.equipmentId ?? "53494D3030303031",
      timestampMs: at,
      importedMilliWattHours: [imported, 0n],
      exportedMilliWattHours: [exported, 0n],
      powerImportMilliWatts: powerIn,
      powerExportMilliWatts: powerOut,
      voltageMilliVolts: 230_000,
      currentMilliAmperes: Math.round(powerIn / 230),
    });
    if (silent) return;
    for (const client of clients) client.write(telegram, "latin1");
  };

  const server = createServer((socket) => {
    clients.add(socket);
    socket.on("close", () => clients.delete(socket));
    socket.on("error", () => clients.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const timer = setInterval(tick, options.intervalMs ?? 1000);
  timer.unref();
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("P1 simulator has no TCP address");

  return {
    host: address.address,
    port: address.port,
    tick,
    inject: (text) => {
      for (const client of clients) client.write(text, "latin1");
    },
    setSilent: (value) => {
      silent = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const client of clients) client.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
