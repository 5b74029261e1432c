import { InvalidInputError } from "../../errors/index.ts";
import type { BaseErrorParameters } from "../../errors/index.ts";

/** The device protocols whose frames the sdk parses. */
export type DeviceProtocol =
  | "dsmr"
  | "lorawan"
  | "ttn"
  | "chirpstack"
  | "sunspec"
  | "modbus"
  | "pulse"
  | "snmp"
  | "redfish"
  | "emon";

/**
 * Why a frame was refused. Adapters count and log by reason, so the set is
 * closed: a new failure mode gets a new member here rather than a free-text
 * message somebody has to grep for.
 */
export type ProtocolFrameErrorReason =
  | "bad-crc"
  | "missing-crc"
  | "truncated"
  | "bad-header"
  | "bad-value"
  | "bad-timestamp"
  | "missing-field"
  | "wrong-length"
  | "wrong-fport"
  | "unsupported-version"
  | "modbus-exception"
  | "not-sunspec"
  | "bad-model"
  | "malformed-json"
  | "counter-went-backwards"
  | "wrong-type"
  | "auth-failed"
  | "timeout";

/**
 * A device frame that cannot be turned into readings. `reason` is the
 * machine-readable cause, `path` points at the row or field (inherited from
 * InvalidInputError), `protocol` says which parser refused it.
 */
export class ProtocolFrameError extends InvalidInputError {
  override name = "ProtocolFrameError";
  readonly protocol: DeviceProtocol;
  readonly reason: ProtocolFrameErrorReason;
  /** The message without the path and reason prefixes. */
  readonly summary: string;

  constructor(
    protocol: DeviceProtocol,
    reason: ProtocolFrameErrorReason,
    path: string,
    shortMessage: string,
    parameters: BaseErrorParameters = {},
  ) {
    super(path, `${protocol} ${reason}: ${shortMessage}`, parameters);
    this.protocol = protocol;
    this.reason = reason;
    this.summary = shortMessage;
  }
}
