/**
 * Incident metrics (docs/reports.md): what MTTA, MTTR, attainment, breaches and trends mean, as pure
 * functions. The server computes the same figures in SQL (server/metrics/metrics.service.ts) because it
 * has to over 100,000 incidents in well under a second; `summarize` here is the specification the
 * SQL is tested against (test/integration/metrics.test.ts compares both on a fixture).
 */
import { isValidLocalDate, localDate } from "./business-days";
import { allow, type Decision, ErrorCode, MetricsGroup, refuse } from "./vocabulary";

/** The longest range a report may cover: two years, a leap day included. */
export const MAX_RANGE_DAYS = 731;
const MS_PER_DAY = 86_400_000;

/** The key of the row of incidents without a service / category / queue. */
export const NONE_KEY = "none";

/** The label of the "none" row per grouping (PRIORITY and DAY always have a value). */
export const NONE_LABEL: Readonly<Record<MetricsGroup, string>> = {
  [MetricsGroup.PRIORITY]: "No priority",
  [MetricsGroup.SERVICE]: "No service",
  [MetricsGroup.CATEGORY]: "No category",
  [MetricsGroup.QUEUE]: "No queue",
  [MetricsGroup.DAY]: "No day",
};

/** A report's range, checked: `from` inclusive, `to` exclusive, both instants (UTC). */
export function validateRange(from: Date, to: Date): Decision<{ from: Date; to: Date }> {
  if (!(from instanceof Date) || Number.isNaN(from.getTime()))
    return refuse(ErrorCode.BAD_USER_INPUT, '"from" is not a valid time; pass an ISO 8601 date-time.');
  if (!(to instanceof Date) || Number.isNaN(to.getTime()))
    return refuse(ErrorCode.BAD_USER_INPUT, '"to" is not a valid time; pass an ISO 8601 date-time.');
  if (to.getTime() <= from.getTime())
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `"to" (${to.toISOString()}) must be after "from" (${from.toISOString()}); swap them or pick a later "to".`,
    );
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * MS_PER_DAY)
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `"to" is more than two years (${MAX_RANGE_DAYS} days) after "from"; ask for a shorter range, or several.`,
    );
  return allow({ from, to });
}

/** The arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The median as PostgreSQL's `percentile_cont(0.5)` computes it: the middle value, or the mean of
 * the two middle values for an even count; null for no values.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Share of settled clocks that were met: null when none is settled yet (nothing to measure). */
export function attainment(met: number, settled: number): number | null {
  if (!Number.isInteger(met) || !Number.isInteger(settled) || met < 0 || met > settled)
    throw new RangeError(`attainment needs 0 <= met <= settled, got ${met} of ${settled}`);
  return settled === 0 ? null : met / settled;
}

/** One incident as the metrics see it (canceled incidents are never samples). */
export interface IncidentSample {
  /** Wall-clock seconds from opening to the first IN_PROGRESS; null if never acknowledged. */
  ackSeconds: number | null;
  /** The same counting business hours on business days only; null if unknown. */
  ackBusinessSeconds: number | null;
  /** Wall-clock seconds from opening to its (latest) resolution; null while not resolved. */
  resolveSeconds: number | null;
  /** The same in business hours, time on hold excluded; null if unknown. */
  resolveBusinessSeconds: number | null;
  /** Acknowledge clock: acknowledged (met); breached (recorded, or met after its target). */
  ackMet: boolean;
  ackBreached: boolean;
  /** Resolve clock: resolved (met); breached (recorded, or met after its target). */
  resolveMet: boolean;
  resolveBreached: boolean;
}

export interface MetricsFigures {
  count: number;
  mttaSeconds: number | null;
  mttaMedianSeconds: number | null;
  mttaBusinessSeconds: number | null;
  mttaBusinessMedianSeconds: number | null;
  mttrSeconds: number | null;
  mttrMedianSeconds: number | null;
  mttrBusinessSeconds: number | null;
  mttrBusinessMedianSeconds: number | null;
  /** Resolve clocks: of those settled (resolved, or breached while open), the share met in time. */
  slaAttainment: number | null;
  /** Acknowledge clocks, the same way. */
  ackAttainment: number | null;
  /** Incidents that breached at least one clock. */
  breaches: number;
  ackBreaches: number;
  resolveBreaches: number;
}

const defined = (values: readonly (number | null)[]) => values.filter((v): v is number => v !== null);

/** A clock is settled once met or breached; it attained its target when met and never breached. */
function clockAttainment(samples: readonly IncidentSample[], clock: "ack" | "resolve"): number | null {
  let settled = 0;
  let met = 0;
  for (const s of samples) {
    const isMet = clock === "ack" ? s.ackMet : s.resolveMet;
    const breached = clock === "ack" ? s.ackBreached : s.resolveBreached;
    if (isMet || breached) settled++;
    if (isMet && !breached) met++;
  }
  return attainment(met, settled);
}

/** Every figure of one row (or of the whole range) from its incidents: the definition the SQL follows. */
export function summarize(samples: readonly IncidentSample[]): MetricsFigures {
  const ack = defined(samples.map((s) => s.ackSeconds));
  const ackBusiness = defined(samples.map((s) => s.ackBusinessSeconds));
  const resolve = defined(samples.map((s) => s.resolveSeconds));
  const resolveBusiness = defined(samples.map((s) => s.resolveBusinessSeconds));
  return {
    count: samples.length,
    mttaSeconds: mean(ack),
    mttaMedianSeconds: median(ack),
    mttaBusinessSeconds: mean(ackBusiness),
    mttaBusinessMedianSeconds: median(ackBusiness),
    mttrSeconds: mean(resolve),
    mttrMedianSeconds: median(resolve),
    mttrBusinessSeconds: mean(resolveBusiness),
    mttrBusinessMedianSeconds: median(resolveBusiness),
    slaAttainment: clockAttainment(samples, "resolve"),
    ackAttainment: clockAttainment(samples, "ack"),
    breaches: samples.filter((s) => s.ackBreached || s.resolveBreached).length,
    ackBreaches: samples.filter((s) => s.ackBreached).length,
    resolveBreaches: samples.filter((s) => s.resolveBreached).length,
  };
}

// ── Trends ──────────────────────────────────────────────────────────────────────────────────────

/** Trend detection (docs/reports.md, "Trends"). */
export const TREND_RECENT_DAYS = 7;
export const TREND_BASELINE_WEEKS = 4;
/** Fewer incidents than this in the last 7 days is never a trend, whatever the baseline (noise). */
export const TREND_MIN_COUNT = 3;
/** The last 7 days must exceed the baseline's weekly mean by this factor. */
export const TREND_FACTOR = 1.5;

export interface TrendWindows {
  /** Start of the 4 baseline weeks (inclusive). */
  baselineFrom: Date;
  /** End of the baseline and start of the last 7 days. */
  recentFrom: Date;
  /** End of the last 7 days (exclusive). */
  to: Date;
}

/**
 * The windows trends compare, ending at `anchor`: the last 7 days [anchor - 7 d, anchor), and the
 * 4 weeks before them [anchor - 35 d, anchor - 7 d). The report anchors at its `to`, or now if
 * `to` is in the future.
 */
export function trendWindows(anchor: Date): TrendWindows {
  const to = anchor.getTime();
  const recentFrom = to - TREND_RECENT_DAYS * MS_PER_DAY;
  return {
    baselineFrom: new Date(recentFrom - TREND_BASELINE_WEEKS * 7 * MS_PER_DAY),
    recentFrom: new Date(recentFrom),
    to: new Date(to),
  };
}

export interface TrendCount {
  group: MetricsGroup.SERVICE | MetricsGroup.CATEGORY;
  key: string;
  label: string;
  /** Incidents in the last 7 days. */
  recent: number;
  /** Incidents in the 4 weeks before. */
  baselineTotal: number;
}

export interface Trend extends TrendCount {
  /** The baseline's weekly mean: baselineTotal / 4. */
  baselineWeekly: number;
}

/** Whether `recent` incidents in the last 7 days exceed a baseline of `baselineTotal` over 4 weeks. */
export function isTrend(recent: number, baselineTotal: number): boolean {
  return recent >= TREND_MIN_COUNT && recent > TREND_FACTOR * (baselineTotal / TREND_BASELINE_WEEKS);
}

/**
 * The services and categories above their baseline, the steepest rise first (recent over baseline,
 * a zero baseline counting as the steepest), then by count and label.
 */
export function detectTrends(counts: readonly TrendCount[]): Trend[] {
  const rise = (t: Trend) =>
    t.baselineWeekly === 0 ? Number.POSITIVE_INFINITY : t.recent / t.baselineWeekly;
  return counts
    .filter((c) => isTrend(c.recent, c.baselineTotal))
    .map((c) => ({ ...c, baselineWeekly: c.baselineTotal / TREND_BASELINE_WEEKS }))
    .sort((a, b) => rise(b) - rise(a) || b.recent - a.recent || a.label.localeCompare(b.label));
}

// ── Days ────────────────────────────────────────────────────────────────────────────────────────

function nextLocalDate(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Every calendar day ("YYYY-MM-DD" in `timeZone`) that part of [from, to) falls on, in order: the
 * rows of a report by DAY, including days without incidents.
 */
export function localDays(from: Date, to: Date, timeZone: string): string[] {
  if (to.getTime() <= from.getTime()) return [];
  const first = localDate(from, timeZone);
  const last = localDate(new Date(to.getTime() - 1), timeZone);
  const days: string[] = [];
  for (let day = first; day <= last; day = nextLocalDate(day)) {
    if (!isValidLocalDate(day)) break;
    days.push(day);
  }
  return days;
}

/** Priorities first to last, then everything else by label; the "none" row always last. */
export function compareRows(
  group: MetricsGroup,
  a: { key: string; label: string; count: number },
  b: { key: string; label: string; count: number },
): number {
  if (a.key === NONE_KEY || b.key === NONE_KEY) return a.key === b.key ? 0 : a.key === NONE_KEY ? 1 : -1;
  if (group === MetricsGroup.PRIORITY || group === MetricsGroup.DAY)
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  return a.label.localeCompare(b.label) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
