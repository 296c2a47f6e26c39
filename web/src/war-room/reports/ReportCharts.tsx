import type { ReactElement } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MetricsGroup } from "../../../../server/domain/vocabulary";
import type { Metrics } from "./report-queries";
import { GROUP_LABELS, inHours, inMinutes, rowLabel } from "./report-state";

// The Reports page's charts (recharts): the card each sits in, and the per-group bar charts.

// Colours from styles.css's palette (charts cannot read CSS variables through SVG attributes in
// every browser, so the values are repeated here).
export const MEAN = "#1f5cc4";
export const MEDIAN = "#8fb3ee";
export const LINE = "#1a7f4b";
export const BREACH = "#c4262e";

function chartRows(metrics: Metrics) {
  return metrics.rows.map((r) => ({
    name: rowLabel(metrics.groupBy, r),
    mtta: inMinutes(r.mttaSeconds),
    mttaMedian: inMinutes(r.mttaMedianSeconds),
    mttr: inHours(r.mttrSeconds),
    mttrMedian: inHours(r.mttrMedianSeconds),
    attainment: r.slaAttainment === null ? null : r.slaAttainment * 100,
  }));
}

type ChartRow = ReturnType<typeof chartRows>[number];

/** One bar chart of a per-group measure (the rows of the table below), in a ChartCard. */
export function GroupBarChart({
  metrics,
  measure,
  unit,
  caption,
  format,
  bars,
  legend = false,
  domain,
}: {
  metrics: Metrics;
  measure: string;
  unit: string;
  caption: string;
  format: (value: number) => string;
  bars: { dataKey: Exclude<keyof ChartRow, "name">; name: string; fill: string }[];
  legend?: boolean;
  domain?: [number, number];
}) {
  return (
    <ChartCard
      title={`${measure} by ${GROUP_LABELS[metrics.groupBy as MetricsGroup].toLowerCase()} (${unit})`}
      caption={caption}
    >
      <BarChart
        accessibilityLayer={false}
        data={chartRows(metrics)}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="name" />
        <YAxis {...(domain ? { domain } : {})} />
        <Tooltip formatter={(v) => format(Number(v))} />
        {legend && <Legend />}
        {bars.map((b) => (
          <Bar key={b.dataKey} dataKey={b.dataKey} name={b.name} fill={b.fill} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartCard>
  );
}

export function ChartCard({
  title,
  caption,
  children,
}: {
  title: string;
  caption: string;
  children: ReactElement;
}) {
  return (
    <figure className="card report-chart" data-testid="report-chart">
      <figcaption>
        <strong>{title}</strong>
        <span className="muted small"> {caption} The table below has the same figures.</span>
      </figcaption>
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={240}>
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
