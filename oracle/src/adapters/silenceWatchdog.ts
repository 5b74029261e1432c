import type { AdapterHealth } from "./adapterHealth.ts";

/**
 * For devices that push (P1, pulse counters, emon, LoRaWAN): checks every
 * `silentAfterMs / 4` whether the device's last stored reading is older
 * than `silentAfterMs`, and if so marks it degraded (`silent`), which opens
 * a gap; the next stored reading closes it. A device that never sent
 * anything since the start counts from the start.
 */
export class SilenceWatchdog {
  readonly #timer: NodeJS.Timeout;

  constructor(options: {
    health: AdapterHealth;
    deviceIds: readonly `0x${string}`[];
    silentAfterMs: number;
    startedAtMs: number;
  }) {
    const { health, deviceIds, silentAfterMs, startedAtMs } = options;
    this.#timer = setInterval(
      () => {
        const now = Date.now();
        for (const deviceId of deviceIds) {
          const status = health.get(deviceId);
          if (status === undefined || status.state === "degraded") continue;
          const last = status.lastReadingAtMs ?? startedAtMs;
          if (now - last > silentAfterMs) {
            health.failed(
              deviceId,
              now,
              status.lastError?.reason ?? "silent",
              `no reading for ${Math.round((now - last) / 1000)} s (silentAfterMs ${silentAfterMs})`,
            );
          }
        }
      },
      Math.max(250, Math.floor(silentAfterMs / 4)),
    );
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
