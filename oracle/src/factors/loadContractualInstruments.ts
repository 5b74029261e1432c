import { readFile } from "node:fs/promises";
import {
  parseContractualInstruments,
  type ContractualInstrument,
} from "@energy-intelligence/sdk/accounting/contractualInstruments";
import type { FactorSourcesConfig } from "./factorSourcesConfigSchema.ts";

/**
 * The market-based inputs of the gateway's `factors` section: the contractual instruments of
 * `instrumentsFile` (`ei-contractual-instruments-v1`, validated by the sdk) and the market
 * boundary, or undefined when no instruments file is configured.
 *
 * @throws {Error} naming the file, when it cannot be read or is not JSON.
 * @throws {InvalidInputError} naming the bad field, e.g. `instrumentsFile.instruments[2].volumeMilliWattHours`.
 * @example
 * ```ts
 * const market = await loadContractualInstruments(config.factors);
 * ```
 */
export async function loadContractualInstruments(
  factors: FactorSourcesConfig,
): Promise<{ instruments: ContractualInstrument[]; market: string | undefined } | undefined> {
  if (factors.instrumentsFile === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(factors.instrumentsFile, "utf8"));
  } catch (cause) {
    throw new Error(
      `factors.instrumentsFile ${factors.instrumentsFile}: cannot read it as JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      { cause },
    );
  }
  return { instruments: parseContractualInstruments(json), market: factors.market };
}
