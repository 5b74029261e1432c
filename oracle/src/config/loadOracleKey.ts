import { readFileSync } from "node:fs";
import { InvalidInputError } from "@energy-intelligence/sdk";
import type { GatewayConfig, GatewayEnv } from "./gatewayConfigSchema.ts";

const KEY = /^0x[0-9a-fA-F]{64}$/u;

/**
 * The oracle's signing key, wrapped so that logging, JSON or `util.inspect`
 * of it (or of anything holding it) shows `[redacted]`. Only `reveal()` gives
 * the key, for the signer that needs it.
 */
export class OracleKey {
  readonly #key: `0x${string}`;
  readonly source: "env" | "file";

  constructor(key: `0x${string}`, source: "env" | "file") {
    this.#key = key;
    this.source = source;
  }

  reveal(): `0x${string}` {
    return this.#key;
  }

  toJSON(): string {
    return "[redacted]";
  }

  toString(): string {
    return "[redacted]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `OracleKey(${this.source}, [redacted])`;
  }
}

/**
 * Loads the oracle key from EI_ORACLE_KEY, else from EI_ORACLE_KEY_FILE or the
 * config's `oracleKeyFile`; undefined when none is set (ingest runs, signing and
 * anchoring stay off).
 *
 * @throws {InvalidInputError} naming where the key came from, never its value.
 */
export function loadOracleKey(config: GatewayConfig, env: GatewayEnv): OracleKey | undefined {
  if (env.EI_ORACLE_KEY !== undefined)
    return new OracleKey(env.EI_ORACLE_KEY as `0x${string}`, "env");
  const file = env.EI_ORACLE_KEY_FILE ?? config.oracleKeyFile;
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new InvalidInputError("oracleKeyFile", `cannot read ${file}`, { cause: error });
  }
  if (!KEY.test(text))
    throw new InvalidInputError("oracleKeyFile", `${file} must hold 0x and 64 hex digits`);
  return new OracleKey(text as `0x${string}`, "file");
}
