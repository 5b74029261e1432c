import { decodeFunctionData, isAddressEqual } from "viem";
import type { Address, Hash, Hex, PublicClient } from "viem";
import { hashContainerHeader } from "../containers/hashContainerHeader.ts";
import type { ContainerHeader } from "../eip712/index.ts";
import { dataContainersAbi } from "../contracts/generated/abis.ts";

/**
 * The oracle's signature over a batch, read from the anchoring transaction's
 * calldata (`anchor` or `anchorMany` sent straight to DataContainers). The
 * event does not log it, so it comes from the transaction itself; the headers
 * in the calldata must be the event's. Returns undefined when the call went
 * through another contract (a relayer or multisig), whose calldata we do not
 * decode.
 */
export async function readAnchorSignature(parameters: {
  client: PublicClient;
  containers: Address;
  transactionHash: Hash;
  batch: readonly ContainerHeader[];
  signer: Address;
}): Promise<{ signature: Hex } | { unreadable: string }> {
  const transaction = await parameters.client.getTransaction({ hash: parameters.transactionHash });
  if (transaction.to === null || !isAddressEqual(transaction.to, parameters.containers)) {
    return {
      unreadable: `transaction ${parameters.transactionHash} calls ${transaction.to ?? "no contract"}, not DataContainers directly`,
    };
  }
  let decoded;
  try {
    decoded = decodeFunctionData({ abi: dataContainersAbi, data: transaction.input });
  } catch {
    return { unreadable: "the anchoring calldata does not decode" };
  }
  let headers: readonly ContainerHeader[];
  let signer: Address;
  let signature: Hex;
  if (decoded.functionName === "anchor") {
    const [header, callSigner, callSignature] = decoded.args;
    headers = [header];
    signer = callSigner;
    signature = callSignature;
  } else if (decoded.functionName === "anchorMany") {
    const [callHeaders, callSigner, callSignature] = decoded.args;
    headers = callHeaders;
    signer = callSigner;
    signature = callSignature;
  } else {
    return { unreadable: `the anchoring call is ${decoded.functionName}, not anchor/anchorMany` };
  }
  const same =
    isAddressEqual(signer, parameters.signer) &&
    headers.length === parameters.batch.length &&
    headers.every((header, index) => {
      const logged = parameters.batch[index];
      return logged !== undefined && hashContainerHeader(header) === hashContainerHeader(logged);
    });
  if (!same) return { unreadable: "the calldata's headers or signer differ from the event's" };
  return { signature };
}
