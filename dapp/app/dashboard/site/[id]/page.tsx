import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../../../src/config/readRuntimeConfig.ts";
import { readSiteDashboard } from "../../../../src/dashboard/dashboardQueries.ts";
import { EnergyPanels } from "../../../../src/dashboard/EnergyPanels.tsx";
import {
  formatEmissions,
  formatEnergy,
  shortHex,
} from "../../../../src/format/formatQuantities.ts";
import { DashboardProblem } from "../../../../src/dashboard/DashboardProblem.tsx";

export const metadata: Metadata = { title: "Factory" };

interface PageProps {
  params: Promise<{ id: string }>;
}

export default async function SitePage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const id = decodeURIComponent((await params).id).toLowerCase();
  const read = await readSiteDashboard(runtime.config.subgraphUrl, id);
  if ("error" in read) return <DashboardProblem error={read.error} />;
  const { subject: site, days, containers } = read.data;
  return (
    <section>
      <p className="muted">
        <Link href="/dashboard">Factories</Link> ›
      </p>
      <h1>{site.name}</h1>
      <dl className="figures">
        <div>
          <dt>Energy imported</dt>
          <dd>{formatEnergy(site.energyImportedMilliWattHours)}</dd>
        </div>
        <div>
          <dt>Location-based</dt>
          <dd>{formatEmissions(site.emissionsLocationMilligramsCo2e)}</dd>
        </div>
        <div>
          <dt>Market-based</dt>
          <dd>{formatEmissions(site.emissionsMarketMilligramsCo2e)}</dd>
        </div>
        <div>
          <dt>Containers</dt>
          <dd>{site.containerCount}</dd>
        </div>
      </dl>
      <h2>Machines</h2>
      <ul className="cards">
        {site.machines.map((machine) => (
          <li key={machine.id}>
            <Link href={`/dashboard/machine/${machine.id}`}>{machine.name}</Link>
            <p className="muted">
              {machine.devices.length} device{machine.devices.length === 1 ? "" : "s"}:{" "}
              {machine.devices.map((device, index) => (
                <span key={device.id}>
                  {index > 0 ? ", " : ""}
                  <Link href={`/dashboard/device/${device.id}`} title={device.id}>
                    {shortHex(device.id, 4)}
                  </Link>
                </span>
              ))}
            </p>
          </li>
        ))}
      </ul>
      <EnergyPanels containers={containers} days={days} />
    </section>
  );
}
