import Link from "next/link";

export default function HomePage() {
  return (
    <section>
      <h1>Energy-Intelligence</h1>
      <p>Metered factory electricity, signed, anchored on chain and tied to production lots.</p>
      <ul className="cards">
        <li>
          <Link href="/dashboard">Factories, machines and devices</Link>
          <p>Power, energy and emissions as the gateway anchors them.</p>
        </li>
        <li>
          <Link href="/products">Products and lots</Link>
          <p>Footprint per unit of each lot over time.</p>
        </li>
        <li>
          <Link href="/verify">Verify a container or a lot</Link>
          <p>Every check run in your browser, from the chain and IPFS alone.</p>
        </li>
      </ul>
    </section>
  );
}
