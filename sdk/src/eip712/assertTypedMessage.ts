import { z } from "zod";
import { isAddress } from "viem";
import { InvalidInputError, InvariantError } from "../errors/index.ts";

/** EIP-712 struct definitions: struct name → ordered fields. */
export type Eip712Types = Readonly<
  Record<string, readonly { readonly name: string; readonly type: string }[]>
>;

export type AssertTypedMessageErrorType = InvalidInputError | InvariantError;

const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/u;

function fieldSchema(types: Eip712Types, type: string, seen: readonly string[]): z.ZodType {
  if (type.endsWith("[]")) return z.array(fieldSchema(types, type.slice(0, -2), seen));
  const struct = types[type];
  if (struct !== undefined) {
    if (seen.includes(type)) throw new InvariantError(`recursive EIP-712 struct ${type}`);
    return z.strictObject(
      Object.fromEntries(
        struct.map((field) => [field.name, fieldSchema(types, field.type, [...seen, type])]),
      ),
    );
  }
  const uint = /^uint(\d+)$/u.exec(type);
  if (uint !== null) {
    const bits = Number(uint[1]);
    const max = (1n << BigInt(bits)) - 1n;
    return z
      .union([z.bigint(), z.number().int()])
      .refine((value) => BigInt(value) >= 0n && BigInt(value) <= max, {
        error: `must be an integer in [0, 2^${bits} - 1]`,
      });
  }
  const fixed = /^bytes(\d+)$/u.exec(type);
  if (fixed !== null) {
    const length = Number(fixed[1]);
    return z
      .string()
      .regex(
        new RegExp(`^0x[0-9a-fA-F]{${length * 2}}$`, "u"),
        `must be 0x-hex of ${length} bytes`,
      );
  }
  switch (type) {
    case "bytes":
      return z.string().regex(HEX_BYTES, "must be 0x-hex of whole bytes");
    case "address":
      return z
        .string()
        .refine((value) => isAddress(value, { strict: false }), "must be an address");
    case "bool":
      return z.boolean();
    case "string":
      return z.string();
  }
  throw new InvariantError(`EIP-712 type ${type} has no validator`);
}

/** `containers[2].cid` from zod's path array. */
function formatPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${String(key)}`),
    root,
  );
}

/**
 * Checks a message against an EIP-712 struct definition before it is hashed or
 * signed: every field present, no unknown field (a typo would otherwise be
 * silently left out of the hash), integers in their range, fixed bytes of the
 * right length, nested structs and arrays recursively.
 *
 * @param root - how an error path starts (default `message`).
 * @throws {InvalidInputError} with the path of the first bad field, e.g. `message.containers[1].periodEnd`.
 * @example
 * ```ts
 * assertTypedMessage(jobStampTypes, "JobStamp", stamp); // throws if, say, stamp.units < 0
 * ```
 */
export function assertTypedMessage(
  types: Eip712Types,
  primaryType: string,
  message: unknown,
  root = "message",
): void {
  if (types[primaryType] === undefined)
    throw new InvariantError(`no EIP-712 struct named ${primaryType}`);
  const result = fieldSchema(types, primaryType, []).safeParse(message);
  if (result.success) return;
  const issue = result.error.issues[0];
  const path = formatPath(root, issue?.path ?? []);
  throw new InvalidInputError(path, issue?.message ?? "invalid", {
    details: `${primaryType} fields must match sdk/src/eip712/types.ts`,
    hints: ["Build the message with the matching build…TypedData function."],
  });
}
