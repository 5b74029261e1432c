import { readFile } from "node:fs/promises";
import type { OnChainIntensitySource } from "@energy-intelligence/sdk/factors/index";
import {
  ELECTRICITY_MAPS_CITATION,
  ELECTRICITY_MAPS_LICENCE,
  createElectricityMapsSource,
} from "./electricityMapsSource.ts";
import type { GridIntensitySourceConfig } from "./factorSourcesConfigSchema.ts";
import type { LiveGridSource } from "./resolveLiveHourlyFactors.ts";
import {
  UK_CARBON_INTENSITY_CITATION,
  UK_CARBON_INTENSITY_LICENCE,
  createUkCarbonIntensitySource,
} from "./ukCarbonIntensitySource.ts";

export interface CreateGridIntensitySourceDependencies {
  /**
   * Builds the on-chain intensity record reader (Chainlink Functions consumer);
   * supplied by the chain module so this folder needs no chain client.
   */
  onChain?:
    | ((config: Extract<GridIntensitySourceConfig, { type: "on-chain" }>) => OnChainIntensitySource)
    | undefined;
  fetch?: typeof fetch | undefined;
}

/**
 * The configured live grid source with its citation and licence, or undefined
 * for `shipped` (the shipped datasets alone, no fallback to record). Secrets
 * are read from their files here, once, and never logged.
 *
 * @throws {Error} when the Electricity Maps token file is missing or empty, or
 *   `on-chain` is configured without a reader: a configuration error at boot.
 */
export async function createGridIntensitySource(
  config: GridIntensitySourceConfig,
  dependencies: CreateGridIntensitySourceDependencies = {},
): Promise<LiveGridSource | undefined> {
  switch (config.type) {
    case "shipped":
      return undefined;
    case "uk-carbon-intensity":
      return {
        source: createUkCarbonIntensitySource({ ...config, fetch: dependencies.fetch }),
        citation: UK_CARBON_INTENSITY_CITATION,
        licence: UK_CARBON_INTENSITY_LICENCE,
      };
    case "electricity-maps": {
      const authToken = (await readFile(config.authTokenFile, "utf8")).trim();
      if (authToken === "")
        throw new Error(`factors.grid.authTokenFile ${config.authTokenFile} is empty`);
      return {
        source: createElectricityMapsSource({ ...config, authToken, fetch: dependencies.fetch }),
        citation: ELECTRICITY_MAPS_CITATION,
        licence: ELECTRICITY_MAPS_LICENCE,
      };
    }
    case "on-chain": {
      if (dependencies.onChain === undefined)
        throw new Error(
          "factors.grid type on-chain needs the chain section and an intensity record reader",
        );
      const source = dependencies.onChain(config);
      return {
        source,
        citation: {
          title: `On-chain grid intensity record ${config.recordAddress} (chain ${source.record.chainId}), fulfilled by Chainlink Functions`,
          url: `https://chainid.network/chains/${source.record.chainId}`,
          publisher: "the record's fulfilling source, as stated per figure",
        },
        licence: { name: "as the fulfilling source's licence", url: "https://chainid.network/" },
      };
    }
  }
}
