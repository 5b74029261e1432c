import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError } from "@energy-intelligence/sdk";

const SECRET = /^0x[0-9a-fA-F]{32,}$/u;

/**
 * The site secret reading salts (and sealing keys) derive from. From the
 * configured file, else `<dataDir>/site-secret`, created with 32 random bytes
 * (mode 0600) on first start. Losing it loses nothing anchored (salts are in
 * the documents), but back it up with the store: a rebuilt container would
 * not match.
 *
 * @throws {InvalidInputError} naming the file, never its content.
 */
export function loadSiteSecret(options: {
  file?: string | undefined;
  dataDir: string;
}): `0x${string}` {
  const file = options.file ?? path.join(options.dataDir, "site-secret");
  if (options.file === undefined && !existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, `0x${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new InvalidInputError("containers.siteSecretFile", `cannot read ${file}`, {
      cause: error,
    });
  }
  if (!SECRET.test(text)) {
    throw new InvalidInputError(
      "containers.siteSecretFile",
      `${file} must hold 0x and at least 32 hex digits`,
    );
  }
  return text as `0x${string}`;
}
