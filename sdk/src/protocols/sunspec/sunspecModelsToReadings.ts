import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import type { ProtocolReading } from "../shared/ProtocolReading.ts";
import { decodeSunSpecModel } from "./decodeSunSpecModel.ts";
import type { SunSpecModelBlock } from "./walkSunSpecModels.ts";

const mwh = (wh: number | undefined): bigint =>
  wh === undefined ? 0n : BigInt(Math.round(wh * 1000));

/**
 * Readings from a walked SunSpec device: the serial number of model 1 as
 * device id, one reading per inverter or meter model (channel = its position
 * among them). Energy counters are used (inverter WH as exported energy: a
 * generator delivers; meter TotWhImp/TotWhExp); a device that reports only
 * power gets no reading here, since integrating power belongs to the
 * accounting stage and must be flagged estimated there.
 *
 * @throws {ProtocolFrameError} missing-field when there is no model 1 serial number.
 * @example
 * ```ts
 * sunspecModelsToReadings(await walkSunSpecModels(read), { timestampMs: Date.now() });
 * ```
 */
export function sunspecModelsToReadings(
  models: readonly SunSpecModelBlock[],
  parameters: { timestampMs: number },
): ProtocolReading[] {
  const decoded = models.map(decodeSunSpecModel);
  const serial = decoded.find((p) => p?.kind === "common")?.serialNumber;
  if (serial === undefined)
    throw new ProtocolFrameError("sunspec", "missing-field", "model 1.SN", "no serial number");
  const readings: ProtocolReading[] = [];
  let channel = 0;
  for (const points of decoded) {
    if (points === undefined || points.kind === "common") continue;
    const hasCounter =
      points.kind === "inverter"
        ? points.energyProducedWattHours !== undefined
        : points.energyImportedWattHours !== undefined ||
          points.energyExportedWattHours !== undefined;
    if (hasCounter) {
      const reading: ProtocolReading = {
        deviceId: serial,
        channel,
        timestampMs: parameters.timestampMs,
        energyImportedMilliWattHours:
          points.kind === "inverter" ? 0n : mwh(points.energyImportedWattHours),
        energyExportedMilliWattHours: mwh(
          points.kind === "inverter"
            ? points.energyProducedWattHours
            : points.energyExportedWattHours,
        ),
        quality: "measured",
        authentication: "polled",
      };
      if (points.watts !== undefined) {
        // Inverters report generation as positive W; readings count import as positive.
        reading.powerMilliWatts = Math.round(
          (points.kind === "inverter" ? -points.watts : points.watts) * 1000,
        );
      }
      if (points.voltsPhaseA !== undefined)
        reading.voltageMilliVolts = Math.round(points.voltsPhaseA * 1000);
      if (points.ampsTotal !== undefined)
        reading.currentMilliAmperes = Math.round(points.ampsTotal * 1000);
      readings.push(reading);
    }
    channel += 1;
  }
  return readings;
}
