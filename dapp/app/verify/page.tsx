import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { normaliseTokenId } from "../../src/data/lotQueries.ts";

export const metadata: Metadata = { title: "Verify" };

interface PageProps {
  searchParams: Promise<{ kind?: string; id?: string }>;
}

/** Pick what to verify; a plain GET form, so it works before any JS has loaded. */
export default async function VerifyIndexPage({ searchParams }: PageProps) {
  const { kind, id } = await searchParams;
  let problem: string | undefined;
  if (kind !== undefined && id !== undefined) {
    const normalised = normaliseTokenId(id);
    if ((kind === "lot" || kind === "container") && normalised !== undefined) {
      redirect(`/verify/${kind}/${normalised}`);
    }
    problem = `“${id}” is not a token id: enter the decimal (or 0x-hex) id of a ${kind === "container" ? "container" : "lot"}.`;
  }
  return (
    <section>
      <h1>Verify a lot or a container</h1>
      <p>
        Every check runs in your browser from the chain and IPFS alone: nothing this site says is
        taken on trust.
      </p>
      <form method="get" action="/verify" className="actions">
        <label>
          Kind{" "}
          <select name="kind" defaultValue={kind ?? "lot"}>
            <option value="lot">product lot</option>
            <option value="container">data container</option>
          </select>
        </label>
        <label>
          Token id <input name="id" required inputMode="numeric" defaultValue={id} size={30} />
        </label>
        <button type="submit">Verify</button>
      </form>
      {problem === undefined ? null : (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
    </section>
  );
}
