"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import type { ReactNode } from "react";
import { WagmiProvider } from "wagmi";
import { useRuntimeConfig } from "../config/RuntimeConfigProvider.tsx";
import { createWagmiConfig } from "./createWagmiConfig.ts";

/**
 * wagmi and react-query for the routes that use a wallet. It is not in the root layout on purpose:
 * the public lot page must stay small, so only wallet routes (operator, attestation) load wagmi.
 */
export function WalletProviders({ children }: { children: ReactNode }) {
  const runtime = useRuntimeConfig();
  const [wagmiConfig] = useState(() => createWagmiConfig(runtime));
  const [queryClient] = useState(() => new QueryClient());
  return (
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </WagmiProvider>
  );
}
