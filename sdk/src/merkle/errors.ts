import { InvalidInputError, type BaseErrorParameters } from "../errors/index.ts";
import { describe } from "./internal/hex.ts";

/** A saved tree whose `format` tag is not one this sdk reads. */
export class UnsupportedMerkleFormatError extends InvalidInputError {
  override name = "UnsupportedMerkleFormatError";
  readonly format: unknown;

  constructor(format: unknown, parameters: BaseErrorParameters = {}) {
    super("format", `unsupported Merkle tree format ${describe(format)}`, {
      hints: ['Only OpenZeppelin merkle-tree dumps with format "standard-v1" are read.'],
      ...parameters,
    });
    this.format = format;
  }
}
