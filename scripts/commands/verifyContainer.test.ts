import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  stringToHex,
} from "viem";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { UnixfsBlock } from "@energy-intelligence/sdk/cid/index";
import { computeCid, cidToHex } from "@energy-intelligence/sdk/cid/index";
import { buildContainer } from "@energy-intelligence/sdk/containers/buildContainer";
import type { BuildContainerParameters } from "@energy-intelligence/sdk/containers/buildContainer";
import { buildReadingDisclosure } from "@energy-intelligence/sdk/containers/buildReadingDisclosure";
import { computeContainerId } from "@energy-intelligence/sdk/containers/computeContainerId";
import {
  containerParameters,
  SITE_ID,
} from "@energy-intelligence/sdk/containers/containerFixture.testHelper";
import { dataContainersAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { generateAuditorKeyPair } from "@energy-intelligence/sdk/disclosure/index";
import type { ContainerHeader } from "@energy-intelligence/sdk/eip712/index";
import { buildContainerBatchTypedData, eip712Domain } from "@energy-intelligence/sdk/eip712/index";
import { canonicalJsonBytes } from "@energy-intelligence/sdk/json/index";
import {
  deployTestContracts,
  HARDHAT_ADMIN_KEY,
  HARDHAT_ORACLE_KEY,
} from "../../oracle/src/chain/testing/deployTestContracts.ts";
import type { TestDeployment } from "../../oracle/src/chain/testing/deployTestContracts.ts";
import { runEi } from "../cli/runEi.testHelper.ts";
import { startHardhatNode } from "../services/startHardhatNode.ts";
import type { HardhatNode } from "../services/startHardhatNode.ts";

interface Report {
  ok: boolean;
  firstFailure?: { id: string; detail: string };
  checks: { id: string; ok: boolean; skipped: boolean }[];
}

/** Hardhat's development account #5: an oracle of a lookalike registry only. */
const LOOKALIKE_ORACLE_KEY: Hex =
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

describe("ei verify container / reading (real hardhat node)", () => {
  let node: HardhatNode;
  let directory = "";
  let deployment: TestDeployment;
  let lookalike: TestDeployment;
  let mixedDeployments = "";

  async function anchor(
    target: TestDeployment,
    header: ContainerHeader,
    oracleKey: Hex = HARDHAT_ORACLE_KEY,
  ): Promise<bigint> {
    const chain = defineChain({
      id: target.chainId,
      name: "hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [node.rpcUrl] } },
    });
    const transport = http(node.rpcUrl);
    const oracle = privateKeyToAccount(oracleKey);
    const domain = eip712Domain({ chainId: target.chainId, verifyingContract: target.containers });
    const signature = await oracle.signTypedData(
      buildContainerBatchTypedData({ domain, containers: [header] }),
    );
    // Anyone may relay: the admin account sends the transaction.
    const relayer = createWalletClient({
      chain,
      transport,
      account: privateKeyToAccount(HARDHAT_ADMIN_KEY),
    });
    const hash = await relayer.writeContract({
      address: target.containers,
      abi: dataContainersAbi,
      functionName: "anchor",
      args: [header, oracle.address, signature],
    });
    const receipt = await createPublicClient({ chain, transport }).waitForTransactionReceipt({
      hash,
    });
    assert.equal(receipt.status, "success");
    return computeContainerId(header);
  }

  async function storeBlocks(
    blocks: readonly UnixfsBlock[],
    into = join(directory, "blocks"),
  ): Promise<void> {
    await mkdir(into, { recursive: true });
    for (const block of blocks) await writeFile(join(into, block.cid.toString()), block.bytes);
  }

  function stream(label: string, overrides: Partial<BuildContainerParameters> = {}) {
    return containerParameters({
      streamId: keccak256(stringToHex(`stream:${label}`)),
      ...overrides,
    });
  }

  async function verify(id: bigint, ...extra: string[]) {
    const run = await runEi([
      "--json",
      "verify",
      "container",
      id.toString(),
      "--rpc",
      node.rpcUrl,
      "--ipfs",
      join(directory, "blocks"),
      "--deployments",
      deployment.deploymentsFile,
      ...extra,
    ]);
    return { run, report: run.stdout === "" ? undefined : (JSON.parse(run.stdout) as Report) };
  }

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "ei-verify-"));
    node = await startHardhatNode();
    await mkdir(join(directory, "real"));
    await mkdir(join(directory, "lookalike"));
    deployment = await deployTestContracts({
      rpcUrl: node.rpcUrl,
      siteId: SITE_ID,
      directory: join(directory, "real"),
    });
    lookalike = await deployTestContracts({
      rpcUrl: node.rpcUrl,
      siteId: SITE_ID,
      directory: join(directory, "lookalike"),
      oracleKey: LOOKALIKE_ORACLE_KEY,
    });
    // The auditor's file names the real registry but (wrongly trusting a lookalike) another DataContainers.
    const real = JSON.parse(await readFile(deployment.deploymentsFile, "utf8")) as Record<
      string,
      unknown
    >;
    const fake = JSON.parse(await readFile(lookalike.deploymentsFile, "utf8")) as Record<
      string,
      unknown
    >;
    mixedDeployments = join(directory, "mixed.json");
    await writeFile(
      mixedDeployments,
      JSON.stringify({ ...real, DataContainers: fake.DataContainers }),
    );
  });

  after(async () => {
    await node.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it("passes an honest container (exit 0), and a disclosed reading of it", async () => {
    const container = buildContainer(stream("honest"));
    await storeBlocks(container.blocks);
    const id = await anchor(deployment, container.header);
    const { run, report } = await verify(id);
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(report?.ok, true);
    assert.deepEqual(
      report.checks.filter((check) => check.skipped).map((check) => check.id),
      ["decrypt", "public-part"],
    );

    const human = await runEi([
      "verify",
      "container",
      id.toString(),
      "--rpc",
      node.rpcUrl,
      "--ipfs",
      join(directory, "blocks"),
      "--deployments",
      deployment.deploymentsFile,
    ]);
    assert.equal(human.exitCode, 0);
    assert.match(human.stdout, /✓ merkle-root/u);
    assert.match(human.stdout, /verified/u);

    const bundleFile = join(directory, "reading.json");
    const bundle = buildReadingDisclosure({
      document: container.document,
      containerId: id,
      reading: 3,
      includeDetails: true,
    });
    await writeFile(bundleFile, JSON.stringify(bundle));
    const reading = await runEi([
      "--json",
      "verify",
      "reading",
      bundleFile,
      "--rpc",
      node.rpcUrl,
      "--deployments",
      deployment.deploymentsFile,
    ]);
    assert.equal(reading.exitCode, 0, reading.stdout + reading.stderr);
    assert.ok(
      (JSON.parse(reading.stdout) as Report).checks.some(
        (check) => check.id === "on-chain-proof" && check.ok,
      ),
    );

    bundle.reading.energyImportedMilliWattHours = (
      BigInt(bundle.reading.energyImportedMilliWattHours) + 1n
    ).toString();
    await writeFile(bundleFile, JSON.stringify(bundle));
    const changed = await runEi([
      "--json",
      "verify",
      "reading",
      bundleFile,
      "--rpc",
      node.rpcUrl,
      "--deployments",
      deployment.deploymentsFile,
    ]);
    assert.equal(changed.exitCode, 1);
    assert.equal((JSON.parse(changed.stdout) as Report).firstFailure?.id, "merkle-proof");
  });

  it("fails a changed reading at merkle-root (exit 1)", async () => {
    const container = buildContainer(stream("changed-reading"));
    const document = structuredClone(container.document);
    const entry = document.readings[4];
    assert.ok(entry);
    entry.energyImportedMilliWattHours = (
      BigInt(entry.energyImportedMilliWattHours) + 5_000n
    ).toString();
    const bytes = canonicalJsonBytes(document);
    const cid = computeCid(bytes);
    await storeBlocks([{ cid, bytes }]);
    const id = await anchor(deployment, { ...container.header, cid: cidToHex(cid) });
    const { run, report } = await verify(id);
    assert.equal(run.exitCode, 1);
    assert.equal(report?.firstFailure?.id, "merkle-root");
  });

  it("fails a changed total at energy (exit 1)", async () => {
    const container = buildContainer(stream("changed-total"));
    await storeBlocks(container.blocks);
    const header = {
      ...container.header,
      energyImportedMilliWattHours: container.header.energyImportedMilliWattHours * 2n,
    };
    const { run, report } = await verify(await anchor(deployment, header));
    assert.equal(run.exitCode, 1);
    assert.equal(report?.firstFailure?.id, "energy");
  });

  it("fails a swapped document (bytes that are not the CID's) at cid (exit 1)", async () => {
    const container = buildContainer(stream("swapped"));
    const other = buildContainer(stream("swapped-other"));
    // The source serves another document under this container's CID.
    await storeBlocks([{ cid: container.cid, bytes: other.documentBytes }]);
    const { run, report } = await verify(await anchor(deployment, container.header));
    assert.equal(run.exitCode, 1);
    assert.equal(report?.firstFailure?.id, "cid");
  });

  it("fails a container from a lookalike contract whose signer is not the site's oracle at oracle (exit 1)", async () => {
    const container = buildContainer(stream("lookalike"));
    await storeBlocks(container.blocks);
    const id = await anchor(lookalike, container.header, LOOKALIKE_ORACLE_KEY);
    const { run, report } = await verify(id, "--deployments", mixedDeployments);
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.equal(report?.firstFailure?.id, "oracle");
  });

  it("fails an unknown id at anchor (exit 1), and bad usage with exit 2", async () => {
    const { run, report } = await verify(123n);
    assert.equal(run.exitCode, 1);
    assert.equal(report?.firstFailure?.id, "anchor");
    const usage = await runEi([
      "verify",
      "container",
      "not-a-number",
      "--rpc",
      node.rpcUrl,
      "--ipfs",
      directory,
    ]);
    assert.equal(usage.exitCode, 2);
  });

  it("opens a sealed container with the auditor's key; without it, checks what is public", async () => {
    const auditor = generateAuditorKeyPair();
    const stranger = generateAuditorKeyPair();
    const container = buildContainer(
      stream("sealed", { disclosure: { mode: "sealed", recipients: [auditor.publicKey] } }),
    );
    await storeBlocks(container.blocks);
    const id = await anchor(deployment, container.header);
    const keyFile = join(directory, "auditor.json");
    await writeFile(keyFile, JSON.stringify({ privateKey: auditor.privateKey }));
    const strangerFile = join(directory, "stranger.key");
    await writeFile(strangerFile, `${stranger.privateKey}\n`);

    const opened = await verify(id, "--auditor-key", keyFile);
    assert.equal(opened.run.exitCode, 0, opened.run.stdout + opened.run.stderr);
    assert.deepEqual(
      opened.report?.checks.filter((check) => check.skipped).map((check) => check.id),
      [],
    );

    const closed = await verify(id);
    assert.equal(closed.run.exitCode, 0);
    assert.ok(closed.report?.checks.some((check) => check.id === "merkle-root" && check.skipped));

    const wrong = await verify(id, "--auditor-key", strangerFile);
    assert.equal(wrong.run.exitCode, 1);
    assert.equal(wrong.report?.firstFailure?.id, "decrypt");
  });
});
