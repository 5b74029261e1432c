import type { ShareRule } from "../types.ts";

/** What each recipient job brings to a share rule. */
export interface ShareBasis {
  energyMilliWattHours: bigint;
  machineMs: bigint;
  units: bigint;
}

/** The weights a share rule gives recipients, or undefined for `none`. */
export function shareWeights(
  rule: ShareRule,
  recipients: readonly ShareBasis[],
): bigint[] | undefined {
  switch (rule) {
    case "energy":
      return recipients.map((recipient) => recipient.energyMilliWattHours);
    case "machine-hours":
      return recipients.map((recipient) => recipient.machineMs);
    case "units":
      return recipients.map((recipient) => recipient.units);
    case "none":
      return undefined;
  }
}
