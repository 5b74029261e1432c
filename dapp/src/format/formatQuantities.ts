/**
 * Display of the integer quantities the chain and documents carry (mWh, mg CO2e). Exact bigint
 * arithmetic down to the digits shown, so a footprint is never rounded twice.
 */
function scaled(value: bigint, divisor: bigint, decimals: number): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const factor = 10n ** BigInt(decimals);
  // Round half up at the last shown digit.
  const rounded = (magnitude * factor * 2n + divisor) / (divisor * 2n);
  const whole = rounded / factor;
  const fraction = (rounded % factor).toString().padStart(decimals, "0");
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/gu, ",");
  return `${negative ? "-" : ""}${wholeText}${decimals > 0 ? `.${fraction}` : ""}`;
}

/** Energy in mWh as Wh, kWh or MWh, whichever reads best. */
export function formatEnergy(milliWattHours: bigint | string): string {
  const value = BigInt(milliWattHours);
  const magnitude = value < 0n ? -value : value;
  if (magnitude >= 1_000_000_000n) return `${scaled(value, 1_000_000_000n, 3)} MWh`;
  if (magnitude >= 1_000_000n) return `${scaled(value, 1_000_000n, 3)} kWh`;
  return `${scaled(value, 1_000n, 3)} Wh`;
}

/** Emissions in mg CO2e as g, kg or t CO2e. */
export function formatEmissions(milligrams: bigint | string): string {
  const value = BigInt(milligrams);
  const magnitude = value < 0n ? -value : value;
  if (magnitude >= 1_000_000_000n) return `${scaled(value, 1_000_000_000n, 3)} t CO2e`;
  if (magnitude >= 1_000_000n) return `${scaled(value, 1_000_000n, 3)} kg CO2e`;
  return `${scaled(value, 1_000n, 3)} g CO2e`;
}

/** A Unix time (seconds, as the chain and the subgraph give it) in UTC. */
export function formatChainTime(seconds: bigint | string | number): string {
  return formatTimeMs(Number(seconds) * 1000);
}

export function formatTimeMs(ms: number): string {
  return `${new Date(ms).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** 0x1234…abcd: enough to tell ids apart, with the full value in a title. */
export function shortHex(hex: string, keep = 6): string {
  return hex.length <= 2 + keep * 2 ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}
