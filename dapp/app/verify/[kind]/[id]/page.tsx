import type { Metadata } from "next";
import Link from "next/link";
import { readRuntimeConfig } from "../../../../src/config/readRuntimeConfig.ts";
import { normaliseTokenId } from "../../../../src/data/lotQueries.ts";
import { ProblemPage } from "../../../../src/ui/ProblemPage.tsx";
import { VerifyRunner } from "../../../../src/verify/VerifyRunner.tsx";

export const metadata: Metadata = { title: "Verify" };

interface PageProps {
  params: Promise<{ kind: string; id: string }>;
}

/** The auditor's page: the sdk's checks run in the browser against the chain and IPFS. */
export default async function VerifyPage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const { kind, id: raw } = await params;
  const id = normaliseTokenId(raw);
  if ((kind !== "lot" && kind !== "container") || id === undefined) {
    return (
      <ProblemPage
        title="Nothing to verify at this address"
        what={`/verify/${kind}/${decodeURIComponent(raw)} names neither a lot nor a container by its token id.`}
        todo={
          <p>
            Use <Link href="/verify">the verify form</Link>: pick lot or container and enter its
            decimal or 0x-hex token id.
          </p>
        }
      />
    );
  }
  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">
        Verify {kind}{" "}
        <span title={id}>{id.length > 20 ? `${id.slice(0, 8)}…${id.slice(-8)}` : id}</span>
      </h1>
      {kind === "lot" ? (
        <p>
          <Link href={`/lot/${id}`}>The lot's public page</Link>
        </p>
      ) : null}
      <VerifyRunner kind={kind} id={id} />
    </section>
  );
}
