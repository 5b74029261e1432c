import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../../../src/config/readRuntimeConfig.ts";
import { readMachineDashboard } from "../../../../src/dashboard/dashboardQueries.ts";
import { EnergyPanels } from "../../../../src/dashboard/EnergyPanels.tsx";
import { shortHex } from "../../../../src/format/formatQuantities.ts";
import { ProblemPage } from "../../../../src/ui/ProblemPage.tsx";
import { renderServiceProblem } from "../../../../src/ui/renderServiceProblem.tsx";

export const metadata: Metadata = { title: "Machine" };

interface PageProps {
  params: Promise<{ id: string }>;
}

export default async function MachinePage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const id = decodeURIComponent((await params).id).toLowerCase();
  let data;
  try {
    data = await readMachineDashboard(runtime.config.subgraphUrl, id);
  } catch (error) {
    return renderServiceProblem(error);
  }
  const { machine } = data;
  if (machine === null) {
    return (
      <ProblemPage
        title="No such machine"
        what={`No machine ${id} is registered on this chain.`}
        todo={
          <p>
            Pick one from <Link href="/dashboard">a factory's page</Link>.
          </p>
        }
      />
    );
  }
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
      <EnergyPanels containers={data.containers} days={data.machineDailyEnergies} />
    </section>
  );
}
