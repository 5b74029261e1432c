import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../../src/config/readRuntimeConfig.ts";
import { readProductDashboard } from "../../../src/dashboard/dashboardQueries.ts";
import { TimeChart } from "../../../src/dashboard/TimeChart.tsx";
import {
  formatChainTime,
  formatEmissions,
  formatEnergy,
  shortHex,
} from "../../../src/format/formatQuantities.ts";
import { ProblemPage } from "../../../src/ui/ProblemPage.tsx";
import { renderServiceProblem } from "../../../src/ui/renderServiceProblem.tsx";

export const metadata: Metadata = { title: "Product" };

interface PageProps {
  params: Promise<{ id: string }>;
}

export default async function ProductPage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const id = decodeURIComponent((await params).id).toLowerCase();
  let data;
  try {
    data = await readProductDashboard(runtime.config.subgraphUrl, id);
  } catch (error) {
    return renderServiceProblem(error);
  }
  const { product, productLots: lots } = data;
  if (product === null) {
    return (
      <ProblemPage
        title="No such product"
        what={`No product ${id} is registered on this chain.`}
        todo={
          <p>
            Pick one from <Link href="/products">the products</Link>.
          </p>
        }
      />
    );
  }
  const points = lots.map((lot) => ({
    time: new Date(Number(lot.mintedAtTimestamp) * 1000)
      .toISOString()
      .slice(5, 16)
      .replace("T", " "),
    location: Number(BigInt(lot.emissionsLocationPerUnitMilligramsCo2e)) / 1000,
    market: Number(BigInt(lot.emissionsMarketPerUnitMilligramsCo2e)) / 1000,
  }));
  return (
    <section>
      <p className="muted">
        <Link href="/products">Products</Link> › {product.site.name}
      </p>
      <h1>{product.name}</h1>
      <p>
        SKU {product.sku} · CPC {product.cpcCode}
      </p>
      <h2>Footprint per unit over time</h2>
      <TimeChart
        title="Footprint per unit of each lot"
        kind="line"
        data={points}
        xKey="time"
        unit="g"
        series={[
          { key: "location", label: "location-based", color: "#b3261e" },
          { key: "market", label: "market-based", color: "#7a6a12" },
        ]}
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
