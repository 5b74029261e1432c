"use client";
import dynamic from "next/dynamic";
import { useEffect, useMemo, useState } from "react";
import { useRuntimeConfig } from "../config/RuntimeConfigProvider.tsx";
import { buildProofBundle } from "./buildProofBundle.ts";
import {
  runBrowserVerification,
  WrongChainError,
  type BrowserVerification,
} from "./runBrowserVerification.ts";

// wagmi loads only when an auditor asks to attest, so verifying stays light.
const AttestPanel = dynamic(
  () => import("./AttestPanel.tsx").then((module) => module.AttestPanel),
  {
    ssr: false,
    loading: () => <p className="muted">Loading the wallet…</p>,
  },
);

type State =
  | { phase: "running" }
  | { phase: "done"; result: BrowserVerification; finishedAtMs: number }
  | { phase: "error"; title: string; message: string };

export function VerifyRunner({ kind, id }: { kind: "lot" | "container"; id: string }) {
  const config = useRuntimeConfig();
  const [state, setState] = useState<State>({ phase: "running" });
  const [attesting, setAttesting] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    runBrowserVerification({ kind, id, config, origin: window.location.origin }).then(
      (result) => {
        if (current) setState({ phase: "done", result, finishedAtMs: Date.now() });
      },
      (error: unknown) => {
        if (!current) return;
        const message = error instanceof Error ? error.message : String(error);
        setState(
          error instanceof WrongChainError
            ? { phase: "error", title: "Wrong chain", message }
            : {
                phase: "error",
                title: "The chain or the IPFS gateway did not answer",
                message: `${message}. Check that the chain's RPC endpoint and the IPFS gateway are up, then run the checks again.`,
              },
        );
      },
    );
    return () => {
      current = false;
    };
  }, [kind, id, config, attempt]);
  const run = () => {
    setState({ phase: "running" });
    setAttempt((value) => value + 1);
  };

  const bundle = useMemo(() => {
    if (state.phase !== "done") return undefined;
    const contracts = Object.fromEntries(
      Object.entries(config.deployments).map(([name, entry]) => [name, entry.address]),
    );
    return buildProofBundle({
      kind,
      id,
      chainId: config.chainId,
      verifiedAtMs: state.finishedAtMs,
      contracts,
      report: state.result.report,
      documents: state.result.documents,
    });
  }, [state, config, kind, id]);

  const download = () => {
    if (bundle === undefined) return;
    const url = URL.createObjectURL(new Blob([bundle.bytes.slice()], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `proof-${kind}-${id.slice(0, 16)}.json`;
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 1000);
  };

  // One live region for the whole run, so screen readers read the verdict when it replaces the
  // progress text (a region inserted already holding its text is often not read out).
  const report = state.phase === "done" ? state.result.report : undefined;
  const status = (
    <p
      role="status"
      aria-live="polite"
      className={
        report === undefined ? undefined : report.ok ? "status status-ok" : "status status-fail"
      }
    >
      {state.phase === "running"
        ? "Running the checks in your browser: reading the chain and fetching the documents…"
        : report === undefined
          ? ""
          : report.ok
            ? `Verified: all ${report.checks.length} checks pass${report.complete ? "" : " (some were skipped)"}.`
            : `Failed at “${report.firstFailure?.id ?? "?"}”: ${report.firstFailure?.detail ?? ""}`}
    </p>
  );
  if (state.phase === "running") return <>{status}</>;
  if (state.phase === "error") {
    return (
      <>
        {status}
        <section className="problem" role="alert">
          <h2>{state.title}</h2>
          <p>{state.message}</p>
          <button type="button" onClick={run}>
            Run the checks again
          </button>
        </section>
      </>
    );
  }
  return (
    <>
      {status}
      <ol className="checks" aria-label="Checks">
        {state.result.report.checks.map((check, index) => {
          const outcome = !check.ok ? "fail" : check.skipped ? "skip" : "ok";
          return (
            <li key={`${check.id}-${index}`} data-check={check.id} data-status={outcome}>
              <span className={`status status-${outcome}`}>
                {outcome === "ok" ? "✓ pass" : outcome === "fail" ? "✗ FAIL" : "– skipped"}
              </span>
              <span>
                <strong>{check.id}</strong> <span className="mono">{check.detail}</span>
              </span>
            </li>
          );
        })}
      </ol>
      <div className="actions">
        <button type="button" onClick={download}>
          Download the proof bundle
        </button>
        <button type="button" className="secondary" onClick={run}>
          Run the checks again
        </button>
        {!attesting ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setAttesting(true);
            }}
          >
            Attest as an auditor…
          </button>
        ) : null}
      </div>
      {bundle !== undefined ? (
        <p className="muted">
          <small>
            Proof bundle CID <code>{bundle.cid}</code> (canonical JSON; pin it where auditors keep
            reports).
          </small>
        </p>
      ) : null}
      {attesting && bundle !== undefined ? (
        <AttestPanel kind={kind} id={id} reportCid={bundle.cid} passed={state.result.report.ok} />
      ) : null}
    </>
  );
}
