"use client";
import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
} from "@simplewebauthn/browser";
import { type SyntheticEvent, useEffect, useState, useSyncExternalStore } from "react";
import {
  PortalApiError,
  type PortalCatalogView,
  type PortalSessionView,
  portalApi,
} from "../../../src/portal/portalClient.ts";
import { JobStampForm, JobStopForm } from "../../../src/stamping/JobStampForm.tsx";
import type { JobStartDraft } from "../../../src/stamping/validateJobStamp.ts";

type Notice = { kind: "ok" | "error"; text: string } | undefined;

const short = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-4)}`;
const timeOf = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 19) + " UTC";

function messageOf(error: unknown): string {
  if (error instanceof PortalApiError) return error.message;
  if (error instanceof Error && error.name === "NotAllowedError")
    return "The passkey request was cancelled or timed out.";
  return error instanceof Error ? error.message : String(error);
}

const noSubscription = () => () => undefined;

function SignIn({ onSignedIn }: { onSignedIn: (session: PortalSessionView) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  // Known only in the browser: false while rendering on the server, then the browser's answer.
  const passkeys = useSyncExternalStore(
    noSubscription,
    () => browserSupportsWebAuthn(),
    () => false,
  );

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setNotice(undefined);
    try {
      onSignedIn(await portalApi.login(username, password));
    } catch (error) {
      setNotice({ kind: "error", text: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };

  const withPasskey = async () => {
    setBusy(true);
    setNotice(undefined);
    try {
      const optionsJSON =
        (await portalApi.passkeyLoginOptions()) as PublicKeyCredentialRequestOptionsJSON;
      onSignedIn(await portalApi.passkeyLogin(await startAuthentication({ optionsJSON })));
    } catch (error) {
      setNotice({ kind: "error", text: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      <form onSubmit={(event) => void submit(event)} className="form">
        <label>
          Username
          <input
            name="username"
            autoComplete="username webauthn"
            value={username}
            onChange={(event) => {
              setUsername(event.target.value);
            }}
            required
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
            required
          />
        </label>
        <div className="actions">
          <button className="button" type="submit" disabled={busy}>
            Sign in
          </button>
          {passkeys ? (
            <button
              className="button secondary"
              type="button"
              disabled={busy}
              onClick={() => void withPasskey()}
            >
              Sign in with a passkey
            </button>
          ) : null}
        </div>
      </form>
      <p
        role="status"
        aria-live="polite"
        className={notice?.kind === "error" ? "status status-fail" : "status"}
      >
        {notice?.text ?? ""}
      </p>
      <p className="muted">
        No account? Your site manager creates one with <code>ei portal user add</code>.
      </p>
    </section>
  );
}

function Stamping({ session, siteId }: { session: PortalSessionView; siteId: `0x${string}` }) {
  const [catalog, setCatalog] = useState<PortalCatalogView>();
  const [loadError, setLoadError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();

  // Bumped after a stamp, so the catalog is read again at once.
  const [reads, setReads] = useState(0);
  const load = () => {
    setReads((count) => count + 1);
  };

  useEffect(() => {
    let cancelled = false;
    const read = () => {
      portalApi.catalog(siteId).then(
        (next) => {
          if (cancelled) return;
          setCatalog(next);
          setLoadError(undefined);
        },
        (error: unknown) => {
          if (!cancelled) setLoadError(messageOf(error));
        },
      );
    };
    read();
    const timer = setInterval(read, 3000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [siteId, reads]);

  if (loadError !== undefined && catalog === undefined)
    return (
      <p role="alert" className="status status-fail">
        {loadError}
      </p>
    );
  if (catalog === undefined) return <p className="muted">Reading the site from the chain…</p>;
  const machineName = (id: string) =>
    catalog.machines.find((m) => m.machineId === id)?.name ?? short(id);
  const productSku = (id: string) =>
    catalog.products.find((p) => p.productId === id)?.sku ?? short(id);
  const running = catalog.jobs.filter((job) => job.stoppedAtS === null);
  const recent = catalog.jobs.filter((job) => job.stoppedAtS !== null).slice(0, 10);

  // The portal API names machines and the product as the site knows them (names and SKU).
  const start = async (draft: JobStartDraft): Promise<boolean> => {
    setBusy(true);
    setNotice(undefined);
    try {
      const result = await portalApi.start(session.csrfToken, {
        siteId,
        reference: draft.reference,
        machines: draft.machineIds.map(machineName),
        product: productSku(draft.productId),
      });
      setNotice({
        kind: "ok",
        text: `Started job ${draft.reference} at ${timeOf(result.timeS)}; the gateway has it (${result.state}) and sends it to the chain.`,
      });
      load();
      return true;
    } catch (error) {
      setNotice({ kind: "error", text: messageOf(error) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const stop = async (jobId: string, units: number) => {
    setBusy(true);
    setNotice(undefined);
    try {
      const result = await portalApi.stop(session.csrfToken, { siteId, jobId, units });
      setNotice({
        kind: "ok",
        text: `Stopped job ${short(jobId)} with ${units} units at ${timeOf(result.timeS)} (${result.state}).`,
      });
      load();
    } catch (error) {
      setNotice({ kind: "error", text: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <JobStampForm
        machines={catalog.machines}
        products={catalog.products}
        busy={busy}
        submitLabel="Start job"
        onStart={start}
      />
      <p
        role="status"
        aria-live="polite"
        className={
          notice === undefined
            ? "status"
            : notice.kind === "ok"
              ? "status status-ok"
              : "status status-fail"
        }
      >
        {notice?.text ?? ""}
      </p>
      <section aria-labelledby="running-title">
        <h2 id="running-title">Running jobs (on chain at block {catalog.blockNumber})</h2>
        {running.length === 0 ? (
          <p className="muted">No job is running at this site.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Job</th>
                  <th>Machines</th>
                  <th>Product</th>
                  <th>Started</th>
                  <th>Channel</th>
                  <th>Stop with units</th>
                </tr>
              </thead>
              <tbody>
                {running.map((job) => (
                  <tr key={job.jobId} data-job={job.jobId}>
                    <td className="mono">{short(job.jobId)}</td>
                    <td>{job.machineIds.map(machineName).join(", ")}</td>
                    <td>{productSku(job.productId)}</td>
                    <td>{timeOf(job.startedAtS)}</td>
                    <td>{job.startChannel}</td>
                    <td>
                      <JobStopForm
                        jobLabel={short(job.jobId)}
                        busy={busy}
                        onStop={(units) => stop(job.jobId, units)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {recent.length > 0 ? (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">Recently stopped</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Job</th>
                  <th>Product</th>
                  <th className="num">Units</th>
                  <th>Stopped</th>
                  <th>Channel</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((job) => (
                  <tr key={job.jobId} data-job={job.jobId}>
                    <td className="mono">{short(job.jobId)}</td>
                    <td>{productSku(job.productId)}</td>
                    <td className="num">{job.units}</td>
                    <td>{timeOf(job.stoppedAtS ?? 0)}</td>
                    <td>{job.stopChannel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <p className="muted">
        The portal signs your stamps with its relay key {short(catalog.relayAddress)} (channel
        “portal”) and sends them through the site gateway; the gateway checks and queues them before
        they reach the chain.
      </p>
    </>
  );
}

/** The web2 operator portal: sign in (password or passkey), then start and stop jobs. */
export function PortalApp() {
  const [session, setSession] = useState<PortalSessionView | null>();
  const [siteId, setSiteId] = useState<`0x${string}`>();
  const [notice, setNotice] = useState<Notice>();

  useEffect(() => {
    portalApi
      .session()
      .then(setSession)
      .catch((error: unknown) => {
        setSession(null);
        if (!(error instanceof PortalApiError) || error.status !== 401)
          setNotice({ kind: "error", text: messageOf(error) });
      });
  }, []);

  const sites = session ? [...new Set(session.user.roles.map((role) => role.siteId))] : [];
  const activeSite = siteId !== undefined && sites.includes(siteId) ? siteId : sites[0];

  if (session === undefined) return <p className="muted">Checking your session…</p>;
  if (session === null)
    return (
      <>
        {notice ? (
          <p role="alert" className="status status-fail">
            {notice.text}
          </p>
        ) : null}
        <SignIn onSignedIn={setSession} />
      </>
    );

  const signOut = async () => {
    try {
      await portalApi.logout(session.csrfToken);
    } finally {
      setSession(null);
      setSiteId(undefined);
    }
  };

  const addPasskey = async () => {
    setNotice(undefined);
    try {
      const optionsJSON = (await portalApi.passkeyRegisterOptions(
        session.csrfToken,
      )) as PublicKeyCredentialCreationOptionsJSON;
      const result = await portalApi.passkeyRegister(
        session.csrfToken,
        await startRegistration({ optionsJSON }),
      );
      setSession({ ...session, user: { ...session.user, passkeys: result.passkeys } });
      setNotice({ kind: "ok", text: "Passkey added: next time, sign in with it." });
    } catch (error) {
      setNotice({ kind: "error", text: messageOf(error) });
    }
  };

  return (
    <>
      <section aria-label="Your session" className="card">
        <p>
          Signed in as <strong data-testid="portal-user">{session.user.displayName}</strong> with a{" "}
          {session.method}.{" "}
          {session.user.passkeys > 0 ? `${session.user.passkeys} passkey(s).` : "No passkey yet."}
        </p>
        <div className="actions">
          <button className="button secondary" type="button" onClick={() => void addPasskey()}>
            Add a passkey
          </button>
          <button className="button secondary" type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
        {notice ? (
          <p
            role="status"
            className={notice.kind === "ok" ? "status status-ok" : "status status-fail"}
          >
            {notice.text}
          </p>
        ) : null}
      </section>
      {sites.length === 0 ? (
        <p role="alert" className="status status-fail">
          You have no role at any site. Ask your site manager for the operator role.
        </p>
      ) : (
        <>
          <label className="site-select">
            Site
            <select
              value={activeSite ?? ""}
              onChange={(event) => {
                setSiteId(event.target.value as `0x${string}`);
              }}
            >
              {sites.map((site) => (
                <option key={site} value={site}>
                  {short(site)}
                </option>
              ))}
            </select>
          </label>
          {activeSite ? <Stamping key={activeSite} session={session} siteId={activeSite} /> : null}
        </>
      )}
    </>
  );
}
