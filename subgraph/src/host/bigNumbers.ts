/**
 * graph-ts number representations: BigInt is a Uint8Array of the two's-complement value, little
 * endian, minimal length (graph-node's num-bigint `to_signed_bytes_le`); BigDecimal is `digits * 10^exp`
 * with at most 34 significant digits, as graph-node keeps it.
 */

/**
 * `bigIntToSignedLe` of an ABI word (32 bytes, big-endian; `signed` for intN, else uintN) without
 * going through a bigint: reversed, then trimmed of high bytes that only repeat the sign.
 */
export function abiWordToSignedLe(word: Uint8Array, signed: boolean): Uint8Array {
  const out = new Uint8Array(abiWordSignedLeLength(word, signed));
  writeAbiWordSignedLe(word, out, 0, out.length);
  return out;
}

/** The length of `abiWordToSignedLe(word, signed)`, to write it in place (writeAbiWordSignedLe). */
export function abiWordSignedLeLength(word: Uint8Array, signed: boolean): number {
  const size = word.length;
  // A uint with its top bit set needs one 0x00 byte more to stay positive.
  const extra = !signed && ((word[0] ?? 0) & 0x80) !== 0 ? 1 : 0;
  let n = size + extra;
  const byteAt = (i: number) => (i >= size ? 0 : (word[size - 1 - i] ?? 0));
  while (n > 1) {
    const top = byteAt(n - 1);
    const below = byteAt(n - 2) & 0x80;
    if ((top === 0 && below === 0) || (top === 0xff && below !== 0)) n--;
    else break;
  }
  return n;
}

/** Writes the `length` bytes of `abiWordToSignedLe` into `out` at `at`. */
export function writeAbiWordSignedLe(
  word: Uint8Array,
  out: Uint8Array,
  at: number,
  length: number,
): void {
  const size = word.length;
  for (let i = 0; i < length; i++) out[at + i] = i >= size ? 0 : (word[size - 1 - i] ?? 0);
}

// Up to 6 bytes (47 bits and a sign) a double holds exactly: most of the mappings' numbers are
// that small, and number arithmetic allocates no bigint per byte.
const SMALL = 1n << 47n;

/** `bigIntToSignedLe` of a safe integer (|value| < 2^53), with number arithmetic only. */
export function safeIntegerToSignedLe(value: number): Uint8Array {
  const out = new Uint8Array(8);
  let rest = value;
  let n = 0;
  for (;;) {
    // `& 0xff` keeps the low byte of any safe integer (ToInt32 works modulo 2^32).
    const byte = rest & 0xff;
    out[n++] = byte;
    rest = Math.floor(rest / 256);
    if ((rest === 0 && (byte & 0x80) === 0) || (rest === -1 && (byte & 0x80) !== 0)) break;
  }
  return out.slice(0, n);
}

/** The value of two's-complement little-endian bytes as a number when it has at most 6 bytes. */
export function smallSignedLeOrNull(bytes: Uint8Array): number | null {
  return bytes.length <= 6 ? smallSignedLe(bytes) : null;
}

/** Two's-complement little-endian bytes of `value`, minimal length (zero is one 0x00 byte). */
export function bigIntToSignedLe(value: bigint): Uint8Array {
  if (value < SMALL && value >= -SMALL) return safeIntegerToSignedLe(Number(value));
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(rest & 0xffn);
    bytes.push(byte);
    rest >>= 8n;
    // Done once the remaining bits are all sign and the last byte's top bit carries that sign.
    if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(bytes);
}

/** The value of two's-complement little-endian bytes of up to 6 bytes, as a number. */
function smallSignedLe(bytes: Uint8Array): number {
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + (bytes[i] ?? 0);
  const last = bytes[bytes.length - 1] ?? 0;
  return (last & 0x80) !== 0 ? value - 2 ** (bytes.length * 8) : value;
}

/** `signedLeToBigInt(bytes).toString()`, without a bigint for values of up to 6 bytes. */
export function signedLeToDecimalString(bytes: Uint8Array): string {
  if (bytes.length <= 6) return String(smallSignedLe(bytes));
  return signedLeToBigInt(bytes).toString();
}

/** The value of two's-complement little-endian bytes (empty is zero). */
export function signedLeToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  if (bytes.length <= 6) return BigInt(smallSignedLe(bytes));
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  const last = bytes[bytes.length - 1] ?? 0;
  if ((last & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

/** Unsigned little-endian bytes to a value (graph-ts `BigInt.fromUnsignedBytes`). */
export function unsignedLeToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

export interface Decimal {
  digits: bigint;
  exp: bigint;
}

const PRECISION = 34;

/** Trims trailing zeros into the exponent and rounds to 34 significant digits (half even). */
export function normalizeDecimal(value: Decimal): Decimal {
  let { digits, exp } = value;
  if (digits === 0n) return { digits: 0n, exp: 0n };
  const negative = digits < 0n;
  let magnitude = negative ? -digits : digits;
  const excess = magnitude.toString().length - PRECISION;
  if (excess > 0) {
    const divisor = 10n ** BigInt(excess);
    let quotient = magnitude / divisor;
    const remainder = magnitude % divisor;
    const twice = remainder * 2n;
    if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
    magnitude = quotient;
    exp += BigInt(excess);
  }
  while (magnitude % 10n === 0n) {
    magnitude /= 10n;
    exp += 1n;
  }
  digits = negative ? -magnitude : magnitude;
  return { digits, exp };
}

export function decimalToString(value: Decimal): string {
  const { digits, exp } = normalizeDecimal(value);
  if (digits === 0n) return "0";
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString();
  let out: string;
  if (exp >= 0n) out = text + "0".repeat(Number(exp));
  else {
    const point = text.length + Number(exp);
    out =
      point > 0 ? `${text.slice(0, point)}.${text.slice(point)}` : `0.${"0".repeat(-point)}${text}`;
  }
  return negative ? `-${out}` : out;
}

/** Parses "-12.5", "1e-3", "0.000" into a decimal; throws on anything else. */
export function decimalFromString(text: string): Decimal {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (match === null || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new Error(`not a decimal number: "${text}"`);
  }
  const fraction = match[3] ?? "";
  const digits = BigInt(`${match[2] ?? ""}${fraction}` || "0");
  const exp = BigInt(match[4] ?? "0") - BigInt(fraction.length);
  return normalizeDecimal({ digits: match[1] === "-" ? -digits : digits, exp });
}

function align(a: Decimal, b: Decimal): [bigint, bigint, bigint] {
  const exp = a.exp < b.exp ? a.exp : b.exp;
  return [a.digits * 10n ** (a.exp - exp), b.digits * 10n ** (b.exp - exp), exp];
}

export function decimalPlus(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return normalizeDecimal({ digits: x + y, exp });
}

export function decimalMinus(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return normalizeDecimal({ digits: x - y, exp });
}

export function decimalTimes(a: Decimal, b: Decimal): Decimal {
  return normalizeDecimal({ digits: a.digits * b.digits, exp: a.exp + b.exp });
}

export function decimalDividedBy(a: Decimal, b: Decimal): Decimal {
  if (b.digits === 0n) throw new Error("BigDecimal division by zero");
  // Scale the dividend so the quotient keeps more than 34 significant digits, then round.
  const scale = BigInt(PRECISION + 2 + b.digits.toString().length);
  return normalizeDecimal({
    digits: (a.digits * 10n ** scale) / b.digits,
    exp: a.exp - b.exp - scale,
  });
}

export function decimalEquals(a: Decimal, b: Decimal): boolean {
  const x = normalizeDecimal(a);
  const y = normalizeDecimal(b);
  return x.digits === y.digits && x.exp === y.exp;
}
