import { InvalidInputError } from "../errors/index.ts";

const MG_PER_KG = 1_000_000n;

/** A PACT Decimal string as an exact fraction `numerator / 10^scale`. */
function parseDecimal(path: string, value: string): { numerator: bigint; scale: bigint } {
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/u.exec(value);
  if (match === null) throw new InvalidInputError(path, `"${value}" is not a decimal number`);
  const fraction = match[3] ?? "";
  const digits = BigInt(`${match[2] ?? "0"}${fraction}`);
  return { numerator: match[1] === "-" ? -digits : digits, scale: BigInt(fraction.length) };
}

/** ceil(a / b) on integers, b > 0, for either sign of a. */
function divideCeil(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/**
 * `quantity × perDeclaredUnitKg / declaredUnitAmount` in whole milligrams,
 * rounded up (toward +∞): a component's share of a supplier's declared
 * footprint, never understated. Exact on the decimal strings, no floats.
 */
export function componentMilligrams(parameters: {
  path: string;
  quantity: string;
  footprintKg: string;
  declaredUnitAmount: string;
}): bigint {
  const q = parseDecimal(`${parameters.path}.quantity`, parameters.quantity);
  const f = parseDecimal(`${parameters.path}.footprint`, parameters.footprintKg);
  const a = parseDecimal(`${parameters.path}.declaredUnitAmount`, parameters.declaredUnitAmount);
  if (a.numerator <= 0n)
    throw new InvalidInputError(`${parameters.path}.declaredUnitAmount`, "must be positive");
  // (q/10^sq)(f/10^sf)(10^6) / (a/10^sa) = q·f·10^6·10^sa / (a·10^(sq+sf))
  return divideCeil(
    q.numerator * f.numerator * MG_PER_KG * 10n ** a.scale,
    a.numerator * 10n ** (q.scale + f.scale),
  );
}

/** Whole milligrams (any sign) as an exact kg decimal string, trailing zeros dropped. */
export function signedMilligramsToKg(milligrams: bigint): string {
  const sign = milligrams < 0n ? "-" : "";
  const abs = milligrams < 0n ? -milligrams : milligrams;
  const fraction = (abs % MG_PER_KG).toString().padStart(6, "0").replace(/0+$/u, "");
  return `${sign}${abs / MG_PER_KG}${fraction === "" ? "" : `.${fraction}`}`;
}

/** A kg decimal string in whole milligrams, rounded up. */
export function kgToMilligramsCeil(path: string, kg: string): bigint {
  return componentMilligrams({ path, quantity: "1", footprintKg: kg, declaredUnitAmount: "1" });
}
