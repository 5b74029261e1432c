import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../src/config/readRuntimeConfig.ts";
import { readProducts } from "../../src/dashboard/dashboardQueries.ts";
import { DashboardProblem } from "../../src/dashboard/DashboardProblem.tsx";

export const metadata: Metadata = { title: "Products" };

export default async function ProductsPage() {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const read = await readProducts(runtime.config.subgraphUrl);
  if ("error" in read) return <DashboardProblem error={read.error} />;
  const products = read.data;
  return (
    <section>
      <h1>Products</h1>
      {products.length === 0 ? (
        <p>No product is registered yet.</p>
      ) : (
        <ul className="cards">
          {products.map((product) => (
            <li key={product.id}>
              <Link href={`/products/${product.id}`}>{product.name}</Link>
              <p className="muted">
                SKU {product.sku} · {product.site.name}
                {product.lots.length === 0 ? " · no lots yet" : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
