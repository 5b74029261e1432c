import type { InvalidInputError } from "../errors/index.ts";
import { assertEnergyTypedData } from "./assertEnergyTypedData.ts";
import type { ContainerBatchTypedData, ContainerHeader, Eip712Domain } from "./messageTypes.ts";
import { containerBatchTypes } from "./types.ts";

export type BuildContainerBatchTypedDataErrorType = InvalidInputError;

export interface BuildContainerBatchTypedDataParameters {
  domain: Eip712Domain;
  containers: readonly ContainerHeader[];
}

/**
 * The typed data an oracle signs to anchor a batch of container headers in
 * one transaction (verified by DataContainers).
 *
 * @throws {InvalidInputError} naming the bad field, e.g. `message.containers[2].periodEnd`.
 * @example
 * ```ts
 * const typedData = buildContainerBatchTypedData({ domain, containers: [header] });
 * const signature = await signEip712TypedData({ signer: account, typedData });
 * ```
 */
export function buildContainerBatchTypedData(
  parameters: BuildContainerBatchTypedDataParameters,
): ContainerBatchTypedData {
  const typedData: ContainerBatchTypedData = {
    domain: parameters.domain,
    types: containerBatchTypes,
    primaryType: "ContainerBatch",
    message: { containers: parameters.containers },
  };
  assertEnergyTypedData(typedData);
  return typedData;
}
