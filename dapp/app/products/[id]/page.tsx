import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../../src/config/readRuntimeConfig.ts";
import { readProductDashboard } from "../../../src/dashboard/dashboardQueries.ts";
import { ChartSection, EMISSIONS_SERIES } from "../../../src/dashboard/ChartSection.tsx";
import { footprintPerUnitPoints } from "../../../src/dashboard/chartData.ts";
import { DashboardProblem } from "../../../src/dashboard/DashboardProblem.tsx";
import {
  formatChainTime,
  formatEmissions,
  formatEnergy,
  shortHex,
} from "../../../src/format/formatQuantities.ts";

export const metadata: Metadata = { title: "Product" };

interface PageProps {
  params: Promise<{ id: string }>;
}

export default async function ProductPage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const id = decodeURIComponent((await params).id).toLowerCase();
  const read = await readProductDashboard(runtime.config.subgraphUrl, id);
  if ("error" in read) return <DashboardProblem error={read.error} />;
  const { subject: product, lots } = read.data;
  return (
    <section>
      <p className="muted">
        <Link href="/products">Products</Link> › {product.site.name}
      </p>
      <h1>{product.name}</h1>
      <p>
        SKU {product.sku} · CPC {product.cpcCode}
      </p>
      <ChartSection
        heading="Footprint per unit over time"
        title="Footprint per unit of each lot"
        kind="line"
        data={footprintPerUnitPoints(lots)}
        xKey="time"
        unit="g"
        series={EMISSIONS_SERIES}
      />
      <h2>Lots</h2>
      {lots.length === 0 ? (
        <p className="muted">No lot minted yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Lot</th>
                <th scope="col">Minted</th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col" className="num">
                  Energy per unit
                </th>
                <th scope="col" className="num">
                  Per unit (location)
                </th>
                <th scope="col" className="num">
                  Per unit (market)
                </th>
              </tr>
            </thead>
            <tbody>
              {[...lots].reverse().map((lot) => (
                <tr key={lot.id}>
                  <td>
                    <Link href={`/lot/${lot.id}`} title={lot.id}>
                      {shortHex(lot.id)}
                    </Link>
                  </td>
                  <td>{formatChainTime(lot.mintedAtTimestamp)}</td>
                  <td className="num">{lot.units}</td>
                  <td className="num">{formatEnergy(lot.energyPerUnitMilliWattHours)}</td>
                  <td className="num">
                    {formatEmissions(lot.emissionsLocationPerUnitMilligramsCo2e)}
                  </td>
                  <td className="num">
                    {formatEmissions(lot.emissionsMarketPerUnitMilligramsCo2e)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
