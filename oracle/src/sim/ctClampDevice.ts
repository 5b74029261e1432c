import { createHash, createPrivateKey, type KeyObject, sign } from "node:crypto";
import {
  DEVICE_MESSAGE_FORMAT,
  type DeviceMessage,
  type DeviceMessageBody,
  type DeviceReading,
  deviceMessageSigningBytes,
  generateDeviceKey,
} from "@energy-intelligence/sdk";

/** A machine's load: power levels per phase (mW) and mean time in each state (ms). */
export interface LoadProfile {
  name: string;
  idleMilliWatts: number;
  runMilliWatts: number;
  peakMilliWatts: number;
  meanIdleMs: number;
  meanRunMs: number;
  meanPeakMs: number;
  /** Peaks happen while running, this often per running minute. */
  peaksPerRunMinute: number;
  powerFactorPerMille: number;
}

/** Per-phase profiles of machines a CT clamp typically watches. */
export const LOAD_PROFILES: Record<string, LoadProfile> = {
  "cnc-mill": {
    name: "cnc-mill",
    idleMilliWatts: 350_000,
    runMilliWatts: 2_500_000,
    peakMilliWatts: 6_000_000, // spindle acceleration, tool changes
    meanIdleMs: 4 * 60_000,
    meanRunMs: 12 * 60_000,
    meanPeakMs: 4_000,
    peaksPerRunMinute: 2,
    powerFactorPerMille: 850,
  },
  compressor: {
    name: "compressor",
    idleMilliWatts: 1_200_000, // unloaded, motor turning
    runMilliWatts: 3_700_000, // loaded
    peakMilliWatts: 9_000_000, // motor start
    meanIdleMs: 90_000,
    meanRunMs: 150_000,
    meanPeakMs: 1_500,
    peaksPerRunMinute: 0.3,
    powerFactorPerMille: 880,
  },
  "injection-molder": {
    name: "injection-molder",
    idleMilliWatts: 1_800_000, // barrel heaters holding temperature
    runMilliWatts: 4_200_000,
    peakMilliWatts: 8_500_000, // injection stroke
    meanIdleMs: 10 * 60_000,
    meanRunMs: 45 * 60_000,
    meanPeakMs: 3_000,
    peaksPerRunMinute: 2.5,
    powerFactorPerMille: 900,
  },
};

/** mulberry32: a small seeded PRNG, so a simulation replays exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Nominal phase voltage used to turn current into power: a CT clamp measures no voltage. */
const NOMINAL_MILLIVOLTS = 230_000;
/** mW·ms per mWh. */
const MILLIWATT_MS_PER_MILLIWATT_HOUR = 3_600_000;

/**
 * One simulated CT-clamp monitor on a 1- or 3-phase machine: a state machine
 * (idle → run ⇄ peak → idle) with exponentially distributed dwell times and a
 * little noise, and per-phase cumulative counters that integrate its own power
 * exactly (the remainder below 1 mWh is carried, never lost). Quality is
 * `estimated`: power comes from current times a nominal voltage and an assumed
 * power factor.
 */
export class CtClampDevice {
  readonly deviceId: `0x${string}`;
  readonly publicKey: `0x${string}`;
  readonly phases: 1 | 3;
  readonly profile: LoadProfile;
  readonly #privateKey: KeyObject;
  readonly #random: () => number;
  #state: "idle" | "run" | "peak" = "idle";
  #stateLeftMs: number;
  #sequence = 0;
  #timestampMs: number;
  readonly #energyMilliWattHours: bigint[];
  readonly #remainderMilliWattMs: number[];

  constructor(options: {
    seed: string;
    index: number;
    phases: 1 | 3;
    profile: LoadProfile;
    startMs: number;
    /**
     * Where the monitor's non-volatile state stood when it was last running (the next sequence
     * and each phase's counter, mWh): a real monitor keeps both across a power cycle, and a
     * gateway refuses a sequence it has seen or a counter that fell.
     */
    resumeAt?: { nextSequence: number; energyMilliWattHours: readonly bigint[] };
  }) {
    const digest = createHash("sha256").update(`${options.seed}/${options.index}`).digest();
    const key = generateDeviceKey(new Uint8Array(digest));
    this.publicKey = key.publicKey;
    this.deviceId = `0x${createHash("sha256").update(`device/${options.seed}/${options.index}`).digest("hex")}`;
    this.#privateKey = createPrivateKey({
      key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), digest]),
      format: "der",
      type: "pkcs8",
    });
    this.phases = options.phases;
    this.profile = options.profile;
    this.#random = seededRandom(digest.readUInt32BE(0));
    this.#stateLeftMs = this.#dwell(this.profile.meanIdleMs);
    this.#timestampMs = options.startMs;
    this.#sequence = options.resumeAt?.nextSequence ?? 0;
    this.#energyMilliWattHours = Array.from(
      { length: this.phases },
      (_, phase) => options.resumeAt?.energyMilliWattHours[phase] ?? 0n,
    );
    this.#remainderMilliWattMs = Array.from({ length: this.phases }, () => 0);
  }

  #dwell(meanMs: number): number {
    return Math.max(1, Math.round(-Math.log(1 - this.#random()) * meanMs));
  }

  #advanceState(stepMs: number): void {
    this.#stateLeftMs -= stepMs;
    const { profile } = this;
    if (this.#state === "run" && this.#random() < (profile.peaksPerRunMinute * stepMs) / 60_000) {
      this.#state = "peak";
      this.#stateLeftMs = this.#dwell(profile.meanPeakMs);
      return;
    }
    if (this.#stateLeftMs > 0) return;
    if (this.#state === "idle") {
      this.#state = "run";
      this.#stateLeftMs = this.#dwell(profile.meanRunMs);
    } else if (this.#state === "peak") {
      this.#state = "run";
      this.#stateLeftMs = this.#dwell(profile.meanRunMs / 4);
    } else {
      this.#state = "idle";
      this.#stateLeftMs = this.#dwell(profile.meanIdleMs);
    }
  }

  get state(): "idle" | "run" | "peak" {
    return this.#state;
  }

  /** Advances `stepMs` of simulated time and returns one reading per phase. */
  step(stepMs: number): DeviceReading[] {
    this.#advanceState(stepMs);
    this.#timestampMs += stepMs;
    const { profile } = this;
    const level =
      this.#state === "idle"
        ? profile.idleMilliWatts
        : this.#state === "run"
          ? profile.runMilliWatts
          : profile.peakMilliWatts;
    const readings: DeviceReading[] = [];
    for (let phase = 0; phase < this.phases; phase++) {
      // ±5 % noise, phases slightly unbalanced as real loads are.
      const powerMilliWatts = Math.max(
        0,
        Math.round(level * (0.95 + 0.1 * this.#random()) * (1 + 0.02 * (phase - 1))),
      );
      const integrated = (this.#remainderMilliWattMs[phase] ?? 0) + powerMilliWatts * stepMs;
      const whole = Math.floor(integrated / MILLIWATT_MS_PER_MILLIWATT_HOUR);
      this.#remainderMilliWattMs[phase] = integrated - whole * MILLIWATT_MS_PER_MILLIWATT_HOUR;
      this.#energyMilliWattHours[phase] = (this.#energyMilliWattHours[phase] ?? 0n) + BigInt(whole);
      readings.push({
        channel: phase,
        sequence: this.#sequence++,
        timestampMs: this.#timestampMs,
        energyImportedMilliWattHours: (this.#energyMilliWattHours[phase] ?? 0n).toString(),
        energyExportedMilliWattHours: "0",
        powerMilliWatts,
        currentMilliamps: Math.round(
          (powerMilliWatts * 1000) / ((NOMINAL_MILLIVOLTS * profile.powerFactorPerMille) / 1000),
        ),
        powerFactorPerMille: profile.powerFactorPerMille,
        quality: "estimated",
      });
    }
    return readings;
  }

  /** Counters so far, per phase (mWh). */
  get energyMilliWattHours(): readonly bigint[] {
    return this.#energyMilliWattHours;
  }

  /** Signs a message (Ed25519 via OpenSSL; identical bytes to the sdk's signDeviceMessage). */
  sign(readings: DeviceReading[], sentAtMs = Date.now()): DeviceMessage {
    const body: DeviceMessageBody = {
      format: DEVICE_MESSAGE_FORMAT,
      deviceId: this.deviceId,
      sentAtMs,
      readings,
    };
    const signature = sign(null, deviceMessageSigningBytes(body), this.#privateKey);
    return { ...body, auth: { scheme: "ed25519", signature: `0x${signature.toString("hex")}` } };
  }
}
