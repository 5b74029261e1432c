import { type ChartPoint, type ChartSeries, TimeChart } from "./TimeChart.tsx";

/** The two Scope 2 figures, in the same colours on every chart. */
export const EMISSIONS_SERIES: readonly ChartSeries[] = [
  { key: "location", label: "location-based", color: "#b3261e" },
  { key: "market", label: "market-based", color: "#7a6a12" },
];
export const ENERGY_SERIES: readonly ChartSeries[] = [
  { key: "kWh", label: "energy", color: "#0b57d0" },
];
export const POWER_SERIES: readonly ChartSeries[] = [
  { key: "watts", label: "power", color: "#1f6f4a" },
];

/**
 * A dashboard chart block: its heading, then the chart (named `title` for screen readers). The
 * dashboards and the product page all lay their charts out this way.
 */
export function ChartSection({
  heading,
  title,
  kind,
  data,
  xKey,
  unit,
  series,
}: {
  heading: string;
  title: string;
  kind: "line" | "bar";
  data: ChartPoint[];
  xKey: "time" | "day";
  unit: string;
  series: readonly ChartSeries[];
}) {
  return (
    <>
      <h2>{heading}</h2>
      <TimeChart title={title} kind={kind} data={data} xKey={xKey} unit={unit} series={series} />
    </>
  );
}
