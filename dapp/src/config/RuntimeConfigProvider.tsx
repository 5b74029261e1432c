"use client";
import { createContext, useContext } from "react";
import type { ReactNode } from "react";
import type { RuntimeConfig } from "./runtimeConfigSchema.ts";

const RuntimeConfigContext = createContext<RuntimeConfig | undefined>(undefined);

/** Hands the server-read runtime configuration to client components (nothing in it is secret). */
export function RuntimeConfigProvider({
  config,
  children,
}: {
  config: RuntimeConfig;
  children: ReactNode;
}) {
  return <RuntimeConfigContext value={config}>{children}</RuntimeConfigContext>;
}

/** The runtime configuration; only under the root layout, which always provides it. */
export function useRuntimeConfig(): RuntimeConfig {
  const config = useContext(RuntimeConfigContext);
  if (config === undefined) throw new Error("useRuntimeConfig outside RuntimeConfigProvider");
  return config;
}
