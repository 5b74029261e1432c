/**
 * The readings of one channel a container keeps, from a series sorted by
 * time: from the reading the start boundary is anchored at (the last one at or
 * before the start, or the chained boundary's anchor) through the first one at
 * or after the end. Those are exactly the readings the period's energy depends
 * on: the boundary interpolation needs the pair around each boundary, and
 * nothing outside them changes a figure. The verifier applies the same rule to
 * check that a document holds no more and no fewer.
 */
export function selectChannelReadings<T extends { timestampMs: number }>(
  sorted: readonly T[],
  periodStartMs: number,
  periodEndMs: number,
  anchorTimestampMs: number | undefined,
): T[] {
  let first = 0;
  if (anchorTimestampMs !== undefined) {
    while (first < sorted.length && (sorted[first]?.timestampMs ?? 0) < anchorTimestampMs) first++;
  } else {
    for (let index = 0; index < sorted.length; index++) {
      if ((sorted[index]?.timestampMs ?? Infinity) <= periodStartMs) first = index;
      else break;
    }
  }
  let last = first;
  while (last < sorted.length && (sorted[last]?.timestampMs ?? Infinity) < periodEndMs) last++;
  // `last` is the first reading at or after the end (kept), or past the series.
  return sorted.slice(first, Math.min(last + 1, sorted.length));
}
