import { useEffect, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { MetricsGroup } from "../../../../server/domain/vocabulary";
import { query, toRequestError } from "../../graphql-client";
import { useDocumentTitle } from "../../shared/hooks";
import { absoluteTime } from "../../shared/time";
import { NowPanel } from "./NowPanel";
import { BREACH, ChartCard, GroupBarChart, LINE, MEAN, MEDIAN } from "./ReportCharts";
import { type DailyRow, METRICS_QUERY, type Metrics } from "./report-queries";
import {
  csvFileName,
  customRange,
  dayInput,
  formatSeconds,
  formatShare,
  GROUP_LABELS,
  metricsCsv,
  PRESETS,
  presetRange,
  type Range,
  type RangePreset,
  rowLabel,
} from "./report-state";

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The Reports page (docs/reports.md): figures over a range, charts, the table (CSV), trends, and now. */
export function ReportsPage() {
  useDocumentTitle("Reports · Beacon war room");
  const [preset, setPreset] = useState<RangePreset>("30");
  const [groupBy, setGroupBy] = useState<MetricsGroup>(MetricsGroup.PRIORITY);
  const [customFrom, setCustomFrom] = useState(() => dayInput(new Date(Date.now() - 30 * 86_400_000)));
  const [customTo, setCustomTo] = useState(() => dayInput(new Date()));
  const [data, setData] = useState<{ metrics: Metrics; daily: DailyRow[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  // "Last n days" end at this instant; Refresh moves it to now.
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    const range: Range | { error: string } =
      preset === "custom" ? customRange(customFrom, customTo) : presetRange(Number(preset), now);
    if ("error" in range) {
      setError(range.error);
      setLoading(false);
      return;
    }
    let current = true;
    setLoading(true);
    query(METRICS_QUERY, { ...range, groupBy })
      .then((d) => {
        if (!current) return;
        setData({ metrics: d.incidentMetrics, daily: d.daily.rows });
        setError(null);
      })
      .catch((e) => current && setError(toRequestError(e).message))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [preset, groupBy, customFrom, customTo, now]);

  const metrics = data?.metrics;
  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Reports</h1>
        <button type="button" className="button" onClick={() => setNow(new Date())} disabled={loading}>
          Refresh
        </button>
      </div>
      <NowPanel />
      <form
        className="filters card"
        aria-label="Report range and grouping"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="field">
          <span className="field-label">Range</span>
          <select
            value={preset}
            onChange={(e) => setPreset(e.target.value as RangePreset)}
            data-testid="report-range"
          >
            {PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {preset === "custom" && (
          <>
            <label className="field">
              <span className="field-label">From (first day)</span>
              <input
                type="date"
                value={customFrom}
                onChange={(e) => setCustomFrom(e.target.value)}
                data-testid="report-from"
              />
            </label>
            <label className="field">
              <span className="field-label">To (last day)</span>
              <input
                type="date"
                value={customTo}
                onChange={(e) => setCustomTo(e.target.value)}
                data-testid="report-to"
              />
            </label>
          </>
        )}
        <label className="field">
          <span className="field-label">Group by</span>
          <select
            value={groupBy}
            onChange={(e) => setGroupBy(e.target.value as MetricsGroup)}
            data-testid="report-group"
          >
            {Object.values(MetricsGroup).map((g) => (
              <option key={g} value={g}>
                {GROUP_LABELS[g]}
              </option>
            ))}
          </select>
        </label>
      </form>

      {error && (
        <p className="form-error" role="alert" data-testid="report-error">
          {error}
        </p>
      )}
      {!metrics ? (
        !error && <div className="card skeleton" style={{ height: 240 }} aria-busy="true" />
      ) : (
        <div aria-busy={loading} data-testid="report">
          <p className="muted small">
            Incidents opened from {absoluteTime(metrics.from)} to {absoluteTime(metrics.to)} (times in your
            zone; days counted in {metrics.timeZone}). Canceled incidents are left out.
          </p>
          <Summary metrics={metrics} />
          <div className="report-charts">
            <ChartCard
              title="Incidents per day"
              caption="Incidents opened each day, and those that breached a target."
            >
              <LineChart
                accessibilityLayer={false}
                data={data?.daily ?? []}
                margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="key"
                  tickFormatter={(k: string) => rowLabel(MetricsGroup.DAY, { key: k, label: k })}
                />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Line
                  type="monotone"
                  dataKey="count"
                  name="Incidents"
                  stroke={LINE}
                  dot={false}
                  isAnimationActive={false}
                />
                <Line
                  type="monotone"
                  dataKey="breaches"
                  name="With breaches"
                  stroke={BREACH}
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ChartCard>
            <GroupBarChart
              metrics={metrics}
              measure="Time to acknowledge"
              unit="minutes"
              caption="Mean and median minutes from opening to the first acknowledgement."
              format={(v) => `${v.toFixed(1)} min`}
              bars={[
                { dataKey: "mtta", name: "Mean", fill: MEAN },
                { dataKey: "mttaMedian", name: "Median", fill: MEDIAN },
              ]}
              legend
            />
            <GroupBarChart
              metrics={metrics}
              measure="Time to resolve"
              unit="hours"
              caption="Mean and median hours from opening to resolved."
              format={(v) => `${v.toFixed(2)} h`}
              bars={[
                { dataKey: "mttr", name: "Mean", fill: MEAN },
                { dataKey: "mttrMedian", name: "Median", fill: MEDIAN },
              ]}
              legend
            />
            <GroupBarChart
              metrics={metrics}
              measure="SLA attainment"
              unit="%"
              caption="Share of settled resolve clocks met in time."
              format={(v) => `${v.toFixed(1)} %`}
              bars={[{ dataKey: "attainment", name: "Attainment", fill: LINE }]}
              domain={[0, 100]}
            />
          </div>
          <MetricsTable metrics={metrics} />
          <Trends metrics={metrics} />
        </div>
      )}
    </>
  );
}

function Tile({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: string;
  detail?: string;
  testId: string;
}) {
  return (
    <div className="report-tile card" data-testid={testId}>
      <div className="muted small">{label}</div>
      <div className="report-tile-value">{value}</div>
      {detail && <div className="muted small">{detail}</div>}
    </div>
  );
}

function Summary({ metrics }: { metrics: Metrics }) {
  return (
    <section aria-label="Totals" className="report-tiles">
      <Tile label="Incidents" value={String(metrics.count)} testId="tile-count" />
      <Tile
        label="MTTA (mean)"
        value={formatSeconds(metrics.mttaSeconds)}
        detail={`median ${formatSeconds(metrics.mttaMedianSeconds)} · business ${formatSeconds(metrics.mttaBusinessSeconds)}`}
        testId="tile-mtta"
      />
      <Tile
        label="MTTR (mean)"
        value={formatSeconds(metrics.mttrSeconds)}
        detail={`median ${formatSeconds(metrics.mttrMedianSeconds)} · business ${formatSeconds(metrics.mttrBusinessSeconds)}`}
        testId="tile-mttr"
      />
      <Tile
        label="SLA attainment"
        value={formatShare(metrics.slaAttainment)}
        detail={`acknowledge ${formatShare(metrics.ackAttainment)}`}
        testId="tile-attainment"
      />
      <Tile
        label="Breaches"
        value={String(metrics.breaches)}
        detail={`${metrics.ackBreaches} acknowledge · ${metrics.resolveBreaches} resolve`}
        testId="tile-breaches"
      />
    </section>
  );
}

function MetricsTable({ metrics }: { metrics: Metrics }) {
  const group = GROUP_LABELS[metrics.groupBy as MetricsGroup];
  return (
    <section className="card report-section" aria-labelledby="report-table-title">
      <div className="page-head">
        <h2 id="report-table-title" className="admin-section-title">
          By {group.toLowerCase()}
        </h2>
        <button
          type="button"
          className="button button-small"
          onClick={() => download(csvFileName(metrics), metricsCsv(metrics))}
          data-testid="report-csv"
        >
          Download CSV
        </button>
      </div>
      <div className="table-scroll">
        <table className="admin-table" data-testid="report-table">
          <thead>
            <tr>
              <th scope="col">{group}</th>
              <th scope="col">Incidents</th>
              <th scope="col">MTTA mean / median</th>
              <th scope="col">MTTA business</th>
              <th scope="col">MTTR mean / median</th>
              <th scope="col">MTTR business</th>
              <th scope="col">Attainment (resolve / ack)</th>
              <th scope="col">Breaches</th>
            </tr>
          </thead>
          <tbody>
            {metrics.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{rowLabel(metrics.groupBy, r)}</th>
                <td>{r.count}</td>
                <td>
                  {formatSeconds(r.mttaSeconds)} / {formatSeconds(r.mttaMedianSeconds)}
                </td>
                <td>{formatSeconds(r.mttaBusinessSeconds)}</td>
                <td>
                  {formatSeconds(r.mttrSeconds)} / {formatSeconds(r.mttrMedianSeconds)}
                </td>
                <td>{formatSeconds(r.mttrBusinessSeconds)}</td>
                <td>
                  {formatShare(r.slaAttainment)} / {formatShare(r.ackAttainment)}
                </td>
                <td>{r.breaches}</td>
              </tr>
            ))}
            {metrics.rows.length === 0 && (
              <tr>
                <td colSpan={8} className="muted">
                  No incidents were opened in this range.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Trends({ metrics }: { metrics: Metrics }) {
  return (
    <section
      className="card report-section"
      aria-labelledby="report-trends-title"
      data-testid="report-trends"
    >
      <h2 id="report-trends-title" className="admin-section-title">
        On the rise
      </h2>
      <p className="muted small">
        Services and categories with at least 3 incidents in the 7 days before the end of the range, more than
        1.5 times their weekly mean of the 4 weeks before.
      </p>
      {metrics.trends.length === 0 ? (
        <p>Nothing out of the ordinary.</p>
      ) : (
        <ul>
          {metrics.trends.map((t) => (
            <li key={`${t.group}:${t.key}`}>
              <strong>{t.label}</strong>{" "}
              <span className="muted small">({t.group === "SERVICE" ? "service" : "category"})</span>:{" "}
              {t.count} in the last 7 days, against {(t.baselineWeekly ?? 0).toFixed(1)} a week before
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ── Now ──────────────────────────────────────────────────────────────────────────────────────────
