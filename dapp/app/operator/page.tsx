import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Operators" };

export default function OperatorPage() {
  return (
    <section>
      <h1>Stamp production jobs</h1>
      <p>
        A job&apos;s start and stop tie the machines&apos; metered energy to the product it made.
      </p>
      <ul className="cards">
        <li className="card">
          <Link href="/operator/wallet">From a wallet</Link>
          <p>
            Your wallet sends each stamp to the chain (channel “wallet”). Needs the site&apos;s
            operator role.
          </p>
        </li>
        <li className="card">
          <Link href="/operator/portal">Operator portal</Link>
          <p>
            Sign in with a password or a passkey; the site gateway relays your stamps (channel
            “portal”).
          </p>
        </li>
      </ul>
    </section>
  );
}
