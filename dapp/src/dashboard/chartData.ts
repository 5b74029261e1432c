import type { ContainerRow, DailyEnergy, LotRow } from "./dashboardQueries.ts";
import type { ChartPoint } from "./TimeChart.tsx";

const MS_PER_DAY = 86_400_000;

/** mWh → kWh and mg → kg as chart numbers (charts need floats; tables keep exact figures). */
const kWh = (milliWattHours: string): number => Number(BigInt(milliWattHours)) / 1e6;
const kg = (milligrams: string): number => Number(BigInt(milligrams)) / 1e6;

function timeLabel(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(5, 16).replace("T", " ");
}

/** Average power of each container period (W), oldest first: energy over the period's length. */
export function powerPoints(containers: readonly ContainerRow[]): ChartPoint[] {
  return [...containers]
    .sort((a, b) => Number(BigInt(a.periodStart) - BigInt(b.periodStart)))
    .map((container) => {
      const seconds = Number(BigInt(container.periodEnd) - BigInt(container.periodStart));
      const wattHours = Number(BigInt(container.energyImportedMilliWattHours)) / 1000;
      return {
        time: timeLabel(Number(container.periodStart)),
        watts: seconds > 0 ? Math.round((wattHours * 3600) / seconds) : 0,
      };
    });
}

/** Cumulative energy (kWh) over the containers, oldest first. */
export function cumulativeEnergyPoints(containers: readonly ContainerRow[]): ChartPoint[] {
  let total = 0n;
  return [...containers]
    .sort((a, b) => Number(BigInt(a.periodStart) - BigInt(b.periodStart)))
    .map((container) => {
      total += BigInt(container.energyImportedMilliWattHours);
      return { time: timeLabel(Number(container.periodEnd)), kWh: Number(total) / 1e6 };
    });
}

/** Daily energy (kWh) and both Scope 2 figures (kg CO2e), oldest day first. */
export function dailyPoints(days: readonly DailyEnergy[]): ChartPoint[] {
  return [...days]
    .sort((a, b) => a.day - b.day)
    .map((day) => ({
      day: new Date(day.day * MS_PER_DAY).toISOString().slice(0, 10),
      kWh: kWh(day.energyImportedMilliWattHours),
      location: kg(day.emissionsLocationMilligramsCo2e),
      market: kg(day.emissionsMarketMilligramsCo2e),
    }));
}

/** Footprint per unit of each lot (g CO2e, both methods) at its mint time, in the lots' order. */
export function footprintPerUnitPoints(lots: readonly LotRow[]): ChartPoint[] {
  return lots.map((lot) => ({
    time: timeLabel(Number(lot.mintedAtTimestamp)),
    location: Number(BigInt(lot.emissionsLocationPerUnitMilligramsCo2e)) / 1000,
    market: Number(BigInt(lot.emissionsMarketPerUnitMilligramsCo2e)) / 1000,
  }));
}
