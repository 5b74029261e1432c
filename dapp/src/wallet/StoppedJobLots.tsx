"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { Address, Hex, PublicClient } from "viem";
import { productLotsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import type { CatalogJob } from "./readSiteCatalog.ts";

/** How many of the newest stopped jobs the operator sees with their lots. */
const SHOWN = 5;
const POLL_MS = 3000;

const short = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-4)}`;
const shortId = (id: string) => (id.length > 16 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id);

/**
 * The newest stopped jobs of a site and the lot the gateway minted for each
 * (`ProductLots.lotOfJob`), with links to the lot's public page and its
 * verification: what an operator checks after stopping a job. The gateway
 * mints once the containers covering the job are anchored, so a lot may take
 * a few periods to appear; the chain is asked again until it does.
 */
export function StoppedJobLots({
  publicClient,
  productLots,
  siteId,
  jobs,
}: {
  publicClient: PublicClient;
  productLots: Address;
  siteId: Hex;
  /** The site's jobs, newest first (stopped ones are picked here). */
  jobs: readonly CatalogJob[];
}) {
  const stopped = jobs.filter((job) => job.stoppedAtS !== null).slice(0, SHOWN);
  const key = stopped.map((job) => job.jobId).join(",");
  /** Decimal lot id per job id; absent: not minted yet. */
  const [lots, setLots] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    const jobIds = key === "" ? [] : (key.split(",") as Hex[]);
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      const found: Record<string, string> = {};
      try {
        for (const jobId of jobIds) {
          const lotId = await publicClient.readContract({
            address: productLots,
            abi: productLotsAbi,
            functionName: "lotOfJob",
            args: [siteId, jobId],
          });
          if (lotId !== 0n) found[jobId] = lotId.toString();
        }
        if (cancelled) return;
        setLots(found);
        setProblem(undefined);
      } catch (error) {
        if (!cancelled) setProblem(`Cannot read the lots from the chain: ${String(error)}`);
      }
      if (!cancelled && jobIds.some((jobId) => found[jobId] === undefined))
        timer = setTimeout(() => void read(), POLL_MS);
    };
    void read();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [publicClient, productLots, siteId, key]);

  if (stopped.length === 0) return null;
  return (
    <section aria-labelledby="wallet-lots-title">
      <h2 id="wallet-lots-title">Stopped jobs and their lots</h2>
      {problem ? (
        <p role="alert" className="status status-fail">
          {problem}
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Job</th>
              <th>Units</th>
              <th>Lot</th>
            </tr>
          </thead>
          <tbody>
            {stopped.map((job) => {
              const lotId = lots[job.jobId];
              return (
                <tr key={job.jobId} data-stopped-job={job.jobId}>
                  <td className="mono">{short(job.jobId)}</td>
                  <td>{job.units}</td>
                  <td>
                    {lotId === undefined ? (
                      <span className="muted">
                        Not minted yet: the gateway mints the lot once the energy data covering the
                        job is anchored.
                      </span>
                    ) : (
                      <>
                        <Link href={`/lot/${lotId}`} data-lot={lotId}>
                          Lot {shortId(lotId)}
                        </Link>{" "}
                        (<Link href={`/verify/lot/${lotId}`}>verify</Link>)
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
