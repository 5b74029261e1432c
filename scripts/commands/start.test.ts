import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { findFreePort } from "../services/findFreePort.ts";

const EI = fileURLToPath(new URL("../ei.ts", import.meta.url));

/** Reads the child's stdout until `ready`, collecting the `name: url` lines. */
function waitForReady(
  child: ReturnType<typeof spawn>,
  timeoutMs: number,
): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const services = new Map<string, string>();
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      reject(new Error(`no "ready" within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      for (const line of stdout.split("\n")) {
        const match = /^([a-z]+): (\S+)$/u.exec(line);
        if (match?.[1] !== undefined && match[2] !== undefined) services.set(match[1], match[2]);
        if (line === "ready") {
          clearTimeout(timer);
          resolve(services);
        }
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`ei start exited (${String(code)}) before ready; stderr:\n${stderr}`));
    });
  });
}

describe("ei start", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ei-start-"));
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs the stack, anchors a container that `ei verify` accepts, and stops cleanly on SIGINT", async () => {
    // Three consecutive ports from a kernel-chosen one; a clash fails loudly at start.
    const portBase = await findFreePort();
    const child = spawn(
      process.execPath,
      [
        EI,
        "start",
        "--port-base",
        String(portBase),
        "--data-dir",
        dataDir,
        "--period-seconds",
        "5",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const services = await waitForReady(child, 180_000);
      assert.deepEqual([...services.keys()], ["chain", "gateway", "mqtt", "ipfs"]);
      assert.equal(services.get("chain"), `http://127.0.0.1:${portBase}`);
      const gateway = services.get("gateway") ?? "";
      assert.equal((await fetch(`${gateway}/healthz`)).status, 200);

      // The simulated factory's readings become containers that are anchored and confirmed.
      let confirmed: { containerId: string } | undefined;
      const deadline = Date.now() + 120_000;
      while (confirmed === undefined && Date.now() < deadline) {
        const response = await fetch(`${gateway}/v1/containers?state=confirmed&limit=1`);
        const body = (await response.json()) as { containers: { containerId: string }[] };
        confirmed = body.containers[0];
        if (confirmed === undefined) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      assert.ok(confirmed, "a container was confirmed on chain within two minutes");

      // An auditor's check from public data alone: the chain and the gateway's IPFS gateway.
      const verify = spawnSync(
        process.execPath,
        [
          EI,
          "verify",
          "container",
          confirmed.containerId,
          "--rpc",
          services.get("chain") ?? "",
          "--ipfs",
          gateway,
          "--deployments",
          path.join(dataDir, "deployments", "31337.json"),
        ],
        { encoding: "utf8", timeout: 120_000 },
      );
      assert.equal(
        verify.status,
        0,
        `ei verify container failed:\n${verify.stdout}${verify.stderr}`,
      );
    } finally {
      child.kill("SIGINT");
    }
    assert.equal(await exited, 0, "ei start exits 0 after SIGINT");
  });
});
