import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import type { ProtocolReading } from "../shared/ProtocolReading.ts";
import { divideRounded } from "../shared/divideRounded.ts";
import { parseDecimalFraction } from "../shared/parseDecimalFraction.ts";
import type { RedfishMeteredResource, RedfishPowerDistribution } from "./redfishSchemas.ts";

/** A JSON number in `unit` → integer in the reading unit, via its decimal text (no float multiplication). */
function scaled(
  value: number | null | undefined,
  factor: bigint,
  path: string,
): bigint | undefined {
  if (value === null || value === undefined) return undefined;
  const fraction = parseDecimalFraction(String(value));
  if (fraction === undefined) {
    throw new ProtocolFrameError("redfish", "bad-value", path, `not a decimal: ${value}`);
  }
  return divideRounded(fraction.numerator * factor, 10n ** BigInt(fraction.decimals));
}

function toNumber(value: bigint | undefined, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ProtocolFrameError("redfish", "bad-value", path, `${value} out of range`);
  }
  return Number(value);
}

function reading(
  resource: RedfishMeteredResource,
  deviceId: string,
  channel: number,
  timestampMs: number,
): ProtocolReading | undefined {
  const path = resource["@odata.id"];
  // LifetimeReading first: Reading restarts at 0 on ResetMetrics, which would look like a meter reset.
  const energy = resource.EnergykWh?.LifetimeReading ?? resource.EnergykWh?.Reading;
  const energyMilliWattHours = scaled(energy, 1_000_000n, `${path}#EnergykWh`);
  if (energyMilliWattHours === undefined) return undefined;
  if (energyMilliWattHours < 0n) {
    throw new ProtocolFrameError(
      "redfish",
      "bad-value",
      `${path}#EnergykWh`,
      `negative energy ${energy} kWh`,
    );
  }
  const result: ProtocolReading = {
    deviceId,
    channel,
    timestampMs,
    energyImportedMilliWattHours: energyMilliWattHours,
    energyExportedMilliWattHours: 0n,
    quality: "measured",
    authentication: "polled",
  };
  const power = toNumber(scaled(resource.PowerWatts?.Reading, 1_000n, path), path);
  if (power !== undefined) result.powerMilliWatts = power;
  const volts = toNumber(scaled(resource.Voltage?.Reading, 1_000n, path), path);
  if (volts !== undefined) result.voltageMilliVolts = volts;
  const amps = toNumber(scaled(resource.CurrentAmps?.Reading, 1_000n, path), path);
  if (amps !== undefined) result.currentMilliAmperes = amps;
  const pf = toNumber(scaled(resource.PowerWatts?.PowerFactor, 1_000n, path), path);
  if (pf !== undefined) result.powerFactorPerMille = pf;
  return result;
}

/**
 * Readings from a polled Redfish rack PDU: the first main (in the Mains
 * collection's Members order) is channel 0, further mains (a dual-feed PDU)
 * become their own device `<id>/mains-<Id>`; outlets are channels 1…n in the
 * Outlets collection's Members order, which the gateway's device
 * configuration pins to machines. The device id is the PDU's SerialNumber,
 * or its Redfish Id when the service hides the serial. Resources without an
 * EnergykWh reading make no reading (power alone is integrated later,
 * flagged estimated).
 *
 * @throws {ProtocolFrameError} bad-value (negative energy, a number past 2^53).
 * @example
 * ```ts
 * redfishPduToReadings({ pdu, mains, outlets }, { timestampMs: Date.now() });
 * ```
 */
export function redfishPduToReadings(
  resources: {
    pdu: RedfishPowerDistribution;
    mains: readonly RedfishMeteredResource[];
    outlets: readonly RedfishMeteredResource[];
  },
  parameters: { timestampMs: number; deviceId?: string },
): ProtocolReading[] {
  const deviceId = parameters.deviceId ?? resources.pdu.SerialNumber ?? resources.pdu.Id;
  const readings: ProtocolReading[] = [];
  resources.mains.forEach((main, index) => {
    const id = index === 0 ? deviceId : `${deviceId}/mains-${main.Id}`;
    const r = reading(main, id, 0, parameters.timestampMs);
    if (r !== undefined) readings.push(r);
  });
  resources.outlets.forEach((outlet, index) => {
    const r = reading(outlet, deviceId, index + 1, parameters.timestampMs);
    if (r !== undefined) readings.push(r);
  });
  return readings;
}
