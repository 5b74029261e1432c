import {
  type Address,
  type Chain,
  type PublicClient,
  type Transport,
  createPublicClient,
  defineChain,
  http,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import type { OracleKey } from "../config/loadOracleKey.ts";

export interface ChainAccess {
  publicClient: PublicClient<Transport, Chain>;
  /** The oracle's account: signs container batches (EIP-712) and the anchoring transactions. */
  account: PrivateKeyAccount;
  chainId: number;
  containersAddress: Address;
}

export interface CreateChainAccessParameters {
  rpcUrl: string;
  oracleKey: OracleKey;
  containersAddress: Address;
  /** Each RPC call's deadline: a paused or unreachable node becomes an error the anchorer backs off from. */
  requestTimeoutMs?: number;
}

/**
 * The viem client and account the anchorer uses. viem's own retries are off:
 * the anchorer has its own persisted backoff, and a hidden retry loop would
 * only lengthen each outage step.
 *
 * @example
 * ```ts
 * const chain = await createChainAccess({ rpcUrl, oracleKey, containersAddress });
 * ```
 */
export async function createChainAccess(
  parameters: CreateChainAccessParameters,
): Promise<ChainAccess> {
  const transport = http(parameters.rpcUrl, {
    timeout: parameters.requestTimeoutMs ?? 5000,
    retryCount: 0,
  });
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  return {
    publicClient: createPublicClient({ chain, transport, pollingInterval: 250 }),
    account: privateKeyToAccount(parameters.oracleKey.reveal()),
    chainId,
    containersAddress: parameters.containersAddress,
  };
}
