import type { InvalidInputError } from "../errors/index.ts";
import { assertEnergyTypedData } from "./assertEnergyTypedData.ts";
import type { Eip712Domain, Footprint, FootprintTypedData } from "./messageTypes.ts";
import { footprintTypes } from "./types.ts";

export type BuildFootprintTypedDataErrorType = InvalidInputError;

export interface BuildFootprintTypedDataParameters {
  domain: Eip712Domain;
  footprint: Footprint;
}

/**
 * The typed data of a product lot's footprint, signed by the site oracle and
 * verified by ProductLots.
 *
 * @throws {InvalidInputError} naming the bad field, e.g. `message.cid`.
 * @example
 * ```ts
 * const typedData = buildFootprintTypedData({ domain, footprint: { siteId, productId, jobIds, … } });
 * ```
 */
export function buildFootprintTypedData(
  parameters: BuildFootprintTypedDataParameters,
): FootprintTypedData {
  const typedData: FootprintTypedData = {
    domain: parameters.domain,
    types: footprintTypes,
    primaryType: "Footprint",
    message: parameters.footprint,
  };
  assertEnergyTypedData(typedData);
  return typedData;
}
