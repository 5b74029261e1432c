"use client";
import { useEffect, useState } from "react";
import type { Hex, PublicClient } from "viem";
import {
  useConnect,
  useConnection,
  useConnectors,
  useDisconnect,
  usePublicClient,
  useSwitchChain,
  useWalletClient,
} from "wagmi";
import { deriveJobId } from "@energy-intelligence/sdk/jobs/deriveJobId";
import { useRuntimeConfig } from "../../../src/config/RuntimeConfigProvider.tsx";
import { chainFromConfig } from "../../../src/wallet/createWagmiConfig.ts";
import {
  type WalletProblem,
  describeWalletError,
} from "../../../src/wallet/describeWalletError.ts";
import {
  type CatalogSite,
  type SiteCatalog,
  readSiteCatalog,
  readSites,
} from "../../../src/wallet/readSiteCatalog.ts";
import { type WalletStampState, runWalletStamp } from "../../../src/wallet/runWalletStamp.ts";
import { StoppedJobLots } from "../../../src/wallet/StoppedJobLots.tsx";
import { JobStampForm, JobStopForm } from "../../../src/stamping/JobStampForm.tsx";
import type { JobStartDraft } from "../../../src/stamping/validateJobStamp.ts";

const short = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-4)}`;
const timeOf = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(11, 19)} UTC`;

function ProblemNote({
  problem,
  onSwitch,
}: {
  problem: WalletProblem;
  onSwitch?: (() => void) | undefined;
}) {
  return (
    <div role="alert" className="status status-fail" data-problem={problem.kind}>
      <p>
        <strong>{problem.title}</strong>
      </p>
      <p>{problem.hint}</p>
      {problem.kind === "wrong_network" && onSwitch ? (
        <button className="button" type="button" onClick={onSwitch}>
          Switch network
        </button>
      ) : null}
    </div>
  );
}

function TransactionState({ state, onSwitch }: { state: WalletStampState; onSwitch: () => void }) {
  switch (state.step) {
    case "idle":
      return null;
    case "checking":
      return <p className="status">Checking the stamp with the contract…</p>;
    case "signing":
      return <p className="status">Waiting for your signature in the wallet…</p>;
    case "pending":
      return (
        <p className="status">
          Pending: transaction <span className="mono">{short(state.hash)}</span> sent, waiting for a
          block…
        </p>
      );
    case "confirmed":
      return (
        <p className="status status-ok">
          Confirmed in block {state.blockNumber.toString()} (transaction{" "}
          <span className="mono">{short(state.hash)}</span>).
        </p>
      );
    case "failed":
      return <ProblemNote problem={state.problem} onSwitch={onSwitch} />;
  }
}

/** Start and stop jobs from an operator's wallet (channel 0, straight to JobStamps). */
export function WalletStamping() {
  const config = useRuntimeConfig();
  const chain = chainFromConfig(config);
  const connection = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const switchChain = useSwitchChain();
  const publicClient = usePublicClient() as PublicClient | undefined;
  const { data: walletClient } = useWalletClient();
  const [connectProblem, setConnectProblem] = useState<WalletProblem>();
  const [sites, setSites] = useState<CatalogSite[]>();
  const [siteId, setSiteId] = useState<Hex>();
  const [catalog, setCatalog] = useState<SiteCatalog>();
  const [readProblem, setReadProblem] = useState<string>();
  const [tx, setTx] = useState<WalletStampState>({ step: "idle" });
  const context = { chainName: chain.name, chainId: chain.id };
  const registry = config.deployments.EnergyRegistry;
  const jobStamps = config.deployments.JobStamps;
  const fromBlock = BigInt(Math.min(registry.startBlock, jobStamps.startBlock));

  useEffect(() => {
    if (publicClient === undefined) return;
    readSites({ publicClient, registry: registry.address, fromBlock })
      .then((found) => {
        setSites(found);
        setSiteId((current) => current ?? found[0]?.siteId);
      })
      .catch((error: unknown) => {
        setReadProblem(`Cannot read the sites from the chain: ${String(error)}`);
      });
  }, [publicClient, registry.address, fromBlock]);

  // Bumped after a confirmed stamp, so the catalog is read again at once.
  const [reads, setReads] = useState(0);

  useEffect(() => {
    if (publicClient === undefined || siteId === undefined) return;
    let cancelled = false;
    const read = () => {
      readSiteCatalog({
        publicClient,
        registry: registry.address,
        jobStamps: jobStamps.address,
        siteId,
        fromBlock,
      }).then(
        (next) => {
          if (cancelled) return;
          setCatalog(next);
          setReadProblem(undefined);
        },
        (error: unknown) => {
          if (!cancelled)
            setReadProblem(
              `Cannot read the site from the chain (${config.rpcUrl}): ${String(error)}`,
            );
        },
      );
    };
    read();
    const timer = setInterval(read, 3000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [publicClient, siteId, registry.address, jobStamps.address, fromBlock, config.rpcUrl, reads]);

  const doSwitch = () => {
    switchChain.mutateAsync({ chainId: chain.id }).then(
      () => {
        setTx({ step: "idle" });
      },
      (error: unknown) => {
        setConnectProblem(describeWalletError(error, context));
      },
    );
  };

  const stamp = async (action: Parameters<typeof runWalletStamp>[0]["stamp"]) => {
    if (publicClient === undefined) return;
    if (walletClient === undefined || connection.address === undefined) {
      setTx({
        step: "failed",
        problem: describeWalletError({ name: "ConnectorNotConnectedError" }, context),
      });
      return;
    }
    const final = await runWalletStamp({
      publicClient,
      walletClient,
      account: connection.address,
      jobStamps: jobStamps.address,
      chain: { id: chain.id, name: chain.name },
      stamp: action,
      onState: setTx,
    });
    if (final.step === "confirmed") setReads((count) => count + 1);
  };

  const start = (draft: JobStartDraft) => {
    if (siteId === undefined) return;
    const { reference } = draft;
    let jobId: Hex;
    try {
      jobId = deriveJobId({ siteId, reference });
    } catch (error) {
      setTx({
        step: "failed",
        problem: {
          kind: "unknown",
          title: (error as Error).message,
          hint: "Give a job reference of 1 to 64 characters.",
        },
      });
      return;
    }
    void stamp({
      action: "start",
      siteId,
      jobId,
      machineIds: draft.machineIds as Hex[],
      productId: draft.productId as Hex,
    });
  };

  // wagmi always lists its generic injected connector; show only those with a wallet behind them.
  const [available, setAvailable] = useState<string[]>();
  useEffect(() => {
    let cancelled = false;
    void Promise.all(
      connectors.map(async (connector) =>
        (await connector.getProvider().catch(() => undefined)) ? connector.uid : undefined,
      ),
    ).then((uids) => {
      if (!cancelled) setAvailable(uids.filter((uid): uid is string => uid !== undefined));
    });
    return () => {
      cancelled = true;
    };
  }, [connectors]);
  const injectedConnectors = connectors.filter((connector) => available?.includes(connector.uid));
  const wrongNetwork = connection.isConnected && connection.chainId !== chain.id;

  return (
    <>
      <section aria-labelledby="wallet-title" className="card">
        <h2 id="wallet-title">Wallet</h2>
        {connection.isConnected ? (
          <>
            <p>
              Connected:{" "}
              <span className="mono" data-testid="wallet-address">
                {connection.address}
              </span>{" "}
              with {connection.connector?.name ?? "a wallet"}, on chain {connection.chainId}.
            </p>
            {wrongNetwork ? (
              <ProblemNote
                problem={{
                  kind: "wrong_network",
                  title: `Your wallet is on chain ${connection.chainId}, not ${chain.name} (chain ${chain.id}).`,
                  hint: `Switch the wallet to ${chain.name} to stamp jobs.`,
                }}
                onSwitch={doSwitch}
              />
            ) : null}
            <button
              className="button secondary"
              type="button"
              onClick={() => {
                disconnect.mutate({});
              }}
            >
              Disconnect
            </button>
          </>
        ) : available === undefined ? (
          <p className="muted">Looking for wallets…</p>
        ) : injectedConnectors.length === 0 ? (
          <ProblemNote problem={describeWalletError({ name: "ProviderNotFoundError" }, context)} />
        ) : (
          <div className="actions">
            {injectedConnectors.map((connector) => (
              <button
                key={connector.uid}
                className="button"
                type="button"
                onClick={() => {
                  setConnectProblem(undefined);
                  connect.mutateAsync({ connector }).catch((error: unknown) => {
                    setConnectProblem(describeWalletError(error, context));
                  });
                }}
              >
                Connect {connector.name}
              </button>
            ))}
          </div>
        )}
        {connectProblem ? <ProblemNote problem={connectProblem} onSwitch={doSwitch} /> : null}
      </section>

      {readProblem ? (
        <p role="alert" className="status status-fail">
          {readProblem}
        </p>
      ) : null}

      {sites?.length === 0 ? (
        <p className="muted">No site is registered on this chain yet.</p>
      ) : null}
      {(sites?.length ?? 0) > 0 ? (
        <label className="site-select">
          Site
          <select
            value={siteId ?? ""}
            onChange={(event) => {
              setSiteId(event.target.value as Hex);
              setCatalog(undefined);
            }}
          >
            {(sites ?? []).map((site) => (
              <option key={site.siteId} value={site.siteId}>
                {site.name || short(site.siteId)}
              </option>
            ))}
          </select>
        </label>
      ) : null}

      {catalog ? (
        <>
          <JobStampForm
            key={siteId}
            machines={catalog.machines}
            products={catalog.products}
            busy={tx.step === "checking" || tx.step === "signing" || tx.step === "pending"}
            submitLabel="Start job from wallet"
            onStart={(draft) => {
              start(draft);
              return false; // the form keeps what was typed, as before
            }}
          />
          <div aria-live="polite" data-testid="tx-state">
            <TransactionState state={tx} onSwitch={doSwitch} />
          </div>
          <section aria-labelledby="wallet-running-title">
            <h2 id="wallet-running-title">Running jobs</h2>
            {catalog.jobs.every((job) => job.stoppedAtS !== null) ? (
              <p className="muted">No job is running at this site.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>Job</th>
                      <th>Machines</th>
                      <th>Started</th>
                      <th>Channel</th>
                      <th>Stop with units</th>
                    </tr>
                  </thead>
                  <tbody>
                    {catalog.jobs
                      .filter((job) => job.stoppedAtS === null)
                      .map((job) => (
                        <tr key={job.jobId} data-job={job.jobId}>
                          <td className="mono">{short(job.jobId)}</td>
                          <td>
                            {job.machineIds
                              .map(
                                (id) =>
                                  catalog.machines.find((m) => m.machineId === id)?.name ??
                                  short(id),
                              )
                              .join(", ")}
                          </td>
                          <td>{timeOf(job.startedAtS)}</td>
                          <td>{job.startChannel}</td>
                          <td>
                            <JobStopForm
                              jobLabel={short(job.jobId)}
                              busy={false}
                              onStop={(units) =>
                                stamp({
                                  action: "stop",
                                  siteId: siteId ?? job.jobId,
                                  jobId: job.jobId,
                                  productId: job.productId,
                                  units: BigInt(units),
                                })
                              }
                            />
                          </td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            )}
            <p className="muted">Read from the chain at block {catalog.blockNumber.toString()}.</p>
          </section>
          {publicClient !== undefined && siteId !== undefined ? (
            <StoppedJobLots
              publicClient={publicClient}
              productLots={config.deployments.ProductLots.address}
              siteId={siteId}
              jobs={catalog.jobs}
            />
          ) : null}
        </>
      ) : null}
    </>
  );
}
