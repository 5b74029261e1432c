import { isAddressEqual } from "viem";
import type { Address, Hex, PublicClient } from "viem";
import { dataContainersAbi, energyRegistryAbi } from "../contracts/generated/abis.ts";
import type { VerifyContainerParameters } from "../containers/verifyContainer.ts";
import { buildContainerBatchTypedData, eip712Domain } from "../eip712/index.ts";
import type { ContainerAnchor } from "./findContainerAnchor.ts";
import { readAnchorSignature } from "./readAnchorSignature.ts";

/** The two contracts container verification reads, from the auditor's own deployments file. */
export interface VerifyDeployments {
  registry: { address: Address; startBlock: number };
  containers: { address: Address; startBlock: number };
}

export interface AnchorFacts {
  batch: VerifyContainerParameters["batch"];
  chain: NonNullable<VerifyContainerParameters["chain"]>;
  /** Why the signature could not be read, when it could not. */
  signatureUnreadable: string | undefined;
  /** The id of the correction that superseded the container, 0n when none. */
  supersededBy: bigint;
}

/**
 * What the chain says about an anchored container, read with the auditor's own
 * RPC endpoint: the stored commitment, the oracle's signature from the
 * anchoring calldata (checked with ERC-1271 at the anchoring block when the
 * signer is a contract), and whether the signer was an oracle of the site at
 * that block according to the registry in the auditor's deployments file —
 * not the one the containers contract names, which a lookalike could fake.
 */
export async function gatherAnchorFacts(parameters: {
  client: PublicClient;
  chainId: number;
  deployments: VerifyDeployments;
  id: bigint;
  anchor: ContainerAnchor;
}): Promise<AnchorFacts> {
  const { client, deployments, anchor, id } = parameters;
  const containers = deployments.containers.address;
  const [commitment, supersededBy, containersRegistry] = await Promise.all([
    client.readContract({
      address: containers,
      abi: dataContainersAbi,
      functionName: "commitmentOf",
      args: [id],
    }),
    client.readContract({
      address: containers,
      abi: dataContainersAbi,
      functionName: "supersededBy",
      args: [id],
    }),
    client.readContract({ address: containers, abi: dataContainersAbi, functionName: "registry" }),
  ]);
  const wasOracle = await client.readContract({
    address: deployments.registry.address,
    abi: energyRegistryAbi,
    functionName: "wasOracleAt",
    args: [anchor.header.siteId, anchor.signer, anchor.blockNumber],
  });
  let oracleContext = `at block ${anchor.blockNumber} (EnergyRegistry ${deployments.registry.address})`;
  if (!isAddressEqual(containersRegistry, deployments.registry.address)) {
    oracleContext += `; note: DataContainers uses registry ${containersRegistry}`;
  }

  const domain = eip712Domain({ chainId: parameters.chainId, verifyingContract: containers });
  const read = await readAnchorSignature({
    client,
    containers,
    transactionHash: anchor.transactionHash,
    batch: anchor.batch,
    signer: anchor.signer,
  });
  let batch: VerifyContainerParameters["batch"];
  let signatureUnreadable: string | undefined;
  if ("signature" in read) {
    const signature: Hex = read.signature;
    const code = await client.getCode({ address: anchor.signer, blockNumber: anchor.blockNumber });
    let contractSignatureValid: boolean | undefined;
    if (code !== undefined && code !== "0x") {
      const typedData = buildContainerBatchTypedData({ domain, containers: anchor.batch });
      contractSignatureValid = await client.verifyTypedData({
        ...typedData,
        message: { containers: [...typedData.message.containers] },
        address: anchor.signer,
        signature,
        blockNumber: anchor.blockNumber,
      });
    }
    batch = {
      domain,
      headers: anchor.batch,
      signer: anchor.signer,
      signature,
      contractSignatureValid,
    };
  } else {
    signatureUnreadable = read.unreadable;
  }
  return {
    batch,
    chain: { commitment, signerWasOracle: wasOracle, oracleContext },
    signatureUnreadable,
    supersededBy,
  };
}
