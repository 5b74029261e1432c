import { encodeAbiParameters, hexToBigInt, keccak256 } from "viem";
import type { Hex } from "viem";

export interface ComputeContainerIdParameters {
  siteId: Hex;
  streamId: Hex;
  /** Unix seconds. */
  periodStart: bigint;
  /** Unix seconds. */
  periodEnd: bigint;
  revision: number;
}

/**
 * A container's ERC-1155 token id, as DataContainers.containerId computes it:
 * `uint256(keccak256(abi.encode(siteId, streamId, periodStart, periodEnd, revision)))`.
 * One id per site, stream, period and revision, so a period can never be
 * anchored twice under the same revision.
 *
 * @example
 * ```ts
 * computeContainerId(header); // 4817…n (a uint256)
 * ```
 */
export function computeContainerId(parameters: ComputeContainerIdParameters): bigint {
  return hexToBigInt(
    keccak256(
      encodeAbiParameters(
        [
          { type: "bytes32" },
          { type: "bytes32" },
          { type: "uint64" },
          { type: "uint64" },
          { type: "uint32" },
        ],
        [
          parameters.siteId,
          parameters.streamId,
          parameters.periodStart,
          parameters.periodEnd,
          parameters.revision,
        ],
      ),
    ),
  );
}
