import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { RuntimeConfigProvider } from "../src/config/RuntimeConfigProvider.tsx";
import { readRuntimeConfig } from "../src/config/readRuntimeConfig.ts";
import { ProblemPage } from "../src/ui/ProblemPage.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Energy-Intelligence", template: "%s · Energy-Intelligence" },
  description: "Metered factory electricity turned into verifiable carbon data.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const runtime = await readRuntimeConfig();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            Energy-Intelligence
          </Link>
          <nav aria-label="Main">
            <Link href="/dashboard">Factories</Link>
            <Link href="/products">Products</Link>
            <Link href="/verify">Verify</Link>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {runtime.ok ? (
            <RuntimeConfigProvider config={runtime.config}>{children}</RuntimeConfigProvider>
          ) : (
            <ProblemPage
              title="This dapp is not configured"
              what="The server does not know where the chain, the gateway or the subgraph are."
              todo={
                <p>
                  Set the environment variables below and restart it (docs/dapp.md lists them);
                  <code> ei start</code> sets them for you.
                </p>
              }
              details={runtime.problems}
            />
          )}
        </main>
      </body>
    </html>
  );
}
