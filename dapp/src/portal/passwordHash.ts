import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * scrypt cost parameters. The defaults are OWASP's first scrypt recommendation
 * (N = 2^17, r = 8, p = 1): 128 MiB of memory per hash, so a GPU or ASIC
 * guessing passwords pays in memory, not only in time. About 0.3–0.6 s on one
 * core of a small server, which also bounds how fast one process can be made to
 * check passwords (login is rate limited as well).
 */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

export const DEFAULT_SCRYPT: Readonly<ScryptParameters> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = "scrypt";

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  // scrypt needs 128·N·r·p bytes; Node refuses above `maxmem` (32 MiB by default).
  const maxmem = 128 * parameters.N * parameters.r * parameters.p + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_BYTES,
      { N: parameters.N, r: parameters.r, p: parameters.p, maxmem },
      (error, key) => {
        if (error === null) resolve(key);
        else reject(error);
      },
    );
  });
}

/** Passwords shorter than this are refused when set (NIST SP 800-63B asks for at least 8). */
export const MIN_PASSWORD_LENGTH = 12;
/** Bounds the work one login request can cause. */
export const MAX_PASSWORD_LENGTH = 256;

/** Why a new password is not accepted, or undefined when it is. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `a password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}

/**
 * Hashes a password for storage as
 * `scrypt$N=<N>,r=<r>,p=<p>$<salt base64url>$<key base64url>`: the parameters
 * travel with the hash, so they can be raised later without locking anyone out
 * ({@link needsRehash}).
 */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, parameters);
  return [
    PREFIX,
    `N=${parameters.N},r=${parameters.r},p=${parameters.p}`,
    salt.toString("base64url"),
    key.toString("base64url"),
  ].join("$");
}

interface StoredHash {
  parameters: ScryptParameters;
  salt: Buffer;
  key: Buffer;
}

function parseStored(stored: string): StoredHash | undefined {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== PREFIX) return undefined;
  const match = /^N=(\d+),r=(\d+),p=(\d+)$/u.exec(parts[1] ?? "");
  if (match === null) return undefined;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const salt = Buffer.from(parts[2] ?? "", "base64url");
  const key = Buffer.from(parts[3] ?? "", "base64url");
  if (key.length !== KEY_BYTES || salt.length === 0) return undefined;
  return { parameters: { N, r, p }, salt, key };
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const parsed = parseStored(stored);
  if (parsed === undefined) return false;
  const key = await derive(password, parsed.salt, parsed.parameters);
  return timingSafeEqual(key, parsed.key);
}

/** True when a stored hash used weaker parameters than `parameters` (rehash at the next sign-in). */
export function needsRehash(
  stored: string,
  parameters: ScryptParameters = DEFAULT_SCRYPT,
): boolean {
  const parsed = parseStored(stored);
  if (parsed === undefined) return true;
  return (
    parsed.parameters.N < parameters.N ||
    parsed.parameters.r < parameters.r ||
    parsed.parameters.p < parameters.p
  );
}
