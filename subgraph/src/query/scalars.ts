/**
 * graph-node's extra scalars for graphql-js. Outputs are what graph-node sends
 * (BigInt, BigDecimal, Int8 and Timestamp as decimal strings, Bytes as
 * lowercase 0x-hex); inputs accept what graph-node accepts and come out in the
 * canonical text the store holds, so a filter compares like with like.
 */
import { GraphQLScalarType, Kind, type ConstValueNode } from "graphql";

const BIG_INT_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_TEXT = /^(?:0x)?((?:[0-9a-fA-F]{2})*)$/;

/** `"007"` → `"7"`, `"-0"` → `"0"`; throws on anything that is not an integer. */
export function canonicalBigInt(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && Number.isSafeInteger(value)) return value.toString();
  if (typeof value === "string" && BIG_INT_TEXT.test(value.trim())) {
    return BigInt(value.trim()).toString();
  }
  throw new TypeError(`not an integer: ${JSON.stringify(value)}`);
}

/** `"1.50"` → `"1.5"`, `"2e3"` → `"2000"`, `"-0.0"` → `"0"`; throws on non-decimals. */
export function canonicalBigDecimal(value: unknown): string {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string") throw new TypeError(`not a decimal: ${JSON.stringify(value)}`);
  const match = DECIMAL_TEXT.exec(text.trim());
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match ?? [];
  if (match === null || whole.length + fraction.length === 0) {
    throw new TypeError(`not a decimal: ${JSON.stringify(value)}`);
  }
  const exponent = Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10_000) {
    throw new TypeError(`exponent out of range: ${JSON.stringify(value)}`);
  }
  // digits × 10^(pointAt - digits.length): move the point by the exponent.
  const digits = whole + fraction;
  const pointAt = whole.length + exponent;
  let integerPart: string;
  let fractionPart: string;
  if (pointAt <= 0) {
    integerPart = "0";
    fractionPart = "0".repeat(-pointAt) + digits;
  } else if (pointAt >= digits.length) {
    integerPart = digits + "0".repeat(pointAt - digits.length);
    fractionPart = "";
  } else {
    integerPart = digits.slice(0, pointAt);
    fractionPart = digits.slice(pointAt);
  }
  integerPart = integerPart.replace(/^0+(?=\d)/, "");
  fractionPart = fractionPart.replace(/0+$/, "");
  const magnitude = fractionPart === "" ? integerPart : `${integerPart}.${fractionPart}`;
  return magnitude === "0" || sign !== "-" ? magnitude : `-${magnitude}`;
}

/** `"0xABcd"` or `"abcd"` → `"0xabcd"`; throws on odd length or non-hex. */
export function canonicalBytes(value: unknown): string {
  if (typeof value !== "string") throw new TypeError(`not a hex string: ${JSON.stringify(value)}`);
  const match = HEX_TEXT.exec(value);
  if (match === null)
    throw new TypeError(`not an even-length hex string: ${JSON.stringify(value)}`);
  return `0x${(match[1] ?? "").toLowerCase()}`;
}

function literalText(node: ConstValueNode): string | undefined {
  if (node.kind === Kind.STRING || node.kind === Kind.INT || node.kind === Kind.FLOAT) {
    return node.value;
  }
  return undefined;
}

function decimalText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return value.toString();
  throw new TypeError(`expected a number or a string, got ${JSON.stringify(value)}`);
}

export const BigIntScalar = new GraphQLScalarType<string, string>({
  name: "BigInt",
  coerceOutputValue: (value) => decimalText(value),
  coerceInputValue: (value) => canonicalBigInt(value),
  coerceInputLiteral: (node) => {
    const text = node.kind === Kind.FLOAT ? undefined : literalText(node);
    return text === undefined ? undefined : canonicalBigInt(text);
  },
});

export const BigDecimalScalar = new GraphQLScalarType<string, string>({
  name: "BigDecimal",
  coerceOutputValue: (value) => decimalText(value),
  coerceInputValue: (value) => canonicalBigDecimal(value),
  coerceInputLiteral: (node) => {
    const text = literalText(node);
    return text === undefined ? undefined : canonicalBigDecimal(text);
  },
});

export const BytesScalar = new GraphQLScalarType<string, string>({
  name: "Bytes",
  coerceOutputValue: (value) => canonicalBytes(value),
  coerceInputValue: (value) => canonicalBytes(value),
  coerceInputLiteral: (node) =>
    node.kind === Kind.STRING ? canonicalBytes(node.value) : undefined,
});

/** Int8 and Timestamp: 64-bit integers, sent as strings like graph-node does. */
function int64Scalar(name: string, description: string): GraphQLScalarType<bigint, string> {
  return new GraphQLScalarType<bigint, string>({
    name,
    description,
    coerceOutputValue: (value) => canonicalBigInt(value),
    coerceInputValue: (value) => BigInt(canonicalBigInt(value)),
    coerceInputLiteral: (node) => {
      const text = node.kind === Kind.FLOAT ? undefined : literalText(node);
      return text === undefined ? undefined : BigInt(canonicalBigInt(text));
    },
  });
}

export const Int8Scalar = int64Scalar("Int8", "8 bytes signed integer");
export const TimestampScalar = int64Scalar(
  "Timestamp",
  "A timestamp: microseconds since the Unix epoch",
);
