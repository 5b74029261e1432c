import type { InvalidInputError } from "../errors/index.ts";
import { assertEnergyTypedData } from "./assertEnergyTypedData.ts";
import type { Eip712Domain, JobStamp, JobStampTypedData } from "./messageTypes.ts";
import { jobStampTypes } from "./types.ts";

export type BuildJobStampTypedDataErrorType = InvalidInputError;

export interface BuildJobStampTypedDataParameters {
  domain: Eip712Domain;
  stamp: JobStamp;
}

/**
 * The typed data of a job start/stop stamp, signed by an operator's wallet or
 * by the gateway for a web2 user, and verified by JobStamps.
 *
 * @throws {InvalidInputError} naming the bad field, e.g. `message.machineIds[0]`.
 * @example
 * ```ts
 * const typedData = buildJobStampTypedData({ domain, stamp: { jobId, siteId, action: StampAction.start, … } });
 * ```
 */
export function buildJobStampTypedData(
  parameters: BuildJobStampTypedDataParameters,
): JobStampTypedData {
  const typedData: JobStampTypedData = {
    domain: parameters.domain,
    types: jobStampTypes,
    primaryType: "JobStamp",
    message: parameters.stamp,
  };
  assertEnergyTypedData(typedData);
  return typedData;
}
