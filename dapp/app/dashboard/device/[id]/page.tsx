import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../../../src/config/readRuntimeConfig.ts";
import { readDeviceDashboard } from "../../../../src/dashboard/dashboardQueries.ts";
import { EnergyPanels } from "../../../../src/dashboard/EnergyPanels.tsx";
import { shortHex } from "../../../../src/format/formatQuantities.ts";
import { DashboardProblem } from "../../../../src/dashboard/DashboardProblem.tsx";

export const metadata: Metadata = { title: "Device" };

interface PageProps {
  params: Promise<{ id: string }>;
}

export default async function DevicePage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const id = decodeURIComponent((await params).id).toLowerCase();
  const read = await readDeviceDashboard(runtime.config.subgraphUrl, id);
  if ("error" in read) return <DashboardProblem error={read.error} />;
  const { subject: device, days, containers } = read.data;
  return (
    <section>
      <p className="muted">
        <Link href="/dashboard">Factories</Link> ›{" "}
        <Link href={`/dashboard/site/${device.site.id}`}>{device.site.name}</Link> ›{" "}
        {device.machine === null ? null : (
          <Link href={`/dashboard/machine/${device.machine.id}`}>{device.machine.name}</Link>
        )}
      </p>
      <h1 title={device.id}>Device {shortHex(device.id)}</h1>
      <p>
        {device.currentKeyHash === null ? "No active key (revoked or not yet activated)" : "Active"}
      </p>
      <EnergyPanels containers={containers} days={days} />
    </section>
  );
}
