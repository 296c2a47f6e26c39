import type { EntityManager } from "typeorm";
import {
  compareRows,
  detectTrends,
  localDays,
  type MetricsFigures,
  NONE_KEY,
  NONE_LABEL,
  type TrendCount,
  trendWindows,
  validateRange,
} from "../domain/metrics";
import { MetricsGroup } from "../domain/vocabulary";
import type { Beacon } from "../kernel/context";
import { orThrow } from "../kernel/errors";
import type { IncidentMetrics, MetricsRow } from "./metrics.types";
import { inOneSnapshot, type SnapshotPart } from "./shared-snapshot";

// The figures of domain/metrics.ts `summarize`, aggregated in PostgreSQL (docs/reports.md,
// "How it is computed"): the rows (with the totals when they come from the same scan), the totals
// by service, and the trends, in one snapshot on up to two connections at once (shared-snapshot.ts).
// Each incident of the range is one `sample` row (the CTE below, from incident_metrics_sample); the
// aggregates mirror `summarize` column for column, and test/integration/metrics.test.ts checks that
// they agree.

/**
 * Per incident opened in [$1, $2), canceled ones left out: the figures `summarize` reads, as the
 * triggers keep them in incident_metrics_sample (incident-metrics-sample.entity.ts: from the incident
 * and its SLA clocks; a clock's elapsed time in its own measure; breached when recorded or met after
 * its target). Reading them from one narrow table, with nothing to compute per row, is what keeps a
 * report over a year of incidents well under half a second (docs/reports.md, "How it is computed").
 */
const SAMPLES = `
  SELECT m.incident_id AS id, m.priority, m.category_id, m.queue_id, m.created_at,
         m.ack_seconds AS ack_s, m.ack_business_seconds AS ack_b,
         m.resolve_seconds AS res_s, m.resolve_business_seconds AS res_b,
         m.ack_met, m.ack_breached, m.resolve_met AS res_met, m.resolve_breached AS res_breached
    FROM incident_metrics_sample m
   WHERE m.created_at >= $1 AND m.created_at < $2 AND NOT m.canceled`;

/** A figure of a report (MetricsFigures' names). */
export type Figure = keyof MetricsFigures;

/**
 * The aggregates of `summarize` over the samples `s`, per figure (column names match FigureRow).
 * A report computes only the figures its operation selects: the Reports page's incidents-per-day
 * chart asks for count and breaches only, and then pays for no median.
 */
const FIGURE_SQL: Readonly<Record<Figure, string>> = {
  count: "count(*)::int AS count",
  mttaSeconds: 'avg(s.ack_s) AS "mttaSeconds"',
  mttaMedianSeconds: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ack_s) AS "mttaMedianSeconds"',
  mttaBusinessSeconds: 'avg(s.ack_b) AS "mttaBusinessSeconds"',
  mttaBusinessMedianSeconds:
    'percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ack_b) AS "mttaBusinessMedianSeconds"',
  mttrSeconds: 'avg(s.res_s) AS "mttrSeconds"',
  mttrMedianSeconds: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY s.res_s) AS "mttrMedianSeconds"',
  mttrBusinessSeconds: 'avg(s.res_b) AS "mttrBusinessSeconds"',
  mttrBusinessMedianSeconds:
    'percentile_cont(0.5) WITHIN GROUP (ORDER BY s.res_b) AS "mttrBusinessMedianSeconds"',
  slaAttainment: `count(*) FILTER (WHERE s.res_met AND NOT s.res_breached)::int AS res_in_time,
    count(*) FILTER (WHERE s.res_met OR s.res_breached)::int AS res_settled`,
  ackAttainment: `count(*) FILTER (WHERE s.ack_met AND NOT s.ack_breached)::int AS ack_in_time,
    count(*) FILTER (WHERE s.ack_met OR s.ack_breached)::int AS ack_settled`,
  breaches: "count(*) FILTER (WHERE s.ack_breached OR s.res_breached)::int AS breaches",
  ackBreaches: 'count(*) FILTER (WHERE s.ack_breached)::int AS "ackBreaches"',
  resolveBreaches: 'count(*) FILTER (WHERE s.res_breached)::int AS "resolveBreaches"',
};

export const ALL_FIGURES: ReadonlySet<Figure> = new Set(Object.keys(FIGURE_SQL) as Figure[]);

/** The select list of the wanted figures (count always: it is cheap and says whether there are rows). */
const figuresSql = (figures: ReadonlySet<Figure>) =>
  (Object.keys(FIGURE_SQL) as Figure[])
    .filter((f) => f === "count" || figures.has(f))
    .map((f) => FIGURE_SQL[f])
    .join(",\n  ");

/**
 * The group key of a keyed sample `s` in its own type (uuid, date: cheaper to sort and group than
 * their text; the priority compared bytewise), its text, and the label of a group row `g`.
 */
const GROUPS: Record<MetricsGroup, { from: string; key: string; text: string; label: string }> = {
  [MetricsGroup.PRIORITY]: {
    from: "samples s",
    key: 's.priority COLLATE "C"',
    text: "g.gkey",
    label: "g.gkey",
  },
  [MetricsGroup.SERVICE]: {
    from: "samples s LEFT JOIN incident_service isv ON isv.incident_id = s.id",
    key: "isv.service_id",
    text: "g.gkey::text",
    label: "(SELECT name FROM service WHERE id = g.gkey)",
  },
  [MetricsGroup.CATEGORY]: {
    from: "samples s",
    key: "s.category_id",
    text: "g.gkey::text",
    label: `(SELECT COALESCE(p.name || ' › ', '') || c.name FROM category c LEFT JOIN category p ON p.id = c.parent_id
              WHERE c.id = g.gkey)`,
  },
  [MetricsGroup.QUEUE]: {
    from: "samples s",
    key: "s.queue_id",
    text: "g.gkey::text",
    label: "(SELECT name FROM queue WHERE id = g.gkey)",
  },
  // $3: the business time zone. The local date, formatted once per day rather than once per incident.
  [MetricsGroup.DAY]: {
    from: "samples s",
    key: "(s.created_at AT TIME ZONE $3)::date",
    text: "to_char(g.gkey, 'YYYY-MM-DD')",
    label: "to_char(g.gkey, 'YYYY-MM-DD')",
  },
};

/** An aggregate row: the figures not computed (not selected) are absent. */
type FigureRow = { count: number } & Partial<
  Omit<MetricsFigures, "count" | "slaAttainment" | "ackAttainment"> & {
    res_in_time: number;
    res_settled: number;
    ack_in_time: number;
    ack_settled: number;
  }
>;

const share = (met = 0, settled = 0) => (settled === 0 ? null : met / settled);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function figuresOf(r: FigureRow): MetricsFigures {
  return {
    count: r.count,
    mttaSeconds: num(r.mttaSeconds),
    mttaMedianSeconds: num(r.mttaMedianSeconds),
    mttaBusinessSeconds: num(r.mttaBusinessSeconds),
    mttaBusinessMedianSeconds: num(r.mttaBusinessMedianSeconds),
    mttrSeconds: num(r.mttrSeconds),
    mttrMedianSeconds: num(r.mttrMedianSeconds),
    mttrBusinessSeconds: num(r.mttrBusinessSeconds),
    mttrBusinessMedianSeconds: num(r.mttrBusinessMedianSeconds),
    slaAttainment: share(r.res_in_time, r.res_settled),
    ackAttainment: share(r.ack_in_time, r.ack_settled),
    breaches: r.breaches ?? 0,
    ackBreaches: r.ackBreaches ?? 0,
    resolveBreaches: r.resolveBreaches ?? 0,
  };
}

const EMPTY: FigureRow = { count: 0 };

const row = (key: string, label: string, f: MetricsFigures): MetricsRow => ({
  key,
  label,
  ...f,
  group: null,
  baselineWeekly: null,
});

async function totals(
  m: EntityManager,
  from: Date,
  to: Date,
  figures: ReadonlySet<Figure>,
): Promise<MetricsFigures> {
  const [r] = (await m.query(`WITH samples AS (${SAMPLES}) SELECT ${figuresSql(figures)} FROM samples s`, [
    from,
    to,
  ])) as FigureRow[];
  return figuresOf(r ?? EMPTY);
}

/**
 * The rows of a grouping, and with them the totals when they come from the same pass: one scan with
 * GROUPING SETS ((key), ()). Not for SERVICE, whose join counts an incident once per service.
 */
async function groupRows(
  m: EntityManager,
  from: Date,
  to: Date,
  groupBy: MetricsGroup,
  timeZone: string,
  withTotals: boolean,
  figures: ReadonlySet<Figure>,
): Promise<{ rows: MetricsRow[]; totals: MetricsFigures | null }> {
  const g = GROUPS[groupBy];
  const params: unknown[] = groupBy === MetricsGroup.DAY ? [from, to, timeZone] : [from, to];
  const sets = withTotals ? "GROUPING SETS ((s.gkey), ())" : "s.gkey";
  const result = (await m.query(
    `WITH samples AS (${SAMPLES}),
          keyed AS (SELECT ${g.key} AS gkey, s.* FROM ${g.from}),
          grouped AS (SELECT ${withTotals ? "GROUPING(s.gkey) = 1" : "false"} AS is_total, s.gkey, ${figuresSql(figures)}
                        FROM keyed s GROUP BY ${sets})
     SELECT g.*, ${g.text} AS key, CASE WHEN g.is_total THEN NULL ELSE ${g.label} END AS label FROM grouped g`,
    params,
  )) as (FigureRow & { is_total: boolean; key: string | null; label: string | null })[];
  const total = result.find((r) => r.is_total);
  const found = result
    .filter((r) => !r.is_total)
    .map((r) =>
      r.key === null
        ? row(NONE_KEY, NONE_LABEL[groupBy], figuresOf(r))
        : row(r.key, r.label ?? r.key, figuresOf(r)),
    );
  const totals = withTotals ? figuresOf(total ?? EMPTY) : null;
  if (groupBy === MetricsGroup.DAY) {
    // Every day of the range, the quiet ones too (a chart's x axis has no holes).
    const byDay = new Map(found.map((r) => [r.key, r]));
    const rows = localDays(from, to, timeZone).map(
      (day) => byDay.get(day) ?? row(day, day, figuresOf(EMPTY)),
    );
    return { rows, totals };
  }
  return { rows: found.sort((a, b) => compareRows(groupBy, a, b)), totals };
}
async function trends(m: EntityManager, anchor: Date): Promise<MetricsRow[]> {
  const w = trendWindows(anchor);
  const rows = (await m.query(
    `WITH recent AS (
       SELECT m.incident_id AS id, m.category_id, m.created_at >= $2 AS is_recent FROM incident_metrics_sample m
        WHERE m.created_at >= $1 AND m.created_at < $3 AND NOT m.canceled)
     SELECT '${MetricsGroup.SERVICE}' AS "group", isv.service_id::text AS key, sv.name AS label,
            count(*) FILTER (WHERE r.is_recent)::int AS recent, count(*) FILTER (WHERE NOT r.is_recent)::int AS "baselineTotal"
       FROM recent r JOIN incident_service isv ON isv.incident_id = r.id JOIN service sv ON sv.id = isv.service_id
      GROUP BY isv.service_id, sv.name
     UNION ALL
     SELECT '${MetricsGroup.CATEGORY}', c.id::text, COALESCE(p.name || ' › ', '') || c.name,
            count(*) FILTER (WHERE r.is_recent)::int, count(*) FILTER (WHERE NOT r.is_recent)::int
       FROM recent r JOIN category c ON c.id = r.category_id LEFT JOIN category p ON p.id = c.parent_id
      GROUP BY c.id, c.name, p.name`,
    [w.baselineFrom, w.recentFrom, w.to],
  )) as TrendCount[];
  return detectTrends(rows).map((t) => ({
    ...row(t.key, t.label, { ...figuresOf(EMPTY), count: t.recent }),
    group: t.group,
    baselineWeekly: t.baselineWeekly,
  }));
}

/** Which parts of the answer the caller selected: the rest is not computed. */
export interface MetricsWanted {
  totals: boolean;
  rows: boolean;
  trends: boolean;
  /** The figures selected, in the totals or the rows (both get the same ones). */
  figures: ReadonlySet<Figure>;
}

const ALL_PARTS: MetricsWanted = { totals: true, rows: true, trends: true, figures: ALL_FIGURES };

/**
 * incidentMetrics: the range checked (BAD_USER_INPUT naming the field), then totals, rows and
 * trends, as far as they are wanted, in one snapshot: the biggest part on one connection, the others
 * at the same time on a second one when the pool has one to spare (shared-snapshot.ts). Trends end
 * at `to`, or now when `to` is in the future.
 */
export async function incidentMetrics(
  beacon: Beacon,
  from: Date,
  to: Date,
  groupBy: MetricsGroup,
  wanted: MetricsWanted = ALL_PARTS,
): Promise<IncidentMetrics> {
  orThrow(validateRange(from, to));
  const timeZone = beacon.config.timeZone;
  const now = beacon.clock.now();
  const anchor = to.getTime() > now.getTime() ? now : to;
  // Totals ride along with the rows (one scan), except by SERVICE or when no rows are wanted.
  const together = wanted.rows && wanted.totals && groupBy !== MetricsGroup.SERVICE;
  const out: {
    grouped?: { rows: MetricsRow[]; totals: MetricsFigures | null };
    separate?: MetricsFigures;
    rising?: MetricsRow[];
  } = {};
  const parts: SnapshotPart[] = [];
  if (wanted.rows)
    parts.push(async (m) => {
      out.grouped = await groupRows(m, from, to, groupBy, timeZone, together, wanted.figures);
    });
  if (wanted.totals && !together)
    parts.push(async (m) => {
      out.separate = await totals(m, from, to, wanted.figures);
    });
  if (wanted.trends)
    parts.push(async (m) => {
      out.rising = await trends(m, anchor);
    });
  // One snapshot, so the totals, the rows and the trends agree with each other.
  await inOneSnapshot(beacon.db, parts);
  const all = out.grouped?.totals ?? out.separate ?? figuresOf(EMPTY);
  return { from, to, groupBy, timeZone, ...all, rows: out.grouped?.rows ?? [], trends: out.rising ?? [] };
}
