import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../src/config/readRuntimeConfig.ts";
import { readSites } from "../../src/dashboard/dashboardQueries.ts";
import { formatEmissions, formatEnergy } from "../../src/format/formatQuantities.ts";
import { DashboardProblem } from "../../src/dashboard/DashboardProblem.tsx";

export const metadata: Metadata = { title: "Factories" };

export default async function DashboardPage() {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const read = await readSites(runtime.config.subgraphUrl);
  if ("error" in read) return <DashboardProblem error={read.error} />;
  const sites = read.data;
  return (
    <section>
      <h1>Factories</h1>
      {sites.length === 0 ? (
        <p>
          No site is registered on this chain yet. Register one with the deploy scripts or ei start.
        </p>
      ) : (
        <ul className="cards">
          {sites.map((site) => (
            <li key={site.id}>
              <Link href={`/dashboard/site/${site.id}`}>{site.name}</Link>
              <p>
                {formatEnergy(site.energyImportedMilliWattHours)} in {site.containerCount}{" "}
                containers
                <br />
                {formatEmissions(site.emissionsLocationMilligramsCo2e)} location-based ·{" "}
                {formatEmissions(site.emissionsMarketMilligramsCo2e)} market-based
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
