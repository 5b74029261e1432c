"use client";
import { useId } from "react";
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
 * A time chart (line or bar) from recharts. Screen readers get its title and a summary as the
 * drawing's name, and everyone gets the figures it draws in a table under it (collapsed), the
 * chart's text alternative.
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
  const id = useId();
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
  const first = String(data[0]?.[xKey] ?? "");
  const last = String(data.at(-1)?.[xKey] ?? "");
  const summary = `${kind === "line" ? "Line" : "Bar"} chart of ${series.map((entry) => entry.label).join(" and ")} in ${unit}, ${data.length} point${data.length === 1 ? "" : "s"} from ${first} to ${last}; the figures are in the table below it.`;
  return (
    <figure
      className="chart-figure"
      aria-labelledby={`${id}-caption`}
      data-chart={title}
      data-points={data.length}
    >
      <figcaption id={`${id}-caption`} className="visually-hidden">
        {title}
      </figcaption>
      <div className="chart" role="img" aria-label={`${title}. ${summary}`}>
        <ResponsiveContainer width="100%" height="100%">
          {kind === "line" ? (
            <LineChart data={data} accessibilityLayer={false}>
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
            <BarChart data={data} accessibilityLayer={false}>
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
      </div>
      <details className="chart-figures">
        <summary>The figures of this chart</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{xKey === "day" ? "Day (UTC)" : "Time (UTC)"}</th>
                {series.map((entry) => (
                  <th key={entry.key} scope="col" className="num">
                    {entry.label} ({unit})
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.map((point, index) => (
                <tr key={`${String(point[xKey])}-${index}`}>
                  <th scope="row">{String(point[xKey])}</th>
                  {series.map((entry) => (
                    <td key={entry.key} className="num">
                      {String(point[entry.key] ?? "—")}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
