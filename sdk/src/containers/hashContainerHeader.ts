import { hashStruct } from "viem";
import type { Hex } from "viem";
import type { ContainerHeader } from "../eip712/messageTypes.ts";
import { containerBatchTypes } from "../eip712/types.ts";

/**
 * The EIP-712 struct hash of a container header: the one 32-byte commitment
 * DataContainers stores per container (`commitmentOf(id)`, `hashHeader`). A
 * verifier re-hashes the header taken from the ContainersAnchored event and
 * compares, so a header that differs in any field is caught.
 *
 * @example
 * ```ts
 * hashContainerHeader(header) === (await containers.read.commitmentOf([id]));
 * ```
 */
export function hashContainerHeader(header: ContainerHeader): Hex {
  return hashStruct({
    types: containerBatchTypes,
    primaryType: "ContainerHeader",
    data: { ...header },
  });
}
