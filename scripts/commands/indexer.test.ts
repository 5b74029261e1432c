import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import { createWalletClient, getContract, http, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { energyRegistryAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { deployContracts } from "../deploy/deploy.ts";
import { writeDeployments } from "../deploy/writeDeployments.ts";
import { startHardhatNode, type HardhatNode } from "../services/startHardhatNode.ts";
import { startJsonRpcProxy } from "../../subgraph/src/host/testing/startJsonRpcProxy.ts";
import { repositoryRoot, runEi } from "../cli/runEi.testHelper.ts";

// Hardhat's first default account: the deployer and registry admin.
const ADMIN_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const SITE_ID = keccak256(stringToHex("site:indexer-cli"));

/** Block headers went in batches of `size` calls, none larger (the chain has more than `size`). */
function assertHeaderBatchesOf(size: number, batches: readonly string[][]): void {
  const headerBatches = batches.filter((methods) =>
    methods.every((method) => method === "eth_getBlockByNumber"),
  );
  assert.ok(
    headerBatches.some((methods) => methods.length === size),
    JSON.stringify(batches),
  );
  assert.ok(
    headerBatches.every((methods) => methods.length <= size),
    JSON.stringify(batches),
  );
}

describe("ei indexer", () => {
  let node: HardhatNode;
  let dir: string;
  let deploymentsFile: string;
  // What the first --once run indexed, for the run with small header batches to match.
  let defaultOnce: { head: number; events: number } | undefined;

  before(async () => {
    node = await startHardhatNode();
    dir = await mkdtemp(path.join(tmpdir(), "ei-indexer-cli-"));
    const connection = await network.create({
      network: "localhost",
      override: { url: node.rpcUrl },
    });
    const deploymentId = `ei-indexer-test-${randomBytes(6).toString("hex")}`;
    try {
      const { chainId, deployments } = await deployContracts(connection, { deploymentId });
      deploymentsFile = await writeDeployments(dir, chainId, deployments);
      const account = privateKeyToAccount(ADMIN_KEY);
      const wallet = createWalletClient({ account, transport: http(node.rpcUrl), chain: hardhat });
      const registry = getContract({
        address: deployments.EnergyRegistry.address,
        abi: energyRegistryAbi,
        client: wallet,
      });
      await registry.write.registerSite([SITE_ID, account.address, account.address, "CLI site"]);
    } finally {
      await connection.close();
      await rm(path.join(repositoryRoot, "ignition", "deployments", deploymentId), {
        recursive: true,
        force: true,
      });
    }
  });

  after(async () => {
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("indexes to the head with --once and reports it as JSON", async () => {
    const run = await runEi([
      "indexer",
      "--rpc-url",
      node.rpcUrl,
      "--deployments",
      deploymentsFile,
      "--data-dir",
      path.join(dir, "once"),
      "--once",
      "--json",
    ]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stderr, /fetching block ranges in a worker thread/u);
    const result = JSON.parse(run.stdout) as { head: number; events: number; failed: unknown };
    assert.equal(result.failed, null);
    assert.ok(result.events >= 2, "SiteRegistered and the manager's RoleGranted at least");
    defaultOnce = { head: result.head, events: result.events };
  });

  it("indexes the same with --rpc-batch-size 3 and --fetch-thread main, sending header batches of at most 3 calls", async () => {
    const proxy = await startJsonRpcProxy(node.rpcUrl);
    try {
      const run = await runEi([
        "indexer",
        "--rpc-url",
        proxy.url,
        "--deployments",
        deploymentsFile,
        "--data-dir",
        path.join(dir, "small-batches"),
        "--rpc-batch-size",
        "3",
        "--fetch-thread",
        "main",
        "--once",
        "--json",
      ]);
      assert.equal(run.exitCode, 0, run.stderr);
      assert.match(run.stderr, /fetching block ranges on the main thread/u);
      const result = JSON.parse(run.stdout) as { head: number; events: number; failed: unknown };
      assert.equal(result.failed, null);
      assert.ok(defaultOnce !== undefined, "runs after the default --once case");
      assert.deepEqual({ head: result.head, events: result.events }, defaultOnce);
      assertHeaderBatchesOf(3, proxy.batches);
    } finally {
      await proxy.close();
    }
  });

  it("refuses an --rpc-batch-size outside 1..1000 or not a number, and an unknown --fetch-thread, with exit code 2", async () => {
    const refusals: [string, string, RegExp][] = [
      ["--rpc-batch-size", "0", /--rpc-batch-size: a whole number of calls per batch, 1 to 1000/u],
      [
        "--rpc-batch-size",
        "1001",
        /--rpc-batch-size: a whole number of calls per batch, 1 to 1000/u,
      ],
      [
        "--rpc-batch-size",
        "abc",
        /--rpc-batch-size: a whole number of calls per batch, 1 to 1000/u,
      ],
      ["--fetch-thread", "sideways", /--fetch-thread: auto \(a worker thread over HTTP\) or main/u],
    ];
    const runs = await Promise.all(
      refusals.map(([option, value]) =>
        runEi([
          "indexer",
          "--rpc-url",
          node.rpcUrl,
          "--deployments",
          deploymentsFile,
          option,
          value,
          "--once",
        ]),
      ),
    );
    runs.forEach((run, i) => {
      assert.equal(run.exitCode, 2, run.stderr);
      assert.match(run.stderr, refusals[i]?.[2] ?? /never/u);
      assert.equal(run.stdout, "");
    });
  });

  it("serves the indexed site over graph-node's query API until SIGTERM, in header batches of --rpc-batch-size", async (t) => {
    const proxy = await startJsonRpcProxy(node.rpcUrl);
    t.after(proxy.close);
    const child = spawn(
      process.execPath,
      [
        "scripts/ei.ts",
        "indexer",
        "--rpc-url",
        proxy.url,
        "--deployments",
        deploymentsFile,
        "--data-dir",
        path.join(dir, "serve"),
        "--port",
        "0",
        "--poll-interval-ms",
        "100",
        "--rpc-batch-size",
        "3",
      ],
      { cwd: repositoryRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    child.stdout.setEncoding("utf8");
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        stdout += chunk;
        const match = /subgraph: (\S+)\nready/.exec(stdout);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.on("exit", (code) => {
        reject(new Error(`ei indexer exited with ${code}`));
      });
    });
    let sites: { id: string; name: string }[] = [];
    for (let attempt = 0; attempt < 50 && sites.length === 0; attempt++) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ sites { id name } }" }),
      });
      const body = (await response.json()) as { data?: { sites: { id: string; name: string }[] } };
      sites = body.data?.sites ?? [];
      if (sites.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(sites, [{ id: SITE_ID, name: "CLI site" }]);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    assertHeaderBatchesOf(3, proxy.batches);
  });

  it("refuses a deployments file that is not one, with exit code 2", async () => {
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ EnergyRegistry: { address: "0x12" } }));
    const run = await runEi(["indexer", "--rpc-url", node.rpcUrl, "--deployments", bad, "--once"]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /EnergyRegistry/);
  });
});
