import { BaseError } from "../errors/index.ts";
import type { BaseErrorParameters } from "../errors/index.ts";

/**
 * No factor applies to a region at a time. Emissions are never computed with
 * a silent zero: the caller must decide (wait for a dataset, choose a policy,
 * or record the figure as missing).
 */
export class NoEmissionFactorError extends BaseError {
  override name = "NoEmissionFactorError";
  readonly region: string;
  readonly timestampMs: number;
  /** Why: the region is unknown, listed as pending, or has no factor for that time. */
  readonly reason: "unknown-region" | "pending-region" | "no-period";

  constructor(
    region: string,
    timestampMs: number,
    reason: NoEmissionFactorError["reason"],
    parameters: BaseErrorParameters = {},
  ) {
    super(
      `No emission factor for region ${region} at ${new Date(timestampMs).toISOString()}`,
      parameters,
    );
    this.region = region;
    this.timestampMs = timestampMs;
    this.reason = reason;
  }
}
