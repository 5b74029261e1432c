import type { BenchMetric } from "./types.ts";

/** Renders metrics as an aligned plain-text table (one row per metric). */
export function formatTable(metrics: readonly BenchMetric[]): string {
  const rows = [
    ["metric", "value", "unit", "baseline", "baseline value", "ratio"],
    ...metrics.map((m) => [
      m.metric,
      formatNumber(m.value),
      m.unit,
      m.baseline ?? "-",
      m.baselineValue === null ? "-" : formatNumber(m.baselineValue),
      m.ratio === null ? "-" : `${m.ratio.toFixed(2)}x`,
    ]),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  const line = (r: string[]): string =>
    r
      .map((cell, c) =>
        c === 1 || c === 4 || c === 5 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0),
      )
      .join("  ");
  const [header, ...body] = rows;
  return [line(header ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join(
    "\n",
  );
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  return n.toLocaleString("en-US", { maximumSignificantDigits: 4 });
}
