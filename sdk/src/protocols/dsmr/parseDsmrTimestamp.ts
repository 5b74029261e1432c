/**
 * Parses a DSMR timestamp `YYMMDDhhmmssX` to Unix milliseconds. DSMR clocks
 * run on Dutch/Belgian local time; `X` is `W` (winter, UTC+1) or `S` (summer,
 * UTC+2), which makes the conversion exact without a time-zone database, also
 * in the repeated hour when summer time ends. DSMR 2.2 gas timestamps have no
 * flag: they are read as winter time unless `assumeDst` says otherwise.
 *
 * @returns the instant and the flag, or undefined when the text is not a valid date.
 * @example
 * ```ts
 * parseDsmrTimestamp("101209113020W"); // { timestampMs: 1291890620000, dst: false }
 * ```
 */
export function parseDsmrTimestamp(
  text: string,
  assumeDst = false,
): { timestampMs: number; dst: boolean | undefined } | undefined {
  const match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([SW]?)$/.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const flagText = match[7];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const localMs = Date.UTC(2000 + year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February into March; refuse instead of guessing.
  if (new Date(localMs).getUTCDate() !== day) return undefined;
  const dst = flagText === "S" ? true : flagText === "W" ? false : undefined;
  const offsetHours = (dst ?? assumeDst) ? 2 : 1;
  return { timestampMs: localMs - offsetHours * 3_600_000, dst };
}
