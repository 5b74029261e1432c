/**
 * The Chainlink Functions consumer that brings grid intensity on chain (GridIntensityConsumer). Deployed
 * apart from EnergyIntelligence.ts because it needs a chain with a Functions router. Parameters:
 * - `registry` (required): the EnergyRegistry holding the admin and INTENSITY_REQUESTER_ROLE;
 * - `router` (required): the chain's Functions router (docs/chainlink-functions.md lists them);
 * - `subscriptionId`, `donId` (bytes32 hex of e.g. "fun-base-sepolia-1"): the subscription and DON;
 * - `callbackGasLimit` (default 100,000), `requestTimeoutSeconds` (default 600),
 *   `maxMilligramsPerKilowattHour` (default 2,000,000 = 2,000 g/kWh);
 * - `source` (required): the request source, functions/source/gridIntensity.js as text.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export const DEFAULT_CALLBACK_GAS_LIMIT = 100_000;
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 600;
/** 2,000 g/kWh: above the dirtiest grids (lignite plants emit ~1,100 g/kWh); beyond it is absurd. */
export const DEFAULT_MAX_MILLIGRAMS_PER_KILOWATT_HOUR = 2_000_000;

export default buildModule("GridIntensity", (m) => {
  const registry = m.getParameter<string>("registry");
  const router = m.getParameter<string>("router");
  const config = {
    subscriptionId: m.getParameter("subscriptionId", 0),
    callbackGasLimit: m.getParameter("callbackGasLimit", DEFAULT_CALLBACK_GAS_LIMIT),
    requestTimeoutSeconds: m.getParameter("requestTimeoutSeconds", DEFAULT_REQUEST_TIMEOUT_SECONDS),
    maxMilligramsPerKilowattHour: m.getParameter(
      "maxMilligramsPerKilowattHour",
      DEFAULT_MAX_MILLIGRAMS_PER_KILOWATT_HOUR,
    ),
    donId: m.getParameter<string>("donId"),
  };
  const source = m.getParameter<string>("source");
  const consumer = m.contract("GridIntensityConsumer", [router, registry, config, source]);
  return { consumer };
});
