import { type Hex, decodeErrorResult, isHex } from "viem";
import { jobStampsAbi } from "../contracts/generated/abis.ts";
import { JobStampsError } from "./JobStampsError.ts";

type Args = Readonly<Record<string, unknown>>;
type Describe = (args: Args) => { message: string; hint?: string };

const text = (value: unknown): string => String(value);

/** Plain words for every error JobStamps can revert with (docs/contracts.md lists them). */
const DESCRIPTIONS: Readonly<Record<string, Describe>> = {
  Jobs_NotAdmin: (a) => ({ message: `${text(a.account)} is not a registry admin` }),
  Jobs_NotOperator: (a) => ({
    message: `${text(a.account)} is not an operator of site ${text(a.siteId)}`,
    hint: "Ask the site manager to grant this wallet the site's operator role.",
  }),
  Jobs_SignerNotAuthorized: (a) => ({
    message: `the stamp's signer ${text(a.signer)} is neither an operator nor an oracle of site ${text(a.siteId)}`,
    hint: "Sign with an operator key of the site, or send the stamp through the site's gateway.",
  }),
  Jobs_BadSignature: (a) => ({
    message: `the stamp's signature does not verify for ${text(a.signer)}`,
    hint: "Sign the JobStamp typed data with the JobStamps contract as verifying contract.",
  }),
  Jobs_EmptyBatch: () => ({ message: "the batch holds no stamps" }),
  Jobs_UnknownAction: (a) => ({
    message: `action ${text(a.action)} is neither 1 (start) nor 2 (stop)`,
  }),
  Jobs_ChannelNotRelayable: (a) => ({
    message: `channel ${text(a.channel)} cannot be relayed (1 portal, 2 api, 3 sms, 4 relay)`,
    hint: "Wallet stamps (channel 0) are sent with startJob/stopJob from the operator's wallet.",
  }),
  Jobs_StampTooOld: (a) => ({
    message: `the stamp's time ${text(a.time)} is older than the allowed ${text(a.maxStampAgeSeconds)} s (block time ${text(a.blockTime)})`,
    hint: "Stamp again now; a late correction must fall within the clock rules.",
  }),
  Jobs_StampInFuture: (a) => ({
    message: `the stamp's time ${text(a.time)} is more than ${text(a.maxClockSkewSeconds)} s after block time ${text(a.blockTime)}`,
    hint: "Check the signer's clock.",
  }),
  Jobs_NoMachines: () => ({ message: "a start must name at least one machine" }),
  Jobs_UnitsOnStart: (a) => ({
    message: `a start carried ${text(a.units)} units; units are counted at stop`,
  }),
  Jobs_AlreadyStarted: (a) => ({
    message: `job ${text(a.jobId)} was already started at site ${text(a.siteId)}`,
    hint: "Use a new job reference, or stop the running job.",
  }),
  Jobs_NotStarted: (a) => ({
    message: `job ${text(a.jobId)} was never started at site ${text(a.siteId)}`,
    hint: "Start the job before stopping it.",
  }),
  Jobs_AlreadyStopped: (a) => ({
    message: `job ${text(a.jobId)} was already stopped at site ${text(a.siteId)}`,
  }),
  Jobs_ZeroUnits: (a) => ({
    message: `job ${text(a.jobId)} cannot stop with zero units`,
    hint: "Give the number of units produced, at least 1.",
  }),
  Jobs_ProductMismatch: (a) => ({
    message: `job ${text(a.jobId)} did not start with product ${text(a.productId)}`,
    hint: "Stop with the product the job started with.",
  }),
  Jobs_StopNotAfterStart: (a) => ({
    message: `job ${text(a.jobId)} cannot stop at ${text(a.stopTime)}: it started at ${text(a.startedAt)}`,
    hint: "A stop must come after its start (jobs are [start, stop)).",
  }),
  Jobs_ClockRuleOutOfRange: (a) => ({
    message: `clock rules out of range (age ${text(a.maxStampAgeSeconds)} s, skew ${text(a.maxClockSkewSeconds)} s)`,
  }),
  Nonces_AlreadyUsed: (a) => ({
    message: `nonce ${text(a.nonce)} of ${text(a.signer)} was used before: this stamp is a replay`,
    hint: "A stamp lands once; sign a new stamp with an unused nonce.",
  }),
};

function revertData(error: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  for (let current: unknown = error; typeof current === "object" && current !== null;) {
    if (seen.has(current)) break;
    seen.add(current);
    const record = current as { raw?: unknown; data?: unknown; cause?: unknown };
    for (const candidate of [record.raw, record.data]) {
      if (typeof candidate === "string" && isHex(candidate) && candidate.length >= 10)
        return candidate;
      // Some nodes nest the revert bytes one level down: { data: { data: "0x…" } }.
      if (typeof candidate === "object" && candidate !== null) {
        const inner = (candidate as { data?: unknown }).data;
        if (typeof inner === "string" && isHex(inner) && inner.length >= 10) return inner;
      }
    }
    current = record.cause;
  }
  return undefined;
}

/**
 * Turns a failed JobStamps call (viem's error from simulate, estimate, write or
 * a raw `eth_call`) into a {@link JobStampsError} naming the custom error in
 * plain words. Returns undefined when the error is not a revert with one of the
 * contract's errors (a network failure, an out-of-gas, an unknown selector), so
 * the caller can rethrow it unchanged.
 *
 * @example
 * ```ts
 * try { await startJob({ … }); } catch (error) {
 *   const decoded = decodeJobStampsError(error);
 *   if (decoded?.errorName === "Jobs_AlreadyStarted") …
 * }
 * ```
 */
export function decodeJobStampsError(error: unknown): JobStampsError | undefined {
  if (error instanceof JobStampsError) return error;
  const data = revertData(error);
  if (data === undefined) return undefined;
  let decoded: ReturnType<typeof decodeErrorResult<typeof jobStampsAbi>>;
  try {
    decoded = decodeErrorResult({ abi: jobStampsAbi, data });
  } catch {
    return undefined;
  }
  const values: readonly unknown[] = decoded.args;
  const args: Record<string, unknown> = {};
  decoded.abiItem.inputs.forEach((input, index) => {
    args[input.name] = values[index];
  });
  const describe = DESCRIPTIONS[decoded.errorName];
  const described = describe?.(args) ?? { message: `the contract reverted: ${decoded.errorName}` };
  return new JobStampsError(decoded.errorName, args, described.message, {
    hints: described.hint === undefined ? [] : [described.hint],
    cause: error,
  });
}
