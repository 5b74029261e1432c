import { readFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError } from "@energy-intelligence/sdk";
import type { z } from "zod";
import {
  type GatewayConfig,
  type GatewayEnv,
  gatewayConfigSchema,
  gatewayEnvSchema,
} from "./gatewayConfigSchema.ts";

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Overrides (from flags) win over the file, member by member. */
function merge(base: Plain, overrides: Plain): Plain {
  const result: Plain = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const existing = result[key];
    result[key] = isPlain(existing) && isPlain(value) ? merge(existing, value) : value;
  }
  return result;
}

function firstIssue(error: z.ZodError, root: string, source: string): InvalidInputError {
  const issue = error.issues[0];
  const where = [root, ...(issue?.path ?? []).map(String)].join(".");
  return new InvalidInputError(where, issue?.message ?? "invalid", {
    details: `in ${source}`,
    hints: ["See oracle/README.md, section Configuration."],
  });
}

/**
 * Reads and validates the gateway configuration: the JSON file (optional),
 * then flag overrides, then defaults. Relative paths in the file are resolved
 * against the file's folder, so a config means the same wherever it is run from.
 *
 * @throws {InvalidInputError} naming the field, e.g. `config.http.port`.
 * @example
 * ```ts
 * const config = loadGatewayConfig({ file: "gateway.json", overrides: { http: { port: 0 } } });
 * ```
 */
export function loadGatewayConfig(
  options: { file?: string | undefined; overrides?: Plain } = {},
): GatewayConfig {
  let fromFile: Plain = {};
  if (options.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.file, "utf8");
    } catch (error) {
      throw new InvalidInputError("config", `cannot read ${options.file}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError("config", `${options.file} is not valid JSON`, {
        details: error instanceof Error ? error.message : undefined,
      });
    }
    if (!isPlain(parsed))
      throw new InvalidInputError("config", `${options.file} must hold a JSON object`);
    fromFile = parsed;
    const folder = path.dirname(options.file);
    for (const key of ["dataDir", "oracleKeyFile"] as const) {
      const value = fromFile[key];
      if (typeof value === "string") fromFile[key] = path.resolve(folder, value);
    }
    for (const [section, key] of [
      ["containers", "siteSecretFile"],
      ["chain", "deploymentsFile"],
    ] as const) {
      const holder = fromFile[section];
      if (isPlain(holder) && typeof holder[key] === "string")
        holder[key] = path.resolve(folder, holder[key]);
    }
  }
  const result = gatewayConfigSchema.safeParse(merge(fromFile, options.overrides ?? {}));
  if (!result.success) throw firstIssue(result.error, "config", options.file ?? "the flags");
  return result.data;
}

/**
 * Validates the environment variables the gateway reads.
 * @throws {InvalidInputError} naming the variable, e.g. `env.EI_ORACLE_KEY` (never its value).
 */
export function loadGatewayEnv(env: NodeJS.ProcessEnv): GatewayEnv {
  const result = gatewayEnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    // The message names the variable, never echoes its value: it may be a key.
    throw new InvalidInputError(`env.${issue?.path.join(".") ?? ""}`, issue?.message ?? "invalid");
  }
  return result.data;
}
