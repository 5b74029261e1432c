import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Address, isHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

/**
 * The portal's relay key file: created once (mode 600) when missing, then read.
 * `ei portal relay-key` and `ei start` use it; the site manager grants the
 * returned address the site's operator role.
 *
 * @throws {Error} when the file exists but holds no private key.
 */
export function ensurePortalRelayKey(file: string): { address: Address; created: boolean } {
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${generatePrivateKey()}\n`, { mode: 0o600, flag: "wx" });
    created = true;
  }
  const key = readFileSync(file, "utf8").trim();
  if (!isHex(key) || key.length !== 66)
    throw new Error(`${file} does not hold a private key (0x + 64 hex); fix or remove it`);
  return { address: privateKeyToAccount(key).address, created };
}
