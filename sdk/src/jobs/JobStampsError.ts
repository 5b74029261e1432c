import { BaseError, type BaseErrorParameters } from "../errors/index.ts";

/**
 * A JobStamps (or nonce) custom error the contract reverted with, decoded:
 * `errorName` is the Solidity name (`Jobs_AlreadyStarted`, `Nonces_AlreadyUsed`,
 * …), `args` its named arguments, and the message says in plain words what
 * went wrong and what to do.
 */
export class JobStampsError extends BaseError {
  override name = "JobStampsError";
  readonly errorName: string;
  readonly args: Readonly<Record<string, unknown>>;

  constructor(
    errorName: string,
    args: Readonly<Record<string, unknown>>,
    shortMessage: string,
    parameters: BaseErrorParameters = {},
  ) {
    super(shortMessage, { details: errorName, ...parameters });
    this.errorName = errorName;
    this.args = args;
  }
}
