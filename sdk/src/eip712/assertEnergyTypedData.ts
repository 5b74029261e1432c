import { InvalidInputError } from "../errors/index.ts";
import { assertTypedMessage } from "./assertTypedMessage.ts";
import { eip712Domain } from "./eip712Domain.ts";
import type { Eip712DomainParameters } from "./eip712Domain.ts";
import type { EnergyTypedData } from "./messageTypes.ts";
import {
  EIP712_DOMAIN_NAME,
  EIP712_DOMAIN_VERSION,
  containerBatchTypes,
  footprintTypes,
  jobStampTypes,
} from "./types.ts";

export type AssertEnergyTypedDataErrorType = InvalidInputError;

const TYPES_BY_PRIMARY = {
  ContainerBatch: containerBatchTypes,
  JobStamp: jobStampTypes,
  Footprint: footprintTypes,
} as const;

/**
 * Checks a whole typed-data definition before hashing, signing or verifying:
 * our domain name and version, a valid chain id and contract, the struct
 * types exactly as in types.ts (not a look-alike with a field dropped), and
 * the message against them.
 *
 * @throws {InvalidInputError} naming the bad part: `domain.name`, `types`, `message.units`, …
 * @example
 * ```ts
 * assertEnergyTypedData(buildJobStampTypedData({ domain, stamp })); // passes
 * ```
 */
export function assertEnergyTypedData(typedData: EnergyTypedData): void {
  // Widened on purpose: typed data often comes from JSON or another library,
  // where the literal types promised by EnergyTypedData do not hold.
  const domain: Eip712DomainParameters & { name: string; version: string } = typedData.domain;
  const primaryType: string = typedData.primaryType;
  if (domain.name !== EIP712_DOMAIN_NAME)
    throw new InvalidInputError("domain.name", `must be "${EIP712_DOMAIN_NAME}"`);
  if (domain.version !== EIP712_DOMAIN_VERSION)
    throw new InvalidInputError("domain.version", `must be "${EIP712_DOMAIN_VERSION}"`);
  // Re-validates chain id and address with the same rules as the constructor.
  eip712Domain(domain);
  const expectedTypes: unknown = Object.hasOwn(TYPES_BY_PRIMARY, primaryType)
    ? TYPES_BY_PRIMARY[primaryType as keyof typeof TYPES_BY_PRIMARY]
    : undefined;
  if (expectedTypes === undefined)
    throw new InvalidInputError("primaryType", `unknown primary type ${primaryType}`);
  if (JSON.stringify(typedData.types) !== JSON.stringify(expectedTypes))
    throw new InvalidInputError("types", `do not match the ${primaryType} types in types.ts`);
  assertTypedMessage(typedData.types, primaryType, typedData.message);
}
