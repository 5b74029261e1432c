import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseDeployments } from "../../sdk/src/contracts/parseDeployments.ts";
import { energyRegistryAbi } from "../../sdk/src/contracts/generated/abis.ts";
import { deployContracts } from "./deploy.ts";
import { writeDeployments } from "./writeDeployments.ts";

describe("deployContracts and writeDeployments", () => {
  it("deploys the wired set and writes a file the sdk reader accepts, with exact start blocks", async () => {
    const connection = await network.create();
    const { chainId, deployments } = await deployContracts(connection, {
      baseUri: "ipfs://x/{id}",
    });
    const directory = await mkdtemp(path.join(tmpdir(), "ei-deployments-"));
    try {
      const file = await writeDeployments(directory, chainId, deployments);
      assert.equal(path.basename(file), `${chainId}.json`);
      const read = parseDeployments(JSON.parse(await readFile(file, "utf8")));
      assert.deepEqual(read, deployments);
      const client = await connection.viem.getPublicClient();
      for (const { address, startBlock } of Object.values(read)) {
        assert.notEqual(
          await client.getCode({ address, blockNumber: BigInt(startBlock) }),
          undefined,
        );
        if (startBlock > 0) {
          assert.equal(
            await client.getCode({ address, blockNumber: BigInt(startBlock - 1) }),
            undefined,
          );
        }
      }
      const [admin] = await connection.viem.getWalletClients();
      assert.ok(admin);
      const isAdmin = await client.readContract({
        address: read.EnergyRegistry.address,
        abi: energyRegistryAbi,
        functionName: "hasRole",
        args: [`0x${"00".repeat(32)}`, admin.account.address],
      });
      assert.equal(isAdmin, true);
    } finally {
      await rm(directory, { recursive: true, force: true });
      await connection.close();
    }
  });
});
