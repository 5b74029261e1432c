import {
  keccak256,
  recoverTransactionAddress,
  serializeTransaction,
  type Hex,
  type Transaction,
  type TransactionSerializable,
} from "viem";

export class UnjournalableTransactionError extends Error {
  override name = "UnjournalableTransactionError";
}

/**
 * A mined transaction's signed bytes, rebuilt from the fields a node returns for it (EDR has no
 * eth_getRawTransactionByHash). The result is checked against the transaction's hash, so a field
 * lost or misread on the way can never be journaled as another transaction, and its signature
 * against the sender: an impersonated sender's transaction (hardhat_impersonateAccount) carries a
 * placeholder signature that no node would accept again.
 */
export async function rawTransactionOf(tx: Transaction): Promise<Hex> {
  const common = {
    nonce: tx.nonce,
    gas: tx.gas,
    value: tx.value,
    data: tx.input,
    ...(tx.to === null ? {} : { to: tx.to }),
  };
  let fields: TransactionSerializable;
  switch (tx.type) {
    case "legacy":
      fields = {
        ...common,
        type: "legacy",
        gasPrice: tx.gasPrice,
        ...(tx.chainId === undefined ? {} : { chainId: tx.chainId }),
      };
      break;
    case "eip2930":
      fields = {
        ...common,
        type: "eip2930",
        chainId: tx.chainId,
        gasPrice: tx.gasPrice,
        accessList: tx.accessList,
      };
      break;
    case "eip1559":
      fields = {
        ...common,
        type: "eip1559",
        chainId: tx.chainId,
        maxFeePerGas: tx.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
        accessList: tx.accessList,
      };
      break;
    case "eip7702":
      fields = {
        ...common,
        type: "eip7702",
        chainId: tx.chainId,
        maxFeePerGas: tx.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
        accessList: tx.accessList,
        authorizationList: tx.authorizationList,
      };
      break;
    default:
      throw new UnjournalableTransactionError(
        `transaction ${tx.hash} is of type ${tx.type}, which the chain journal does not record`,
      );
  }
  const raw = serializeTransaction(
    fields,
    tx.type === "legacy"
      ? // A legacy signature's v carries the chain id (EIP-155); yParity alone cannot rebuild it.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        { r: tx.r, s: tx.s, v: tx.v }
      : { r: tx.r, s: tx.s, yParity: tx.yParity },
  );
  const rebuilt = keccak256(raw);
  if (rebuilt !== tx.hash)
    throw new UnjournalableTransactionError(
      `transaction ${tx.hash} cannot be rebuilt from its fields (the bytes rebuilt hash to ${rebuilt})`,
    );
  const signer = await recoverTransactionAddress({ serializedTransaction: raw }).catch(
    () => undefined,
  );
  if (signer?.toLowerCase() !== tx.from.toLowerCase())
    throw new UnjournalableTransactionError(
      `transaction ${tx.hash} from ${tx.from} is not signed by its sender (an impersonated account's?): it could not be sent again`,
    );
  return raw;
}
