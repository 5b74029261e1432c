/**
 * Names of the root query fields of an entity type, as graph-node derives them
 * (the Rust `Inflector` crate): `SiteDailyEnergy` → `siteDailyEnergy` and
 * `siteDailyEnergies`. Clients hard-code these names, so they must match.
 */

const WORDS = /[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+/g;

/** `ProductLot` → `productLot`, `NFTItem` → `nftItem`. */
export function toCamelCase(name: string): string {
  const words = name.match(WORDS) ?? [];
  return words
    .map((word, i) => {
      const lower = word.toLowerCase();
      return i === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join("");
}

// Words whose plural is the word itself (the part of Inflector's list a type name may end in).
const UNCOUNTABLE = new Set([
  "equipment",
  "information",
  "rice",
  "money",
  "species",
  "series",
  "fish",
  "sheep",
  "deer",
  "news",
  "data",
  "metadata",
]);

// Rails / Inflector plural rules; the first that matches applies.
const PLURAL_RULES: readonly [RegExp, string][] = [
  [/(quiz)$/i, "$1zes"],
  [/^(oxen)$/i, "$1"],
  [/^(ox)$/i, "$1en"],
  [/(m|l)ice$/i, "$1ice"],
  [/(m|l)ouse$/i, "$1ice"],
  [/(matr|vert|ind)(?:ix|ex)$/i, "$1ices"],
  [/(x|ch|ss|sh)$/i, "$1es"],
  [/([^aeiouy]|qu)y$/i, "$1ies"],
  [/(hive)$/i, "$1s"],
  [/(?:([^f])fe|([lr])f)$/i, "$1$2ves"],
  [/sis$/i, "ses"],
  [/([ti])a$/i, "$1a"],
  [/([ti])um$/i, "$1a"],
  [/(buffal|tomat)o$/i, "$1oes"],
  [/(bu)s$/i, "$1ses"],
  [/(alias|status)$/i, "$1es"],
  [/(octop|vir)i$/i, "$1i"],
  [/(octop|vir)us$/i, "$1i"],
  [/^(ax|test)is$/i, "$1es"],
  [/s$/i, "s"],
  [/$/, "s"],
];

const IRREGULAR: readonly [RegExp, string][] = [
  [/(p)erson$/i, "$1eople"],
  [/(m)an$/i, "$1en"],
  [/(c)hild$/i, "$1hildren"],
];

/** `Attestation` → `Attestations`, `SiteDailyEnergy` → `SiteDailyEnergies`. */
export function toPlural(name: string): string {
  const lastWord = (name.match(WORDS) ?? [name]).at(-1)?.toLowerCase() ?? "";
  if (UNCOUNTABLE.has(name.toLowerCase()) || UNCOUNTABLE.has(lastWord)) return name;
  for (const [pattern, replacement] of IRREGULAR) {
    if (pattern.test(name)) return name.replace(pattern, replacement);
  }
  for (const [pattern, replacement] of PLURAL_RULES) {
    if (pattern.test(name)) return name.replace(pattern, replacement);
  }
  return name;
}

/** The by-id and collection root fields of an entity type. */
export function rootFieldNames(typeName: string): { single: string; collection: string } {
  return { single: toCamelCase(typeName), collection: toCamelCase(toPlural(typeName)) };
}
