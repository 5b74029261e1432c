/**
 * `npm run bench -- dapp`: what a buyer's and a manufacturer's browser download, and how long
 * the one-command demo takes.
 *
 * - gzip bytes of JavaScript Chromium loads on a cold visit (a fresh browser context, nothing
 *   cached) to the public lot page and to the dashboard: the bodies of every `script` response,
 *   each gzip-compressed here (level 9, as a production server or CDN would serve them), summed.
 *   `next build` no longer prints first-load sizes, so this is measured in the browser. The
 *   baseline, built and measured in the same run: an empty Next app (one page rendering one
 *   element) of the same Next and React versions — the framework's own floor.
 * - seconds from calling startStack to `ready` after a warm build (the dapp's stamp matches, so
 *   no `next build`), and from `ready` to the first container confirmed on chain and to the first
 *   lot minted. No baseline: these are compared with the goals (ready < 60 s).
 *
 * Goals (issue #11): lot page < 250 KB gzip JavaScript; ready < 60 s after a warm build.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium, type Browser } from "playwright-core";
import { type BenchContext, type BenchMetric, metric } from "../bench/types.ts";
import { findFreePort } from "../services/findFreePort.ts";
import { buildDappIfChanged, DAPP_DIR, missingDappReason, startDapp } from "./startDapp.ts";
import { startStack } from "./startStack.ts";

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHROMIUM = process.env.EI_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** Routes tried for the dashboard, in order, until the dapp has one of them. */
const DASHBOARD_ROUTES = ["dashboard", "factory", "manufacturer", "sites"];

interface ScriptBytes {
  gzipBytes: number;
  rawBytes: number;
  scripts: number;
}

/** Cold visit: a new context (empty cache), every script response's body gzipped and summed. */
async function scriptBytes(browser: Browser, url: string): Promise<ScriptBytes> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const bodies: Promise<Buffer>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script" && response.ok()) {
        bodies.push(response.body().catch(() => Buffer.alloc(0)));
      }
    });
    const response = await page.goto(url, { waitUntil: "networkidle", timeout: 60_000 });
    if (!(response?.ok() ?? false)) {
      throw new Error(`${url} answered ${String(response?.status())}`);
    }
    const all = await Promise.all(bodies);
    return {
      gzipBytes: all.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0),
      rawBytes: all.reduce((sum, body) => sum + body.length, 0),
      scripts: all.length,
    };
  } finally {
    await context.close();
  }
}

/** An empty Next app of the workspace's Next and React, built in a scratch folder of the repo. */
async function emptyNextApp(progress: (text: string) => void): Promise<string> {
  // Inside the repo (.data is ignored) so Turbopack finds the workspace's node_modules.
  const dir = path.join(projectRoot, ".data", "bench", "empty-next-app");
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "app"), { recursive: true });
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "ei-bench-empty-next-app", private: true, type: "module" }),
  );
  await writeFile(
    path.join(dir, "next.config.mjs"),
    `export default { turbopack: { root: ${JSON.stringify(projectRoot)} } };\n`,
  );
  await writeFile(
    path.join(dir, "app", "layout.jsx"),
    'export default function Layout({ children }) {\n  return (<html lang="en"><body>{children}</body></html>);\n}\n',
  );
  await writeFile(
    path.join(dir, "app", "page.jsx"),
    "export default function Page() {\n  return <main>empty</main>;\n}\n",
  );
  progress("building an empty Next app (baseline) …");
  await buildDappIfChanged({ dappDir: dir, progress: () => undefined, force: true });
  return dir;
}

async function firstLotId(subgraphUrl: string): Promise<string | undefined> {
  const response = await fetch(subgraphUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ productLots(first: 1) { id } }" }),
  });
  const body = (await response.json()) as { data?: { productLots: { id: string }[] } };
  return body.data?.productLots[0]?.id;
}

async function firstConfirmed(gatewayUrl: string): Promise<boolean> {
  const response = await fetch(`${gatewayUrl}/v1/containers?state=confirmed&limit=1`);
  const body = (await response.json()) as { containers: unknown[] };
  return body.containers.length > 0;
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export default {
  name: "dapp",
  description:
    "gzip JavaScript of a cold visit to the lot page and the dashboard (vs an empty Next app); seconds from ei start to ready (warm build), first anchored container and first lot",
  async run(context: BenchContext): Promise<BenchMetric[]> {
    const missing = missingDappReason();
    if (missing !== undefined) throw new Error(`no dapp to measure: ${missing}`);
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set EI_CHROMIUM)`);
    const metrics: BenchMetric[] = [];

    context.progress("warm build of the dapp (builds only when its sources changed) …");
    await buildDappIfChanged({ progress: context.progress });
    const emptyDir = await emptyNextApp(context.progress);

    const dataDir = await mkdtemp(path.join(tmpdir(), "ei-bench-dapp-"));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    let stack: Awaited<ReturnType<typeof startStack>> | undefined;
    try {
      const portBase = await findFreePort();
      context.progress("ei start (warm build) …");
      const started = performance.now();
      // Where the start-up time goes: each progress line of startStack with its time since start.
      const timeline: string[] = [];
      stack = await startStack({
        portBase,
        dataDir,
        periodMs: 10_000,
        progress: (text) => {
          if (!text.startsWith("dapp build: ") && !text.startsWith("gateway "))
            timeline.push(`+${((performance.now() - started) / 1000).toFixed(1)} s ${text}`);
        },
      });
      const readyMs = performance.now() - started;
      context.progress(`start-up timeline (load average ${loadavg()[0]?.toFixed(1) ?? "?"}):`);
      for (const line of timeline) context.progress(`  ${line}`);
      const url = (name: string): string =>
        stack?.services.find((service) => service.name === name)?.url ?? "";
      await until("first confirmed container", 180_000, () => firstConfirmed(url("gateway")));
      const containerMs = performance.now() - started;
      let lotId: string | undefined;
      await until("first lot", 240_000, async () => {
        lotId = await firstLotId(url("subgraph"));
        return lotId !== undefined;
      });
      const lotMs = performance.now() - started;
      metrics.push(
        // Sources edited between the warm build and the start make startStack build again:
        // then the build's time is reported apart and left out of the ready figure.
        ...(stack.timings.dappBuilt
          ? [
              metric(
                "dapp rebuilt during ei start (its sources changed)",
                (stack.timings.dappBuildMs ?? 0) / 1000,
                "s",
              ),
              metric(
                "ei start to ready, minus that build",
                (readyMs - (stack.timings.dappBuildMs ?? 0)) / 1000,
                "s",
              ),
            ]
          : [metric("ei start to ready (warm build)", readyMs / 1000, "s")]),
        metric("ei start to first confirmed container", containerMs / 1000, "s"),
        metric("ready to first confirmed container", (containerMs - readyMs) / 1000, "s"),
        metric("ready to first lot minted", (lotMs - readyMs) / 1000, "s"),
      );

      context.progress("starting the empty Next app …");
      const empty = await startDapp({
        dappDir: emptyDir,
        port: await findFreePort(),
        env: {},
        progress: () => undefined,
      });
      let baseline: ScriptBytes;
      try {
        baseline = await scriptBytes(browser, empty.url);
      } finally {
        await empty.stop();
      }
      const versus = { name: "empty Next app", value: baseline.gzipBytes / 1000 };
      metrics.push(metric("empty Next app JS (gzip)", versus.value, "kB"));

      let lot: ScriptBytes | undefined;
      if (existsSync(path.join(DAPP_DIR, "app", "lot"))) {
        context.progress(`cold visit to /lot/${lotId ?? ""} …`);
        lot = await scriptBytes(browser, `${url("dapp")}/lot/${lotId ?? ""}`);
        metrics.push(
          metric("lot page JS (gzip, cold)", lot.gzipBytes / 1000, "kB", versus),
          metric("lot page JS (uncompressed)", lot.rawBytes / 1000, "kB"),
          metric("lot page script files", lot.scripts, "files"),
        );
      } else {
        context.progress("no lot page route yet (dapp/app/lot)");
      }
      const dashboard = DASHBOARD_ROUTES.find((route) =>
        existsSync(path.join(DAPP_DIR, "app", route)),
      );
      if (dashboard === undefined) {
        context.progress(`no dashboard route yet (looked for ${DASHBOARD_ROUTES.join(", ")})`);
      } else {
        context.progress(`cold visit to /${dashboard} …`);
        const page = await scriptBytes(browser, `${url("dapp")}/${dashboard}`);
        metrics.push(
          metric(`/${dashboard} JS (gzip, cold)`, page.gzipBytes / 1000, "kB", versus),
          metric(`/${dashboard} script files`, page.scripts, "files"),
        );
      }
      const warmReadyMs =
        readyMs - (stack.timings.dappBuilt ? (stack.timings.dappBuildMs ?? 0) : 0);
      const lotKb = lot === undefined ? undefined : lot.gzipBytes / 1000;
      context.progress(
        `goals: lot page ${lotKb === undefined ? "not measured" : `${lotKb.toFixed(0)} kB (< 250: ${lotKb < 250 ? "met" : "NOT met"})`}, ready ${(warmReadyMs / 1000).toFixed(1)} s after a warm build (< 60: ${warmReadyMs < 60_000 ? "met" : "NOT met"})`,
      );
      return metrics;
    } finally {
      await browser.close();
      await stack?.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(emptyDir, { recursive: true, force: true });
    }
  },
};
