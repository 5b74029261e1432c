import { InvariantError } from "../errors/index.ts";
import type { Eip712Types } from "./assertTypedMessage.ts";

/**
 * The EIP-712 `encodeType` string of a struct: the primary type's signature,
 * then every struct it references (directly or through arrays), sorted by
 * name. Solidity contracts hash the same string into their TYPEHASH constants.
 *
 * @throws {InvariantError} when the primary type is not defined.
 * @example
 * ```ts
 * eip712TypeString(containerBatchTypes, "ContainerBatch");
 * // "ContainerBatch(ContainerHeader[] containers)ContainerHeader(bytes32 siteId,…,uint256 supersedes)"
 * ```
 */
export function eip712TypeString(types: Eip712Types, primaryType: string): string {
  const signature = (name: string): string => {
    const fields = types[name];
    if (fields === undefined) throw new InvariantError(`no EIP-712 struct named ${name}`);
    return `${name}(${fields.map((field) => `${field.type} ${field.name}`).join(",")})`;
  };
  const referenced = new Set<string>();
  const visit = (name: string): void => {
    for (const field of types[name] ?? []) {
      const base = field.type.replace(/(\[\d*\])+$/u, "");
      if (types[base] !== undefined && base !== primaryType && !referenced.has(base)) {
        referenced.add(base);
        visit(base);
      }
    }
  };
  visit(primaryType);
  return [primaryType, ...[...referenced].sort()].map(signature).join("");
}
