import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, createWalletClient, http, keccak256, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { energyRegistryAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { deviceKeyHash, generateSecp256k1DeviceKey } from "@energy-intelligence/sdk/device/index";
import {
  HARDHAT_ADMIN_KEY,
  HARDHAT_MANAGER_KEY,
  type TestDeployment,
  deployTestContracts,
} from "../../oracle/src/chain/testing/deployTestContracts.ts";
import { type HardhatNode, startHardhatNode } from "../services/startHardhatNode.ts";
import { runEi } from "../cli/runEi.testHelper.ts";

const SITE = `0x${"51".repeat(32)}` as const;
const MACHINE = `0x${"3a".repeat(32)}` as const;
const OPEN_TERM = 2n ** 64n - 1n;
const deviceId = (n: number): Hex => `0x${n.toString(16).padStart(2, "0")}${"de".repeat(31)}`;

describe("ei device add|list|revoke (hardhat node, EnergyRegistry, gateway store)", () => {
  let node: HardhatNode;
  let deployment: TestDeployment;
  let directory: string;
  let dataDir: string;
  let managerKeyFile: string;
  let adminKeyFile: string;
  let chain: ReturnType<typeof createPublicClient>;

  before(async () => {
    directory = mkdtempSync(path.join(tmpdir(), "ei-device-cli-"));
    dataDir = path.join(directory, "gateway");
    node = await startHardhatNode();
    deployment = await deployTestContracts({ rpcUrl: node.rpcUrl, siteId: SITE, directory });
    managerKeyFile = path.join(directory, "manager.key");
    writeFileSync(managerKeyFile, `${HARDHAT_MANAGER_KEY}\n`);
    adminKeyFile = path.join(directory, "admin.key");
    writeFileSync(adminKeyFile, HARDHAT_ADMIN_KEY);
    chain = createPublicClient({ transport: http(node.rpcUrl) });
    const manager = createWalletClient({
      chain: { ...hardhat, id: deployment.chainId },
      transport: http(node.rpcUrl),
      account: privateKeyToAccount(HARDHAT_MANAGER_KEY),
    });
    await chain.waitForTransactionReceipt({
      hash: await manager.writeContract({
        address: deployment.registry,
        abi: energyRegistryAbi,
        functionName: "registerMachine",
        args: [SITE, MACHINE, "press 1"],
      }),
    });
  });
  after(async () => {
    await node.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  const chainFlags = (keyFile = managerKeyFile) => [
    "--rpc",
    node.rpcUrl,
    "--deployments",
    deployment.deploymentsFile,
    "--manager-key-file",
    keyFile,
    "--data-dir",
    dataDir,
  ];
  const add = (id: Hex, extra: string[], keyFile?: string) =>
    runEi([
      "device",
      "add",
      "--json",
      "--id",
      id,
      "--site",
      SITE,
      "--machine",
      MACHINE,
      ...extra,
      ...chainFlags(keyFile),
    ]);
  const onChain = (id: Hex) =>
    chain.readContract({
      address: deployment.registry,
      abi: energyRegistryAbi,
      functionName: "device",
      args: [id],
    });
  const keyTerms = (id: Hex) =>
    chain.readContract({
      address: deployment.registry,
      abi: energyRegistryAbi,
      functionName: "deviceKeyTerms",
      args: [id],
    });
  const listed = async () => {
    const run = await runEi(["device", "list", "--json", "--data-dir", dataDir]);
    assert.equal(run.exitCode, 0, run.stderr);
    return (
      JSON.parse(run.stdout) as {
        devices: {
          deviceId: string;
          status: string;
          keyHash: string | null;
          chainRegisterTx: string | null;
          chainRevokeTx: string | null;
        }[];
      }
    ).devices;
  };

  it("registers an Ed25519 device on chain (kind, machine, key hash) and in the gateway", async () => {
    const run = await add(deviceId(1), ["--kind", "ct-clamp", "--generate-key", "--channels", "3"]);
    assert.equal(run.exitCode, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as { publicKey: Hex; txHash: Hex; secretKey: string };
    assert.match(printed.txHash, /^0x[0-9a-f]{64}$/u);
    const device = await onChain(deviceId(1));
    assert.deepEqual(device, { siteId: SITE, machineId: MACHINE, kind: 1 });
    const terms = await keyTerms(deviceId(1));
    assert.equal(terms.length, 1);
    assert.equal(terms[0]?.keyHash, keccak256(printed.publicKey));
    assert.equal(terms[0].untilBlock, OPEN_TERM);
    const [row] = await listed();
    assert.ok(row !== undefined);
    assert.equal(row.deviceId, deviceId(1));
    assert.equal(row.chainRegisterTx, printed.txHash);
    assert.equal(row.keyHash, keccak256(printed.publicKey));
  });

  it("registers a secp256k1 device with its compressed key", async () => {
    const key = generateSecp256k1DeviceKey();
    const run = await add(deviceId(2), [
      "--kind",
      "meter",
      "--scheme",
      "secp256k1",
      "--public-key",
      key.publicKey,
    ]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal((await onChain(deviceId(2))).kind, 2);
    assert.equal(
      (await keyTerms(deviceId(2)))[0]?.keyHash,
      deviceKeyHash({ scheme: "secp256k1", publicKey: key.publicKey }),
    );
  });

  describe("refusals: exit 2 with the reason, nothing changed on chain or in the gateway", () => {
    const unchanged = async (id: Hex, before: number) => {
      assert.equal((await onChain(id)).siteId, `0x${"00".repeat(32)}`);
      assert.equal((await listed()).length, before);
    };

    it("an unknown site", async () => {
      const before = (await listed()).length;
      const run = await runEi([
        "device",
        "add",
        "--id",
        deviceId(3),
        "--site",
        `0x${"77".repeat(32)}`,
        "--machine",
        MACHINE,
        "--generate-key",
        ...chainFlags(),
      ]);
      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, /site 0x7777.* is not registered in EnergyRegistry/u);
      await unchanged(deviceId(3), before);
    });

    it("a key without the site manager role", async () => {
      const before = (await listed()).length;
      const run = await add(deviceId(3), ["--generate-key"], adminKeyFile);
      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, /does not hold the site manager role/u);
      await unchanged(deviceId(3), before);
    });

    it("a device id the gateway has, and one taken on chain", async () => {
      const before = (await listed()).length;
      const again = await add(deviceId(1), ["--generate-key"]);
      assert.equal(again.exitCode, 2);
      assert.match(again.stderr, /already registered/u);
      // Taken on chain by another registration, unknown to this gateway.
      const manager = createWalletClient({
        chain: { ...hardhat, id: deployment.chainId },
        transport: http(node.rpcUrl),
        account: privateKeyToAccount(HARDHAT_MANAGER_KEY),
      });
      await chain.waitForTransactionReceipt({
        hash: await manager.writeContract({
          address: deployment.registry,
          abi: energyRegistryAbi,
          functionName: "registerDevice",
          args: [SITE, deviceId(4), MACHINE, 3, keccak256("0x1234")],
        }),
      });
      const taken = await add(deviceId(4), ["--generate-key"]);
      assert.equal(taken.exitCode, 2);
      assert.match(taken.stderr, /already registered on chain/u);
      assert.equal((await listed()).length, before);
      assert.equal((await keyTerms(deviceId(4)))[0]?.keyHash, keccak256("0x1234"));
    });

    it("a machine not registered at the site, and no --rpc", async () => {
      const before = (await listed()).length;
      const run = await runEi([
        "device",
        "add",
        "--id",
        deviceId(5),
        "--site",
        SITE,
        "--machine",
        `0x${"99".repeat(32)}`,
        "--generate-key",
        ...chainFlags(),
      ]);
      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, /machine 0x9999.* is not registered at site/u);
      const noRpc = await runEi([
        "device",
        "add",
        "--id",
        deviceId(5),
        "--site",
        SITE,
        "--machine",
        MACHINE,
        "--generate-key",
        "--data-dir",
        dataDir,
      ]);
      assert.equal(noRpc.exitCode, 2);
      assert.match(noRpc.stderr, /--rpc is required/u);
      await unchanged(deviceId(5), before);
    });
  });

  it("revokes on chain (the key term ends) and in the gateway; an unknown device is refused", async () => {
    const run = await runEi(["device", "revoke", deviceId(1), "--json", ...chainFlags()]);
    assert.equal(run.exitCode, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as { status: string; txHash: Hex };
    assert.equal(printed.status, "revoked");
    const receipt = await chain.getTransactionReceipt({ hash: printed.txHash });
    const terms = await keyTerms(deviceId(1));
    assert.equal(terms[0]?.untilBlock, receipt.blockNumber);
    const row = (await listed()).find((device) => device.deviceId === deviceId(1));
    assert.equal(row?.status, "revoked");
    assert.equal(row.chainRevokeTx, printed.txHash);

    const unknown = await runEi(["device", "revoke", deviceId(9), ...chainFlags()]);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /no device 0x09.* is registered/u);
    const wrongRole = await runEi(["device", "revoke", deviceId(2), ...chainFlags(adminKeyFile)]);
    assert.equal(wrongRole.exitCode, 2);
    assert.match(wrongRole.stderr, /does not hold the site manager role/u);
    assert.equal((await keyTerms(deviceId(2)))[0]?.untilBlock, OPEN_TERM);
    assert.equal(
      (await listed()).find((device) => device.deviceId === deviceId(2))?.status,
      "active",
    );
  });
});
