import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../../../src/config/readRuntimeConfig.ts";
import { readMachineDashboard } from "../../../../src/dashboard/dashboardQueries.ts";
import { EnergyPanels } from "../../../../src/dashboard/EnergyPanels.tsx";
import { shortHex } from "../../../../src/format/formatQuantities.ts";
import { DashboardProblem } from "../../../../src/dashboard/DashboardProblem.tsx";

export const metadata: Metadata = { title: "Machine" };

interface PageProps {
  params: Promise<{ id: string }>;
}

export default async function MachinePage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const id = decodeURIComponent((await params).id).toLowerCase();
  const read = await readMachineDashboard(runtime.config.subgraphUrl, id);
  if ("error" in read) return <DashboardProblem error={read.error} />;
  const { subject: machine, days, containers } = read.data;
  return (
    <section>
      <p className="muted">
        <Link href="/dashboard">Factories</Link> ›{" "}
        <Link href={`/dashboard/site/${machine.site.id}`}>{machine.site.name}</Link> ›
      </p>
      <h1>{machine.name}</h1>
      <h2>Devices</h2>
      <ul>
        {machine.devices.map((device) => (
          <li key={device.id}>
            <Link href={`/dashboard/device/${device.id}`} title={device.id}>
              {shortHex(device.id)}
            </Link>{" "}
            {device.currentKeyHash === null ? "(no active key)" : ""}
          </li>
        ))}
      </ul>
      <EnergyPanels containers={containers} days={days} />
    </section>
  );
}
