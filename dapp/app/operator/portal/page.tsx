import type { Metadata } from "next";
import Link from "next/link";
import { PortalApp } from "./PortalApp.tsx";

export const metadata: Metadata = { title: "Operator portal" };

export default function PortalPage() {
  return (
    <section>
      <h1>Operator portal</h1>
      <p>
        Start and stop production jobs without a wallet. Operators with a wallet can{" "}
        <Link href="/operator/wallet">stamp from it</Link> instead.
      </p>
      <PortalApp />
    </section>
  );
}
