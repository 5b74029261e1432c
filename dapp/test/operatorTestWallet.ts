// A test wallet speaking EIP-1193 the way a browser wallet does: it holds one
// key, signs transactions and typed data itself, and forwards reads to the
// Hardhat node. It can be told to reject requests (EIP-1193 4001) or to sit on
// another chain. Node tests use it through viem's custom() transport; browser
// tests expose `request` to the page and inject a provider that calls it.
import type { Hex, LocalAccount, TransactionSerializable } from "viem";
import { createPublicClient, hexToBigInt, http, numberToHex } from "viem";

export class ProviderRpcError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export interface TestWalletOptions {
  rpcUrl: string;
  account: LocalAccount;
  /** The node's chain id. */
  chainId: number;
}

export class TestWallet {
  readonly #rpcUrl: string;
  readonly #account: LocalAccount;
  readonly #nodeChainId: number;
  /** The chain the wallet says it is on (another id: "wrong network"). */
  chainId: number;
  /** Reject signature and transaction requests, as a user pressing "Reject" does. */
  rejectRequests = false;
  connected = false;
  readonly #listeners = new Map<string, Set<(value: unknown) => void>>();

  constructor(options: TestWalletOptions) {
    this.#rpcUrl = options.rpcUrl;
    this.#account = options.account;
    this.#nodeChainId = options.chainId;
    this.chainId = options.chainId;
  }

  get address(): Hex {
    return this.#account.address;
  }

  on(event: string, listener: (value: unknown) => void): void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener);
    this.#listeners.set(event, set);
  }

  removeListener(event: string, listener: (value: unknown) => void): void {
    this.#listeners.get(event)?.delete(listener);
  }

  #emit(event: string, value: unknown): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(value);
  }

  async #node(method: string, params: unknown[] = []): Promise<unknown> {
    const response = await fetch(this.#rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as {
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
    };
    if (body.error !== undefined) {
      const error = new ProviderRpcError(
        body.error.code,
        body.error.message,
      ) as ProviderRpcError & {
        data?: unknown;
      };
      error.data = body.error.data;
      throw error;
    }
    return body.result;
  }

  /** Switches the wallet to the node's chain (or to `chainId`, to simulate a wallet elsewhere). */
  setChain(chainId: number): void {
    this.chainId = chainId;
    this.#emit("chainChanged", numberToHex(chainId));
  }

  #requireUser(): void {
    if (this.rejectRequests) throw new ProviderRpcError(4001, "User rejected the request.");
  }

  #requireOnNode(): void {
    if (this.chainId !== this.#nodeChainId)
      throw new ProviderRpcError(
        -32603,
        `wallet is on chain ${this.chainId}; this node is chain ${this.#nodeChainId}`,
      );
  }

  async request({ method, params = [] }: { method: string; params?: unknown[] }): Promise<unknown> {
    switch (method) {
      case "eth_chainId":
        return numberToHex(this.chainId);
      case "net_version":
        return String(this.chainId);
      case "eth_accounts":
        return this.connected ? [this.#account.address] : [];
      case "eth_requestAccounts":
        this.#requireUser();
        this.connected = true;
        this.#emit("accountsChanged", [this.#account.address]);
        return [this.#account.address];
      case "wallet_requestPermissions":
        this.#requireUser();
        this.connected = true;
        return [{ parentCapability: "eth_accounts" }];
      case "wallet_revokePermissions":
        this.connected = false;
        return null;
      case "wallet_switchEthereumChain": {
        this.#requireUser();
        const [{ chainId }] = params as [{ chainId: Hex }];
        if (Number(chainId) !== this.#nodeChainId)
          throw new ProviderRpcError(4902, `Unrecognized chain ID ${chainId}.`);
        this.setChain(Number(chainId));
        return null;
      }
      case "eth_sendTransaction": {
        this.#requireUser();
        this.#requireOnNode();
        const [tx] = params as [
          { to: Hex; data?: Hex; value?: Hex; gas?: Hex; from?: Hex; nonce?: Hex },
        ];
        const client = createPublicClient({ transport: http(this.#rpcUrl) });
        const nonce = await client.getTransactionCount({
          address: this.#account.address,
          blockTag: "pending",
        });
        const fees = await client.estimateFeesPerGas();
        const gas =
          tx.gas === undefined
            ? await client.estimateGas({
                account: this.#account.address,
                to: tx.to,
                ...(tx.data === undefined ? {} : { data: tx.data }),
              })
            : hexToBigInt(tx.gas);
        const transaction: TransactionSerializable = {
          chainId: this.#nodeChainId,
          type: "eip1559",
          to: tx.to,
          data: tx.data ?? "0x",
          value: tx.value === undefined ? 0n : hexToBigInt(tx.value),
          gas,
          nonce,
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        };
        const signTransaction = this.#account.signTransaction.bind(this.#account);
        return this.#node("eth_sendRawTransaction", [await signTransaction(transaction)]);
      }
      case "personal_sign": {
        this.#requireUser();
        const [message] = params as [Hex];
        return this.#account.signMessage({ message: { raw: message } });
      }
      case "eth_signTypedData_v4": {
        this.#requireUser();
        const [, json] = params as [Hex, string];
        const typed = JSON.parse(json) as Parameters<LocalAccount["signTypedData"]>[0];
        return this.#account.signTypedData(typed);
      }
      default:
        this.#requireOnNode();
        return this.#node(method, params);
    }
  }
}
