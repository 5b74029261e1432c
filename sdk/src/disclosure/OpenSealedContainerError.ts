import { BaseError } from "../errors/index.ts";
import type { BaseErrorParameters } from "../errors/index.ts";

/**
 * A sealed container could not be opened with the key given:
 * `not-a-recipient` (the key is not among the recipients), or
 * `decryption-failed` (an authentication tag did not verify: altered data).
 */
export class OpenSealedContainerError extends BaseError {
  override name = "OpenSealedContainerError";
  readonly reason: "not-a-recipient" | "decryption-failed";

  constructor(
    reason: "not-a-recipient" | "decryption-failed",
    parameters: BaseErrorParameters = {},
  ) {
    super(
      reason === "not-a-recipient"
        ? "this key is not a recipient of the sealed container"
        : "the sealed container does not decrypt: it was altered or sealed for another key",
      parameters,
    );
    this.reason = reason;
  }
}
