import { createConfig, http } from "wagmi";
import { injected } from "wagmi/connectors";
import { defineChain } from "viem";
import { hardhat } from "viem/chains";
import type { RuntimeConfig } from "../config/runtimeConfigSchema.ts";

/** The one chain of this deployment, from the runtime configuration (any EVM chain id works). */
export function chainFromConfig(config: Pick<RuntimeConfig, "chainId" | "rpcUrl">) {
  if (config.chainId === hardhat.id) {
    return { ...hardhat, rpcUrls: { default: { http: [config.rpcUrl] } } } as const;
  }
  return defineChain({
    id: config.chainId,
    name: `Chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

/**
 * wagmi for the configured chain. Injected wallets are found through EIP-6963 (wagmi's
 * multi-injected provider discovery, on by default) plus the legacy `window.ethereum`.
 */
export function createWagmiConfig(config: Pick<RuntimeConfig, "chainId" | "rpcUrl">) {
  const chain = chainFromConfig(config);
  return createConfig({
    chains: [chain],
    connectors: [injected()],
    transports: { [chain.id]: http(config.rpcUrl) },
    ssr: true,
  });
}
