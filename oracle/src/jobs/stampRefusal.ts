import { BaseError } from "@energy-intelligence/sdk/errors/index";

/**
 * Why the gateway refused a stamp, with the HTTP status it maps to. Each code
 * is a stable `reason` in problem+json answers and the SMS reply's wording
 * comes from the same message, so every channel names a refusal the same way.
 */
export const REFUSALS = {
  unknown_machine: { status: 422, title: "Unknown machine" },
  unknown_product: { status: 422, title: "Unknown product or SKU" },
  machine_busy: { status: 409, title: "Machine busy" },
  job_exists: { status: 409, title: "Job already started" },
  job_not_started: { status: 409, title: "Job not started" },
  job_already_stopped: { status: 409, title: "Job already stopped" },
  job_not_found: { status: 404, title: "Job not found" },
  invalid_units: { status: 422, title: "Invalid units" },
  stop_before_start: { status: 422, title: "Stop before start" },
  invalid_time: { status: 422, title: "Invalid time" },
  product_mismatch: { status: 422, title: "Product mismatch" },
  invalid_stamp: { status: 422, title: "Invalid stamp" },
  bad_signature: { status: 422, title: "Bad signature" },
  signer_not_authorized: { status: 403, title: "Signer not authorized" },
  stamp_too_old: { status: 422, title: "Stamp too old" },
  stamp_in_future: { status: 422, title: "Stamp in the future" },
  nonce_used: { status: 409, title: "Nonce already used" },
  gateway_not_oracle: { status: 503, title: "Gateway not authorized for this site" },
  chain_unavailable: { status: 503, title: "Chain unavailable" },
} as const;
export type RefusalCode = keyof typeof REFUSALS;

export class StampRefusal extends BaseError {
  override name = "StampRefusal";
  readonly code: RefusalCode;
  readonly status: number;

  constructor(code: RefusalCode, message: string, hint?: string) {
    super(message, { hints: hint === undefined ? [] : [hint] });
    this.code = code;
    this.status = REFUSALS[code].status;
  }
}
