import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { findFreePort } from "../services/findFreePort.ts";
import { DEMO_MACHINES, DEMO_PRODUCTS, DEMO_SITE_ID } from "../start/demoFactory.ts";

const EI = fileURLToPath(new URL("../ei.ts", import.meta.url));
const SERVICES = ["chain", "gateway", "mqtt", "ipfs", "pact", "subgraph", "dapp", "portal"];

/** Reads the child's stdout until `ready`, collecting the `name: url` lines. */
function waitForReady(
  child: ReturnType<typeof spawn>,
  timeoutMs: number,
  stderr: { text: string },
): Promise<{ services: Map<string, string>; readyLines: number; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const services = new Map<string, string>();
    let stdout = "";
    const timer = setTimeout(() => {
      reject(new Error(`no "ready" within ${timeoutMs} ms; stderr:\n${stderr.text}`));
    }, timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const lines = stdout.split("\n");
      for (const line of lines) {
        const match = /^([a-z]+): (\S+)$/u.exec(line);
        if (match?.[1] !== undefined && match[2] !== undefined) services.set(match[1], match[2]);
      }
      if (lines.includes("ready")) {
        clearTimeout(timer);
        resolve({ services, readyLines: lines.filter((line) => line === "ready").length, lines });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`ei start exited (${String(code)}) before ready; stderr:\n${stderr.text}`));
    });
  });
}

/** Every process descended from `pid` (Linux /proc), so the test can check none outlives stop. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the ppid follows the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while listing.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of parents)
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

async function graphql<T>(url: string, query: string): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  assert.ok(body.data);
  return body.data;
}

async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * The site's indexed sums with the indexed head, in one query (one store read), checked against
 * the site's current containers: an event indexed twice would count a container twice in the sums
 * but not in the list.
 */
async function siteSums(
  subgraph: string,
): Promise<{ block: number; containerCount: number; energy: bigint }> {
  const data = await graphql<{
    _meta: { block: { number: number } };
    site: { containerCount: number; energyImportedMilliWattHours: string } | null;
    containers: { energyImportedMilliWattHours: string }[];
  }>(
    subgraph,
    `{ _meta { block { number } } site(id: "${DEMO_SITE_ID.toLowerCase()}") { containerCount energyImportedMilliWattHours } containers(first: 1000, where: { current: true }) { energyImportedMilliWattHours } }`,
  );
  assert.ok(data.site, "the demo site is indexed");
  assert.ok(data.containers.length < 1000, "every container fits one page");
  const energy = BigInt(data.site.energyImportedMilliWattHours);
  assert.equal(data.site.containerCount, data.containers.length, "containers counted once");
  assert.equal(
    energy,
    data.containers.reduce((sum, c) => sum + BigInt(c.energyImportedMilliWattHours), 0n),
    "the site's energy is the sum of its containers'",
  );
  return { block: data._meta.block.number, containerCount: data.site.containerCount, energy };
}

describe("ei start", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ei-start-"));
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs the whole stack and factory: containers anchored, lots minted from API and SMS jobs, the subgraph and dapp answer, SIGINT stops every process; started again on its data dir, it resumes", async () => {
    let before: Awaited<ReturnType<typeof siteSums>> | undefined;
    // Five consecutive ports from a kernel-chosen one; a clash fails loudly at start.
    const portBase = await findFreePort();
    const child = spawn(
      process.execPath,
      [EI, "start", "--port-base", String(portBase), "--data-dir", dataDir],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const stderr = { text: "" };
    child.stderr.on("data", (chunk: Buffer) => (stderr.text += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const processes: number[] = [];
    try {
      // First run in a fresh checkout builds the dapp (next build) before anything starts.
      const { services, readyLines, lines } = await waitForReady(child, 600_000, stderr);
      assert.equal(readyLines, 1, "ready is printed once");
      assert.deepEqual([...services.keys()], SERVICES);
      assert.equal(services.get("chain"), `http://127.0.0.1:${portBase}`);
      const gateway = services.get("gateway") ?? "";
      const subgraph = services.get("subgraph") ?? "";
      assert.equal(
        subgraph,
        `http://127.0.0.1:${portBase + 3}/subgraphs/name/energy-intelligence/local`,
      );
      assert.equal((await fetch(`${gateway}/healthz`)).status, 200);
      const dapp = await fetch(services.get("dapp") ?? "");
      assert.equal(dapp.status, 200, "the dapp's home page answers");
      await dapp.body?.cancel();
      processes.push(...descendants(child.pid ?? 0));

      // The demo operator signs in to the web2 portal with what `ei start` printed, through the
      // portal's own routes (same-origin and CSRF checks included), and stamps a job on a machine
      // the schedule leaves alone; it lands on chain with channel portal (1).
      // Served as localhost (a host name, so browsers accept it as the passkey relying party).
      const portalUrl = services.get("portal") ?? "";
      const dappUrl = services.get("dapp") ?? "";
      assert.equal(dappUrl, `http://localhost:${portBase + 4}`);
      assert.equal(portalUrl, `${dappUrl}/operator/portal`);
      const signIn = lines
        .map((line) => /^portal sign-in: user (\S+), password (\S+) \(kept in (.+)\)$/u.exec(line))
        .find((match) => match !== null);
      assert.ok(signIn, `a portal sign-in line on stdout:\n${lines.join("\n")}`);
      const [, portalUser = "", portalPassword = "", passwordFile = ""] = signIn;
      assert.equal(readFileSync(passwordFile, "utf8").trim(), portalPassword);
      assert.equal(statSync(passwordFile).mode & 0o777, 0o600, "the password file is private");
      const portalPost = (
        route: string,
        body: unknown,
        session?: { cookie: string; csrf: string },
      ) =>
        fetch(`${dappUrl}/api/portal/${route}`, {
          method: "POST",
          headers: {
            origin: dappUrl,
            "content-type": "application/json",
            ...(session === undefined
              ? {}
              : { cookie: session.cookie, "x-csrf-token": session.csrf }),
          },
          body: JSON.stringify(body),
        });
      const wrong = await portalPost("login", {
        username: portalUser,
        password: "not the password",
      });
      assert.equal(wrong.status, 401, "a wrong password is refused");
      await wrong.body?.cancel();
      const login = await portalPost("login", { username: portalUser, password: portalPassword });
      assert.equal(login.status, 200, await login.clone().text());
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      assert.match(cookie, /^ei_portal=./u);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const noCsrf = await portalPost(
        "jobs/start",
        { siteId: DEMO_SITE_ID, reference: "PORTAL-0", machines: ["x"], product: "x" },
        { cookie, csrf: "" },
      );
      assert.equal(noCsrf.status, 403, "a stamp without the session's CSRF token is refused");
      await noCsrf.body?.cancel();
      const portalStart = await portalPost(
        "jobs/start",
        {
          siteId: DEMO_SITE_ID,
          reference: "PORTAL-1",
          machines: [DEMO_MACHINES.compressor.name],
          product: DEMO_PRODUCTS[0].sku,
        },
        { cookie, csrf: csrfToken },
      );
      assert.equal(portalStart.status, 202, await portalStart.clone().text());
      await portalStart.body?.cancel();
      assert.ok(processes.length >= 2, "the Hardhat node and next start run as child processes");

      // Every adapter of the simulated factory delivers readings through its own protocol.
      const adapters = await eventually("every adapter has readings", 60_000, async () => {
        const body = (await (await fetch(`${gateway}/v1/adapters`)).json()) as {
          devices: { adapter: string; readingsStored: number }[];
        };
        return body.devices.length === 5 && body.devices.every((d) => d.readingsStored > 0)
          ? body.devices
          : undefined;
      });
      assert.deepEqual(adapters.map((device) => device.adapter).sort(), [
        "cnc-mill-emontx",
        "compressor-emontx",
        "it-rack-pdu",
        "main-meter-p1",
        "pv-inverter",
      ]);

      // Containers anchored and confirmed, and lots minted from the API's and the SMS's jobs.
      const confirmed = await eventually("a confirmed container", 90_000, async () => {
        const response = await fetch(`${gateway}/v1/containers?state=confirmed&limit=1`);
        const body = (await response.json()) as { containers: { containerId: string }[] };
        return body.containers[0];
      });
      const indexed = await eventually(
        "a lot of each product in the subgraph",
        150_000,
        async () => {
          const data = await graphql<{
            productLots: { id: string; units: string; product: { sku: string } }[];
            containers: { id: string }[];
          }>(subgraph, "{ productLots { id units product { sku } } containers(first: 5) { id } }");
          const skus = new Set(data.productLots.map((lot) => lot.product.sku));
          return skus.has("BRK-A") && skus.has("HSG-200") && data.containers.length > 0
            ? data
            : undefined;
        },
      );
      // Stamps came through the portal (1), API (2) and SMS (3) channels.
      const channels = await eventually("a portal stamp indexed", 60_000, async () => {
        const data = await graphql<{ jobStamps: { channel: number }[] }>(
          subgraph,
          "{ jobStamps(first: 1000) { channel } }",
        );
        const seen = new Set(data.jobStamps.map((stamp) => stamp.channel));
        return seen.has(1) ? seen : undefined;
      });
      assert.ok(
        channels.has(1) && channels.has(2) && channels.has(3),
        `stamp channels ${[...channels].join(",")}`,
      );
      assert.ok(indexed.productLots.every((lot) => BigInt(lot.units) > 0n));

      // An auditor's check from public data alone: the chain and the gateway's IPFS gateway.
      const deployments = path.join(dataDir, "deployments", "31337.json");
      const verify = (args: string[]) =>
        spawnSync(
          process.execPath,
          [
            EI,
            "verify",
            ...args,
            "--rpc",
            services.get("chain") ?? "",
            "--ipfs",
            gateway,
            "--deployments",
            deployments,
          ],
          { encoding: "utf8", timeout: 120_000 },
        );
      const container = verify(["container", confirmed.containerId]);
      assert.equal(
        container.status,
        0,
        `ei verify container:\n${container.stdout}${container.stderr}`,
      );
      const lot = verify(["lot", indexed.productLots[0]?.id ?? ""]);
      assert.equal(lot.status, 0, `ei verify lot:\n${lot.stdout}${lot.stderr}`);

      // A buyer pulls the minted lots as PACT footprints with the demo buyer's credentials.
      const credentials = /client id (\S+), secret (\S+) /u.exec(stderr.text);
      assert.ok(credentials, "the demo buyer's PACT credentials are shown");
      const pact = services.get("pact") ?? "";
      const token = await fetch(`${pact}/auth/token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${credentials[1]}:${credentials[2]}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
      assert.equal(token.status, 200);
      const { access_token: accessToken } = (await token.json()) as { access_token: string };
      const footprints = await eventually("the lots as PACT footprints", 60_000, async () => {
        const response = await fetch(`${pact}/3/footprints`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        const body = (await response.json()) as { data: { productIds: string[] }[] };
        return body.data.length > 0 ? body.data : undefined;
      });
      assert.ok(footprints.length > 0);

      // What a restart must keep: the indexed head and the site's sums, taken last before stop.
      before = await siteSums(subgraph);
    } finally {
      child.kill("SIGINT");
    }
    assert.equal(await exited, 0, "ei start exits 0 after SIGINT");
    for (const pid of processes)
      assert.equal(alive(pid), false, `process ${pid} outlived ei start`);
    for (let port = portBase; port < portBase + 5; port++) {
      assert.equal(await portAnswers(port), false, `port ${port} is closed after stop`);
    }

    // The same data directory again: the chain is mined again from its journal, and the gateway,
    // indexer and dapp carry on with their stores (no new deployment).
    const deploymentsFile = path.join(dataDir, "deployments", "31337.json");
    const deploymentsBefore = readFileSync(deploymentsFile, "utf8");
    assert.ok(before, "the first run recorded the site's sums");
    const restartedAt = performance.now();
    const restarted = spawn(
      process.execPath,
      [EI, "start", "--port-base", String(portBase), "--data-dir", dataDir],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const restartStderr = { text: "" };
    restarted.stderr.on("data", (chunk: Buffer) => (restartStderr.text += chunk.toString("utf8")));
    const restartExited = new Promise<number | null>((resolve) => restarted.once("exit", resolve));
    try {
      const { services } = await waitForReady(restarted, 300_000, restartStderr);
      const readySeconds = (performance.now() - restartedAt) / 1000;
      const rebuilt = /chain rebuilt to block (\d+) in [\d.]+ s/u.exec(restartStderr.text);
      assert.ok(rebuilt, `the chain is rebuilt from its journal:\n${restartStderr.text}`);
      // A graceful stop flushed the journal after the indexer stopped: no block it saw is lost.
      assert.ok(
        Number(rebuilt[1]) >= before.block,
        `the journal ends at block ${rebuilt[1]}, before the indexed block ${before.block}`,
      );
      assert.doesNotMatch(restartStderr.text, /deploying contracts/u, "no new deployment");
      assert.equal(readFileSync(deploymentsFile, "utf8"), deploymentsBefore);
      const chain = services.get("chain") ?? "";
      const { EnergyRegistry } = JSON.parse(deploymentsBefore) as {
        EnergyRegistry: { address: string };
      };
      const code = (await (
        await fetch(chain, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "eth_getCode",
            params: [EnergyRegistry.address, "latest"],
          }),
        })
      ).json()) as { result: string };
      assert.ok(code.result.length > 2, "the registry is on the rebuilt chain");

      // Right after ready: the indexer resumed from its store, nothing counted twice.
      const subgraph = services.get("subgraph") ?? "";
      const after = await siteSums(subgraph);
      assert.ok(after.block >= before.block, `indexed head ${after.block} < ${before.block}`);
      assert.ok(after.containerCount >= before.containerCount);
      assert.ok(after.energy >= before.energy);

      // And the stack goes on: a container anchored and indexed after the restart.
      await eventually("a container anchored after the restart", 120_000, async () => {
        const now = await siteSums(subgraph);
        return now.containerCount > after.containerCount ? now : undefined;
      });
      // The signing CT clamp carries on from its stored sequence and counters, as a real monitor
      // would: its readings after the restart are accepted (starting again from zero, every one
      // was refused as a replayed sequence and then as a counter that fell).
      const restartedSeconds = Math.floor(Date.now() / 1000);
      const molderStream = `${DEMO_SITE_ID.toLowerCase()}-${DEMO_MACHINES.molder.machineId.toLowerCase()}`;
      await eventually("a molder container with readings after the restart", 120_000, async () => {
        const data = await graphql<{ containers: { readingCount: number }[] }>(
          subgraph,
          `{ containers(where: { stream: "${molderStream}", periodStart_gte: "${restartedSeconds}", readingCount_gt: 0 }) { readingCount } }`,
        );
        return data.containers.length > 0 ? data.containers : undefined;
      });
      process.stderr.write(
        `restart: ${rebuilt[0]}, ready ${readySeconds.toFixed(1)} s, a new container ${((performance.now() - restartedAt) / 1000).toFixed(1)} s after the restart\n`,
      );
    } finally {
      restarted.kill("SIGINT");
    }
    assert.equal(await restartExited, 0, `ei start exits 0 after SIGINT:\n${restartStderr.text}`);
  });
});
