export { BaseError, InvalidInputError, InvariantError } from "./BaseError.ts";
export type { BaseErrorParameters } from "./BaseError.ts";
