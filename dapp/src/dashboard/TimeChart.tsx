"use client";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

/** Points are plain numbers (server components convert bigints to the unit shown). */
export type ChartPoint = Record<string, number | string>;

/**
 * A time chart (line or bar) from recharts, labelled for screen readers by `title`; the same data
 * is in a table beside it on every dashboard.
 */
export function TimeChart({
  title,
  kind,
  data,
  xKey,
  series,
  unit,
}: {
  title: string;
  kind: "line" | "bar";
  data: ChartPoint[];
  xKey: string;
  series: readonly ChartSeries[];
  unit: string;
}) {
  if (data.length === 0) {
    return (
      <p className="muted" data-chart={title}>
        {title}: no data yet.
      </p>
    );
  }
  const axis = (
    <>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey={xKey} minTickGap={24} tick={{ fontSize: 12 }} />
      <YAxis width={72} tick={{ fontSize: 12 }} unit={` ${unit}`} />
      <Tooltip formatter={(value) => `${String(value)} ${unit}`} />
      <Legend />
    </>
  );
  return (
    <figure
      className="chart"
      role="img"
      aria-label={title}
      data-chart={title}
      data-points={data.length}
    >
      <ResponsiveContainer width="100%" height="100%">
        {kind === "line" ? (
          <LineChart data={data}>
            {axis}
            {series.map((entry) => (
              <Line
                key={entry.key}
                type="stepAfter"
                dataKey={entry.key}
                name={entry.label}
                stroke={entry.color}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        ) : (
          <BarChart data={data}>
            {axis}
            {series.map((entry) => (
              <Bar
                key={entry.key}
                dataKey={entry.key}
                name={entry.label}
                fill={entry.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}
