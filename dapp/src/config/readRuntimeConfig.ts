import { connection } from "next/server";
import { loadRuntimeConfig } from "./loadRuntimeConfig.ts";
import type { RuntimeConfigResult } from "./loadRuntimeConfig.ts";

let cached: Promise<RuntimeConfigResult> | undefined;

/**
 * Reads and checks the runtime configuration from the server's environment. Awaiting
 * `connection()` first keeps Next from prerendering a page with the build machine's values.
 * The result is cached for the life of the server process; a misconfiguration is reported, not
 * thrown, so pages can say what to set.
 */
export async function readRuntimeConfig(): Promise<RuntimeConfigResult> {
  await connection();
  cached ??= loadRuntimeConfig(process.env);
  return cached;
}
