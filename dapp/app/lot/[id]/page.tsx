import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { cidFromBytes } from "@energy-intelligence/sdk/cid/index";
import {
  footprintDocumentSchema,
  type FootprintDocument,
} from "@energy-intelligence/sdk/footprints/footprintDocumentSchema";
import { readRuntimeConfig } from "../../../src/config/readRuntimeConfig.ts";
import { fetchIpfsDocument } from "../../../src/data/fetchIpfsDocument.ts";
import { normaliseTokenId, readLot, type LotRecord } from "../../../src/data/lotQueries.ts";
import {
  formatChainTime,
  formatEmissions,
  formatEnergy,
  formatTimeMs,
  shortHex,
} from "../../../src/format/formatQuantities.ts";
import { ProblemPage } from "../../../src/ui/ProblemPage.tsx";
import { QrCode } from "../../../src/ui/QrCode.tsx";
import { renderServiceProblem } from "../../../src/ui/renderServiceProblem.tsx";

export const metadata: Metadata = { title: "Product lot" };

const CHANNELS = ["wallet", "portal", "API", "SMS"];
const VERDICTS = ["", "valid", "invalid", "corrected"];

interface PageProps {
  params: Promise<{ id: string }>;
}

/** The public page of a product lot: no wallet, no chain access from the browser, little JS. */
export default async function LotPage({ params }: PageProps) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return null;
  const { id: raw } = await params;
  const id = normaliseTokenId(raw);
  if (id === undefined) {
    return (
      <ProblemPage
        title="That is not a lot number"
        what={`“${decodeURIComponent(raw)}” is not a lot's token id.`}
        todo={<p>A lot id is a decimal number (or 0x-hex), as printed under the QR code.</p>}
      />
    );
  }
  let lot: LotRecord | undefined;
  try {
    lot = await readLot(runtime.config.subgraphUrl, id);
  } catch (error) {
    return renderServiceProblem(error);
  }
  if (lot === undefined) {
    return (
      <ProblemPage
        title={`No lot ${id}`}
        what="No product lot with this id has been minted on this chain, or the indexer has not seen it yet."
        todo={
          <p>
            Check the number on the packaging. A lot minted in the last minute may not be indexed
            yet: reload in a moment.
          </p>
        }
      />
    );
  }
  const cid = cidFromBytes(lot.cid as `0x${string}`).toString();
  let document: FootprintDocument | undefined;
  let documentProblem: string | undefined;
  try {
    const bytes = await fetchIpfsDocument(runtime.config.ipfsGatewayUrl, cid);
    const parsed = footprintDocumentSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    if (parsed.success) document = parsed.data;
    else documentProblem = "the footprint document does not match the ei-footprint-v1 format";
  } catch (error) {
    documentProblem = error instanceof Error ? error.message : String(error);
  }
  const origin =
    runtime.config.publicUrl ??
    `${(await headers()).get("x-forwarded-proto") ?? "http"}://${(await headers()).get("host") ?? "localhost"}`;
  const pageUrl = `${origin}/lot/${id}`;
  const machineNames = new Map<string, string>();
  for (const job of lot.jobs)
    for (const machine of job.machines) machineNames.set(machine.id, machine.name);

  return (
    <article aria-labelledby="lot-title">
      <p className="muted">
        {lot.site.name} · SKU {lot.product.sku} · CPC {lot.product.cpcCode}
      </p>
      <h1 id="lot-title">
        {lot.product.name} — lot <span title={id}>{shortHex(id)}</span>
      </h1>

      <h2>Footprint</h2>
      <dl className="figures" aria-label="Footprint">
        <div>
          <dt>Per unit (location-based)</dt>
          <dd>{formatEmissions(lot.emissionsLocationPerUnitMilligramsCo2e)}</dd>
        </div>
        <div>
          <dt>Per unit (market-based)</dt>
          <dd>{formatEmissions(lot.emissionsMarketPerUnitMilligramsCo2e)}</dd>
        </div>
        <div>
          <dt>Energy per unit</dt>
          <dd>{formatEnergy(lot.energyPerUnitMilliWattHours)}</dd>
        </div>
        <div>
          <dt>Lot total ({lot.units} units)</dt>
          <dd>{formatEmissions(lot.emissionsLocationMilligramsCo2e)}</dd>
          <dd className="muted">
            <small>
              {formatEnergy(lot.energyMilliWattHours)} · market-based{" "}
              {formatEmissions(lot.emissionsMarketMilligramsCo2e)}
            </small>
          </dd>
        </div>
      </dl>

      <div className="actions">
        <Link className="button" href={`/verify/lot/${id}`}>
          Verify this lot
        </Link>
        <a
          className="button secondary"
          href={`/ipfs/${cid}?filename=footprint-lot-${id}.json`}
          download
        >
          Download the footprint document
        </a>
      </div>

      {document === undefined ? (
        <p role="status" className="problem">
          The footprint document could not be read ({documentProblem}). The figures above are the
          ones recorded on chain; the breakdown needs the document.
        </p>
      ) : (
        <Breakdown document={document} machineNames={machineNames} />
      )}

      <h2>Provenance</h2>
      <ul className="provenance" aria-label="Provenance">
        <li>
          Lot {shortHex(id)} minted {formatChainTime(lot.mintedAtTimestamp)} in block{" "}
          {lot.mintedAtBlock}, signed by oracle{" "}
          <code title={lot.signer}>{shortHex(lot.signer)}</code>; footprint document{" "}
          <code title={cid}>{shortHex(cid, 8)}</code>
          <ul>
            {lot.jobs.map((job) => (
              <li key={job.id}>
                Job <code title={job.id}>{shortHex(job.id)}</code> on{" "}
                {job.machines.map((machine) => machine.name).join(", ")}:{" "}
                {job.startedAt === null ? "?" : formatChainTime(job.startedAt)} →{" "}
                {job.stoppedAt === null ? "running" : formatChainTime(job.stoppedAt)},{" "}
                {job.units ?? "?"} units; stamped by{" "}
                {[...new Set(job.stamps.map((stamp) => CHANNELS[stamp.channel] ?? "?"))].join(", ")}
              </li>
            ))}
            {document === undefined ? null : (
              <li>
                Containers of metered readings:
                <ul>
                  {document.containers.map((container) => {
                    const readings = document.readings.filter(
                      (reading) => reading.containerId === container.containerId,
                    ).length;
                    return (
                      <li key={container.containerId}>
                        <Link href={`/verify/container/${container.containerId}`}>
                          container {shortHex(container.containerId, 8)}
                        </Link>{" "}
                        {formatTimeMs(container.periodStartMs)} →{" "}
                        {formatTimeMs(container.periodEndMs)}, {readings} reading
                        {readings === 1 ? "" : "s"} used, each with its Merkle proof to root{" "}
                        <code title={container.merkleRoot}>{shortHex(container.merkleRoot)}</code>
                      </li>
                    );
                  })}
                </ul>
              </li>
            )}
          </ul>
        </li>
      </ul>
      {lot.attestations.length > 0 ? (
        <>
          <h2>Audits</h2>
          <ul>
            {lot.attestations.map((attestation) => (
              <li key={`${attestation.auditor}-${attestation.blockTimestamp}`}>
                {VERDICTS[attestation.verdict] ?? "?"} by auditor{" "}
                <code>{shortHex(attestation.auditor)}</code> on{" "}
                {formatChainTime(attestation.blockTimestamp)}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>This page</h2>
      <QrCode value={pageUrl} label={`QR code of ${pageUrl}`} />
    </article>
  );
}

function Breakdown({
  document,
  machineNames,
}: {
  document: FootprintDocument;
  machineNames: ReadonlyMap<string, string>;
}) {
  const hourRefs = new Set(document.hours.map((hour) => hour.locationFactorRef));
  const locationFactors = document.factors.filter((entry) => hourRefs.has(entry.ref));
  return (
    <>
      <h2>Breakdown</h2>
      <h3>Machines</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Machine</th>
              <th scope="col" className="num">
                Metered in scope
              </th>
              <th scope="col" className="num">
                Idle
              </th>
              <th scope="col" className="num">
                Location-based
              </th>
            </tr>
          </thead>
          <tbody>
            {document.machines.map((machine) => (
              <tr key={machine.machineId}>
                <th scope="row">
                  {machineNames.get(machine.machineId) ?? shortHex(machine.machineId)}
                </th>
                <td className="num">{formatEnergy(machine.metered.energyMilliWattHours)}</td>
                <td className="num">{formatEnergy(machine.idle.energyMilliWattHours)}</td>
                <td className="num">
                  {formatEmissions(machine.metered.emissionsLocationMilligramsCo2e)}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">Site overhead</th>
              <td className="num">
                {formatEnergy(document.overhead.metered.energyMilliWattHours)}
              </td>
              <td className="num">—</td>
              <td className="num">
                {formatEmissions(document.overhead.metered.emissionsLocationMilligramsCo2e)}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <h3>Energy</h3>
      <p>
        {formatEnergy(document.lot.total.energyMilliWattHours)} allocated to this lot of{" "}
        {formatEnergy(document.metered.energyMilliWattHours)} metered in the scope (
        {formatTimeMs(document.scope.startMs)} → {formatTimeMs(document.scope.endMs)}),{" "}
        {document.readings.length} readings.
        {document.flags.length > 0 ? ` Flags: ${document.flags.join(", ")}.` : ""}
      </p>
      <h3>Grid factor</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Region</th>
              <th scope="col" className="num">
                Factor
              </th>
              <th scope="col">Kind</th>
            </tr>
          </thead>
          <tbody>
            {locationFactors.map(({ ref, factor }) => (
              <tr key={ref}>
                <td>
                  <a href={factor.citation.url} rel="noreferrer">
                    {factor.source} {factor.version}
                  </a>
                </td>
                <td>{factor.regionName}</td>
                <td className="num">
                  {factor.value} {factor.unit}
                </td>
                <td>{factor.kind}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Method</h3>
      <p>
        Electricity of the production step only (ISO 14067 cradle-to-gate share), from metered
        counters hour by hour. Jobs sharing a machine split it by{" "}
        <strong>{document.rules.overlap}</strong>; idle energy is allocated by{" "}
        <strong>{document.rules.idle}</strong>, site overhead by{" "}
        <strong>{document.rules.overhead}</strong>; rounding {document.rounding} (nothing created or
        lost). Location-based emissions use the grid factor above; market-based figures follow the
        GHG Protocol Scope 2 quality criteria.
      </p>
    </>
  );
}
