/**
 * Gas of a Chainlink Functions request by GridIntensityConsumer on the in-process Hardhat chain with the
 * toolkit's router and mock coordinator, next to the pre-#9 consumer that kept its source in a storage
 * string (contracts/test/baseline/StorageSourceIntensityConsumer.sol, same run), and a request split
 * into its parts by contracts/test/gas/GridIntensityGasProbe.sol (gasleft() around each part, each part
 * in an eth_call of its own so storage and accounts start cold, as in a transaction).
 */
import type { NetworkConnection } from "hardhat/types/network";
import { getContract, parseAbi, stringToHex, type Address, type Hex } from "viem";
import {
  energyRegistryAbi,
  gridIntensityConsumerAbi,
} from "../../sdk/src/contracts/generated/abis.ts";
import { readGridIntensitySource } from "../../functions/tooling/deployGridIntensityConsumer.ts";
import { startLocalFunctions } from "../../functions/tooling/startLocalFunctions.ts";

/** Hardhat's first well-known test account (the default `test test … junk` mnemonic). */
const ADMIN_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const REGION = stringToHex("13", { size: 32 });
/** contracts/test/gas/GridIntensityGasProbe.sol; declared here because a fresh clone typechecks before it builds. */
const probeAbi = parseAbi([
  "function measureStorageRead() view returns (uint256)",
  "function measureCodeRead() view returns (uint256)",
  "function measureEncode() view returns (uint256)",
  "function measurePrefixPath() view returns (uint256)",
  "function measureRouterSend() returns (uint256)",
]);

export interface IntensityGasReport {
  /** Bytes of functions/source/gridIntensity.js. */
  sourceBytes: number;
  /**
   * Receipt gasUsed (21,000 base included) of requestIntensity, current contract, on a subscription that
   * has served a request before (its first request costs ~15,000 more, on either contract).
   */
  request: number;
  /** The same request by the pre-#9 consumer (source in a storage string). */
  requestStorageSource: number;
  deploy: number;
  deployStorageSource: number;
  /** setSource with a changed source of about the same size, current contract / storage string. */
  setSource: number;
  setSourceStorageSource: number;
  /** Parts of a request, each measured with gasleft() around it (GridIntensityGasProbe). */
  parts: {
    /** Old path: the source string copied from storage, then FunctionsRequest.encodeCBOR. */
    sourceFromStorage: number;
    cborEncode: number;
    /** The raw source copied from a data contract (for comparison with the storage read). */
    sourceFromCode: number;
    /** Current path: the stored CBOR prefix copied from code with the args encoded after it. */
    prefixPath: number;
    /** The router and coordinator's work for the same request data (identical on both paths). */
    routerSend: number;
  };
}

export async function measureIntensityGas(
  connection: NetworkConnection,
): Promise<IntensityGasReport> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const [admin] = await viem.getWalletClients();
  if (admin === undefined) throw new Error("the network has no accounts");
  const gasOf = async (hash: Hex): Promise<number> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return Number(receipt.gasUsed);
  };
  const functions = await startLocalFunctions(connection, ADMIN_KEY);
  const source = await readGridIntensitySource();
  const donId = stringToHex(functions.donId, { size: 32 });
  const { address: registryAddress } = await viem.deployContract("EnergyRegistry", [
    admin.account.address,
  ]);
  const registry = getContract({ address: registryAddress, abi: energyRegistryAbi, client: admin });
  const config = {
    subscriptionId: functions.subscriptionId,
    callbackGasLimit: 300_000,
    requestTimeoutSeconds: 600,
    maxMilligramsPerKilowattHour: 2_000_000,
    donId,
  };
  const { address: probeAddress } = await viem.deployContract("GridIntensityGasProbe", [
    functions.router,
    source,
    functions.subscriptionId,
    donId,
  ]);
  const probe = getContract({ address: probeAddress, abi: probeAbi, client: admin });
  await functions.addConsumer(probe.address);
  // The subscription's first request pays for its counters' first writes: let the probe send it, so
  // neither consumer measured below does.
  await gasOf(await probe.write.measureRouterSend());
  const latest = await publicClient.getBlock();
  const hour = Number(latest.timestamp - (latest.timestamp % 3600n)) - 3600;

  const consumerGas = async (name: "GridIntensityConsumer" | "StorageSourceIntensityConsumer") => {
    const { contract, deploymentTransaction } = await viem.sendDeploymentTransaction(name, [
      functions.router,
      registryAddress,
      config,
      source,
    ]);
    const deploy = await gasOf(deploymentTransaction.hash);
    const address: Address = contract.address;
    const consumer = getContract({ address, abi: gridIntensityConsumerAbi, client: admin });
    await functions.addConsumer(address);
    await gasOf(
      await registry.write.grantRole([
        await consumer.read.INTENSITY_REQUESTER_ROLE(),
        admin.account.address,
      ]),
    );
    const request = await gasOf(await consumer.write.requestIntensity([REGION, hour, 1]));
    // A changed source (one line more), as when the file is updated: the same size for both.
    const setSource = await gasOf(await consumer.write.setSource([`${source}\n// v2\n`]));
    return { deploy, request, setSource };
  };
  const current = await consumerGas("GridIntensityConsumer");
  const old = await consumerGas("StorageSourceIntensityConsumer");

  // Each part in an eth_call of its own, so storage and accounts start cold as in a transaction.
  const call = { address: probeAddress, abi: probeAbi, account: admin.account } as const;
  const sourceFromStorage = await publicClient.readContract({
    ...call,
    functionName: "measureStorageRead",
  });
  const cborEncode = await publicClient.readContract({ ...call, functionName: "measureEncode" });
  const sourceFromCode = await publicClient.readContract({
    ...call,
    functionName: "measureCodeRead",
  });
  const prefixPath = await publicClient.readContract({
    ...call,
    functionName: "measurePrefixPath",
  });
  const routerSend = await publicClient.simulateContract({
    ...call,
    functionName: "measureRouterSend",
  });
  return {
    sourceBytes: Buffer.byteLength(source, "utf8"),
    request: current.request,
    requestStorageSource: old.request,
    deploy: current.deploy,
    deployStorageSource: old.deploy,
    setSource: current.setSource,
    setSourceStorageSource: old.setSource,
    parts: {
      sourceFromStorage: Number(sourceFromStorage),
      cborEncode: Number(cborEncode),
      sourceFromCode: Number(sourceFromCode),
      prefixPath: Number(prefixPath),
      routerSend: Number(routerSend.result),
    },
  };
}
