import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../../../src/config/readRuntimeConfig.ts";
import { readDeviceDashboard } from "../../../../src/dashboard/dashboardQueries.ts";
import { EnergyPanels } from "../../../../src/dashboard/EnergyPanels.tsx";
import { shortHex } from "../../../../src/format/formatQuantities.ts";
import { ProblemPage } from "../../../../src/ui/ProblemPage.tsx";
import { renderServiceProblem } from "../../../../src/ui/renderServiceProblem.tsx";

export const metadata: Metadata = { title: "Device" };

interface PageProps {
  params: Promise<{ id: string }>;
}

export default async function DevicePage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const id = decodeURIComponent((await params).id).toLowerCase();
  let data;
  try {
    data = await readDeviceDashboard(runtime.config.subgraphUrl, id);
  } catch (error) {
    return renderServiceProblem(error);
  }
  const { device } = data;
  if (device === null) {
    return (
      <ProblemPage
        title="No such device"
        what={`No device ${id} is registered on this chain.`}
        todo={
          <p>
            Pick one from <Link href="/dashboard">a machine's page</Link>.
          </p>
        }
      />
    );
  }
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
      <EnergyPanels containers={data.containers} days={data.deviceDailyEnergies} />
    </section>
  );
}
