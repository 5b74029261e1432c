import type { Hex } from "viem";
import type { InvalidInputError } from "../errors/index.ts";
import type { EmissionFactorRecord } from "../factors/types.ts";
import { locationBasedEmissions } from "./locationBasedEmissions.ts";
import type {
  EmissionFlag,
  LocationBasedEmissionsParameters,
  PieceEmissions,
} from "./locationBasedEmissions.ts";

export type MarketBasedEmissionsParameters = LocationBasedEmissionsParameters;
export interface MarketBasedEmissionsReturnType {
  method: "market-based";
  pieces: PieceEmissions[];
  emissionsMilligramsCo2e: bigint;
  energyMilliWattHours: bigint;
  factorRef: Hex;
  factors: EmissionFactorRecord[];
  flags: EmissionFlag[];
}
export type MarketBasedEmissionsErrorType = InvalidInputError;

/**
 * GHG Protocol Scope 2, market-based — NOT YET IMPLEMENTED beyond its
 * placeholder (issue 9). No contractual instruments (guarantees of origin,
 * RECs, PPAs), on-site generation netting or residual-mix factors exist in
 * the system yet, so this returns the location-based figure unchanged ("minus
 * nothing") and says so in its flags:
 * `no-contractual-instruments-or-on-site-generation-registered` and
 * `location-factors-used-no-residual-mix`. Under the Scope 2 Guidance the
 * market-based figure without instruments should use a residual mix, which is
 * usually higher than the grid average; until that lands, read this figure as
 * a placeholder, never as a market-based claim.
 *
 * @throws {NoEmissionFactorError} when no factor applies.
 * @throws {InvalidInputError} as locationBasedEmissions.
 * @example
 * ```ts
 * const market = marketBasedEmissions({ pieces, region: "GB", datasets });
 * market.flags; // ["no-contractual-instruments-or-on-site-generation-registered", "location-factors-used-no-residual-mix"]
 * ```
 */
export function marketBasedEmissions(
  parameters: MarketBasedEmissionsParameters,
): MarketBasedEmissionsReturnType {
  const location = locationBasedEmissions(parameters);
  const placeholder: EmissionFlag[] = [
    "no-contractual-instruments-or-on-site-generation-registered",
    "location-factors-used-no-residual-mix",
  ];
  return {
    ...location,
    method: "market-based",
    pieces: location.pieces.map((piece) => ({ ...piece, flags: [...piece.flags, ...placeholder] })),
    flags: [...location.flags, ...placeholder],
  };
}
