import { divideRounded } from "../shared/divideRounded.ts";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import type { ProtocolReading } from "../shared/ProtocolReading.ts";
import { scaleDecimal } from "../shared/scaleDecimal.ts";
import type { EmonChannelMapping, EmonFrame, EmonPhase } from "./types.ts";

export interface EmonFrameToReadingsParameters {
  /** The device id readings carry (the monitor's configured id). */
  deviceId: string;
  /** The monitor's CT inputs in use, and where each goes. */
  channels: readonly EmonChannelMapping[];
  /**
   * false when the monitor has no AC voltage sensor: its power is then
   * current × an assumed voltage (apparent power), never real power.
   */
  voltageReference: boolean;
  timestampMs: number;
}
export type EmonFrameToReadingsReturnType = ProtocolReading[];
export type EmonFrameToReadingsErrorType = ProtocolFrameError;

const MICRO = 1_000_000n;

/** The voltage key(s) measuring a phase, first present wins (single-phase firmware names it Vrms). */
const VOLTAGE_KEYS: Readonly<Record<EmonPhase, readonly string[]>> = {
  L1: ["V1", "Vrms"],
  L2: ["V2"],
  L3: ["V3"],
};

function scaled(frame: EmonFrame, key: string, decimals: number): bigint | undefined {
  const text = frame.values[key];
  if (text === undefined) return undefined;
  const value = scaleDecimal(text, decimals);
  if (value === undefined) {
    throw new ProtocolFrameError(
      "emon",
      "bad-value",
      key,
      `${text} has more than ${decimals} decimals`,
    );
  }
  return value;
}

function toSafeNumber(value: bigint, key: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
    throw new ProtocolFrameError("emon", "bad-value", key, `${value} is out of range`);
  return Number(value);
}

/**
 * Turns one emonTx / emonPi frame into one reading per mapped CT input:
 * the cumulative energy `En` (Wh) as the counter, `Pn` as power, the
 * phase's voltage and `In` as current, each times the channel's exact
 * calibration factor. A channel whose phase has no voltage measured (no
 * `V1`/`Vrms`, `V2`, `V3`, or the monitor declared without a voltage
 * reference) is an apparent-power estimate and flagged `estimated`; its
 * voltage is left out rather than reported as the assumed figure.
 * Authentication is `serial`: a local wire or the site's own broker.
 *
 * @throws {ProtocolFrameError} missing-field (no `En` for a mapped input),
 *   bad-value (unparseable number, an export channel counting up, a negative import counter).
 * @example
 * ```ts
 * emonFrameToReadings(parseEmonSerialLine("MSG:1,Vrms:240,P1:100,E1:2000"), {
 *   deviceId: "emontx-1", voltageReference: true, timestampMs: Date.now(),
 *   channels: [{ input: 1, channel: 0, phase: "L1", calibration: "1", direction: "import" }],
 * })[0].energyImportedMilliWattHours; // 2000000n
 * ```
 */
export function emonFrameToReadings(
  frame: EmonFrame,
  parameters: EmonFrameToReadingsParameters,
): EmonFrameToReadingsReturnType {
  return parameters.channels.map((mapping) => {
    const calibration = scaleDecimal(mapping.calibration, 6);
    if (calibration === undefined || calibration <= 0n) {
      throw new ProtocolFrameError(
        "emon",
        "bad-value",
        `channels[${mapping.channel}].calibration`,
        `${mapping.calibration} is not a positive decimal with at most 6 decimals`,
      );
    }
    const sign = mapping.direction === "export" ? -1n : 1n;
    const energyKey = `E${mapping.input}`;
    const energy = scaled(frame, energyKey, 3);
    if (energy === undefined) {
      throw new ProtocolFrameError(
        "emon",
        "missing-field",
        energyKey,
        `the frame has no ${energyKey} (cumulative Wh) for CT input ${mapping.input}`,
      );
    }
    const counter = divideRounded(sign * energy * calibration, MICRO);
    if (counter < 0n) {
      throw new ProtocolFrameError(
        "emon",
        "bad-value",
        energyKey,
        `${frame.values[energyKey]} Wh counts the wrong way for an ${mapping.direction} channel`,
      );
    }
    const reading: ProtocolReading = {
      deviceId: parameters.deviceId,
      channel: mapping.channel,
      timestampMs: parameters.timestampMs,
      energyImportedMilliWattHours: mapping.direction === "import" ? counter : 0n,
      energyExportedMilliWattHours: mapping.direction === "export" ? counter : 0n,
      quality: "estimated",
      authentication: "serial",
    };
    const powerKey = `P${mapping.input}`;
    const power = scaled(frame, powerKey, 3);
    if (power !== undefined) {
      // The monitor's sign is already import-positive: a generator feed reads negative.
      reading.powerMilliWatts = toSafeNumber(divideRounded(power * calibration, MICRO), powerKey);
    }
    const currentKey = `I${mapping.input}`;
    const current = scaled(frame, currentKey, 3);
    if (current !== undefined && current >= 0n) {
      reading.currentMilliAmperes = toSafeNumber(
        divideRounded(current * calibration, MICRO),
        currentKey,
      );
    }
    const voltageKey = VOLTAGE_KEYS[mapping.phase].find((key) => frame.values[key] !== undefined);
    const voltage = voltageKey === undefined ? undefined : scaled(frame, voltageKey, 3);
    if (parameters.voltageReference && voltage !== undefined && voltage > 0n) {
      reading.voltageMilliVolts = toSafeNumber(voltage, voltageKey ?? "V");
      reading.quality = "measured";
    }
    return reading;
  });
}
