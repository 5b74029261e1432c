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
import { repositoryRoot, runEi } from "../cli/runEi.testHelper.ts";

// Hardhat's first default account: the deployer and registry admin.
const ADMIN_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const SITE_ID = keccak256(stringToHex("site:indexer-cli"));

describe("ei indexer", () => {
  let node: HardhatNode;
  let dir: string;
  let deploymentsFile: string;

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
    const result = JSON.parse(run.stdout) as { head: number; events: number; failed: unknown };
    assert.equal(result.failed, null);
    assert.ok(result.events >= 2, "SiteRegistered and the manager's RoleGranted at least");
  });

  it("serves the indexed site over graph-node's query API until SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [
        "scripts/ei.ts",
        "indexer",
        "--rpc-url",
        node.rpcUrl,
        "--deployments",
        deploymentsFile,
        "--data-dir",
        path.join(dir, "serve"),
        "--port",
        "0",
        "--poll-interval-ms",
        "100",
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
  });

  it("refuses a deployments file that is not one, with exit code 2", async () => {
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ EnergyRegistry: { address: "0x12" } }));
    const run = await runEi(["indexer", "--rpc-url", node.rpcUrl, "--deployments", bad, "--once"]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /EnergyRegistry/);
  });
});
