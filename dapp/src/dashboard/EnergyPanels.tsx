import Link from "next/link";
import {
  formatChainTime,
  formatEmissions,
  formatEnergy,
  shortHex,
} from "../format/formatQuantities.ts";
import { cumulativeEnergyPoints, dailyPoints, powerPoints } from "./chartData.ts";
import type { ContainerRow, DailyEnergy } from "./dashboardQueries.ts";
import { ChartSection, EMISSIONS_SERIES, ENERGY_SERIES, POWER_SERIES } from "./ChartSection.tsx";

/** Power, cumulative energy, daily energy and daily emissions (both methods), then the containers. */
export function EnergyPanels({
  containers,
  days,
}: {
  containers: readonly ContainerRow[];
  days: readonly DailyEnergy[];
}) {
  const daily = dailyPoints(days);
  return (
    <>
      <ChartSection
        heading="Power over time"
        title="Average power per container period"
        kind="line"
        data={powerPoints(containers)}
        xKey="time"
        unit="W"
        series={POWER_SERIES}
      />
      <ChartSection
        heading="Energy over time"
        title="Cumulative energy"
        kind="line"
        data={cumulativeEnergyPoints(containers)}
        xKey="time"
        unit="kWh"
        series={ENERGY_SERIES}
      />
      <ChartSection
        heading="Daily energy"
        title="Daily energy"
        kind="bar"
        data={daily}
        xKey="day"
        unit="kWh"
        series={ENERGY_SERIES}
      />
      <ChartSection
        heading="Daily emissions"
        title="Daily emissions, location- and market-based"
        kind="bar"
        data={daily}
        xKey="day"
        unit="kg"
        series={EMISSIONS_SERIES}
      />
      <h2>Containers</h2>
      {containers.length === 0 ? (
        <p className="muted">No containers anchored yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Container</th>
                <th scope="col">Period start</th>
                <th scope="col" className="num">
                  Readings
                </th>
                <th scope="col" className="num">
                  Energy
                </th>
                <th scope="col" className="num">
                  Location-based
                </th>
                <th scope="col" className="num">
                  Market-based
                </th>
              </tr>
            </thead>
            <tbody>
              {containers.slice(0, 50).map((container) => (
                <tr key={container.id}>
                  <td>
                    <Link href={`/verify/container/${container.id}`} title={container.id}>
                      {shortHex(container.id, 6)}
                    </Link>
                  </td>
                  <td>{formatChainTime(container.periodStart)}</td>
                  <td className="num">{container.readingCount}</td>
                  <td className="num">{formatEnergy(container.energyImportedMilliWattHours)}</td>
                  <td className="num">
                    {formatEmissions(container.emissionsLocationMilligramsCo2e)}
                  </td>
                  <td className="num">
                    {formatEmissions(container.emissionsMarketMilligramsCo2e)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
