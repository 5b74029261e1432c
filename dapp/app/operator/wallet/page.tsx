import type { Metadata } from "next";
import Link from "next/link";
import { WalletStamping } from "./WalletStamping.tsx";

export const metadata: Metadata = { title: "Stamp jobs from a wallet" };

export default function WalletPage() {
  return (
    <section>
      <h1>Stamp jobs from a wallet</h1>
      <p>
        Your wallet sends the start and the stop to the JobStamps contract itself; it needs the
        site&apos;s operator role. Without a wallet, use the{" "}
        <Link href="/operator/portal">operator portal</Link>.
      </p>
      <WalletStamping />
    </section>
  );
}
