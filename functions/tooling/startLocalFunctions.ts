/**
 * A local Chainlink Functions setup on a Hardhat network: the toolkit's router and mock coordinator
 * (deployFunctionsOracle), a funded subscription, and helpers to add consumers. Used by the end-to-end
 * test and usable from a script against `npx hardhat node`.
 */
import { encodeAbiParameters, parseAbi, parseEther, type Address, type Hex } from "viem";
import type { NetworkConnection } from "hardhat/types/network";
import { deployFunctionsOracleVia, type DeployedFunctionsOracle } from "./toolkit.ts";

export const routerAbi = parseAbi([
  "function createSubscription() returns (uint64)",
  "function addConsumer(uint64 subscriptionId, address consumer)",
  "function getSubscriptionCount() view returns (uint64)",
  "function getSubscription(uint64 subscriptionId) view returns ((uint96 balance, address owner, uint96 blockedBalance, address proposedOwner, address[] consumers, bytes32 flags))",
]);
const linkAbi = parseAbi([
  "function transferAndCall(address to, uint256 value, bytes data) returns (bool)",
]);

export interface LocalFunctions extends DeployedFunctionsOracle {
  subscriptionId: bigint;
  addConsumer(consumer: Address): Promise<void>;
}

/**
 * Deploys the Functions contracts with the connection's first account (Hardhat's well-known test key
 * `privateKey`), creates a subscription and funds it with `fundLink` LINK.
 */
export async function startLocalFunctions(
  connection: NetworkConnection,
  privateKey: Hex,
  fundLink = "100",
): Promise<LocalFunctions> {
  const oracle = await deployFunctionsOracleVia(connection.provider, privateKey);
  const publicClient = await connection.viem.getPublicClient();
  const [admin] = await connection.viem.getWalletClients();
  if (admin === undefined) throw new Error("the network has no accounts");
  const send = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  };
  await send(
    await admin.writeContract({
      address: oracle.router,
      abi: routerAbi,
      functionName: "createSubscription",
    }),
  );
  const subscriptionId = await publicClient.readContract({
    address: oracle.router,
    abi: routerAbi,
    functionName: "getSubscriptionCount",
  });
  await send(
    await admin.writeContract({
      address: oracle.linkToken,
      abi: linkAbi,
      functionName: "transferAndCall",
      args: [
        oracle.router,
        parseEther(fundLink),
        encodeAbiParameters([{ type: "uint64" }], [subscriptionId]),
      ],
    }),
  );
  return {
    ...oracle,
    subscriptionId,
    addConsumer: async (consumer) => {
      await send(
        await admin.writeContract({
          address: oracle.router,
          abi: routerAbi,
          functionName: "addConsumer",
          args: [subscriptionId, consumer],
        }),
      );
    },
  };
}
