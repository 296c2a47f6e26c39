import { type BusinessCalendar, isBusinessDay, localDate } from "./business-days";

// Business hours (docs/service-levels.md, "Business hours"): the hours of a business day on top of
// the business calendar (zone, weekends, holidays), and time measured in them. Pure: time comes in
// as an argument. The clocks of domain/sla.ts count in this measure for business-hours policies.

/** One span of a business day, in minutes after local midnight: [start, end). */
export interface HoursWindow {
  start: number;
  end: number;
}

/** The business calendar (zone, holidays; Monday to Friday) plus the hours of a business day. */
export interface SlaCalendar extends BusinessCalendar {
  hours: readonly HoursWindow[];
}

export const DEFAULT_BUSINESS_HOURS = "09:00-17:00";

const HHMM = /^(\d{2}):(\d{2})$/;

function minutesOf(value: string): number | null {
  const m = HHMM.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/**
 * Parses business hours such as "09:00-17:00" or "08:00-12:00,13:00-17:00" (local time, each
 * window start before its end, no window overlapping another). Returns the windows in order, or
 * the sentence saying what is wrong.
 */
export function parseBusinessHours(
  spec: string,
): { ok: true; hours: HoursWindow[] } | { ok: false; problem: string } {
  const parts = spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, problem: "no window given; use e.g. 09:00-17:00" };
  const hours: HoursWindow[] = [];
  for (const part of parts) {
    const [a, b, ...rest] = part.split("-");
    const start = a === undefined ? null : minutesOf(a);
    const end = b === undefined ? null : minutesOf(b);
    if (rest.length || start === null || end === null) {
      return { ok: false, problem: `"${part}" is not a window HH:MM-HH:MM such as 09:00-17:00` };
    }
    if (end <= start) return { ok: false, problem: `"${part}" ends before it starts` };
    hours.push({ start, end });
  }
  hours.sort((x, y) => x.start - y.start);
  for (let i = 1; i < hours.length; i++) {
    const prev = hours[i - 1]!;
    const cur = hours[i]!;
    if (cur.start < prev.end) {
      return { ok: false, problem: `windows ${fmt(prev)} and ${fmt(cur)} overlap; list each hour once` };
    }
  }
  return { ok: true, hours };
}

const pad = (n: number) => String(n).padStart(2, "0");
const fmt = (w: HoursWindow) =>
  `${pad(Math.floor(w.start / 60))}:${pad(w.start % 60)}-${pad(Math.floor(w.end / 60))}:${pad(w.end % 60)}`;

// ── Time zones without a library (domain/ imports nothing): the zone's offset at an instant ──

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    offsetFormatters.set(timeZone, f);
  }
  return f;
}

/** Milliseconds the zone's wall clock is ahead of UTC at `ms`. */
function zoneOffset(ms: number, timeZone: string): number {
  const parts = offsetFormatter(timeZone).formatToParts(new Date(ms));
  const n = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const wall = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour") % 24, n("minute"), n("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` reads `minutes` after midnight of local date
 * `day` (YYYY-MM-DD). A wall time skipped by a DST change (02:30 on a spring-forward night) maps to
 * the instant the same distance after midnight would have, i.e. the clock-change hour is shifted.
 */
export function zonedInstant(day: string, minutes: number, timeZone: string): number {
  const key = `${timeZone}|${day}|${minutes}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  if (instants.size > 100_000) instants.clear();
  const t = computeZonedInstant(day, minutes, timeZone);
  instants.set(key, t);
  return t;
}

// Window boundaries are asked for again and again (every list view computes every clock).
const instants = new Map<string, number>();

function computeZonedInstant(day: string, minutes: number, timeZone: string): number {
  const [y = 0, mo = 1, d = 1] = day.split("-").map(Number);
  const guess = Date.UTC(y, mo - 1, d, 0, minutes);
  let t = guess - zoneOffset(guess, timeZone);
  const again = guess - zoneOffset(t, timeZone);
  if (again !== t) t = again;
  return t;
}

const MS_PER_DAY = 86_400_000;

function nextLocalDate(day: string): string {
  const [y = 0, mo = 1, d = 1] = day.split("-").map(Number);
  const next = new Date(Date.UTC(y, mo - 1, d) + MS_PER_DAY);
  return `${next.getUTCFullYear().toString().padStart(4, "0")}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** The business intervals [start, end) (ms) of one local day; none on weekends and holidays. */
function dayIntervals(day: string, cal: SlaCalendar): [number, number][] {
  if (!isBusinessDay(day, cal)) return [];
  return cal.hours.map((w) => [
    zonedInstant(day, w.start, cal.timeZone),
    zonedInstant(day, w.end, cal.timeZone),
  ]);
}

/** Business days ahead to look for time before giving up (a calendar of only holidays). */
const MAX_DAYS_AHEAD = 3 * 366;

/** Seconds of business time in [from, to); 0 when to <= from. Whole seconds, rounded down. */
export function businessSecondsBetween(from: Date, to: Date, cal: SlaCalendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  let total = 0;
  let day = localDate(from, cal.timeZone);
  const last = localDate(to, cal.timeZone);
  for (let i = 0; ; i++) {
    for (const [s, e] of dayIntervals(day, cal)) {
      const lo = Math.max(s, a);
      const hi = Math.min(e, b);
      if (hi > lo) total += hi - lo;
    }
    if (day >= last || i > 20 * 366) break;
    day = nextLocalDate(day);
  }
  return Math.floor(total / 1000);
}

/**
 * The instant `seconds` of business time after `from` (from itself when seconds <= 0 and `from` is
 * inside business hours; otherwise the start of the next business window). null when the calendar
 * has no business time within about three years (every day a holiday).
 */
export function addBusinessSeconds(from: Date, seconds: number, cal: SlaCalendar): Date | null {
  let left = Math.max(0, seconds) * 1000;
  const a = from.getTime();
  let day = localDate(from, cal.timeZone);
  for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
    for (const [s, e] of dayIntervals(day, cal)) {
      const lo = Math.max(s, a);
      if (e <= lo) continue;
      if (lo + left <= e) return new Date(lo + left);
      left -= e - lo;
    }
    day = nextLocalDate(day);
  }
  return null;
}

/** Same as addBusinessSeconds, in minutes. */
export function addBusinessMinutes(from: Date, minutes: number, cal: SlaCalendar): Date | null {
  return addBusinessSeconds(from, minutes * 60, cal);
}

/** Seconds in [from, to) in the clock's measure: business time or wall-clock time. */
export function measureSeconds(from: Date, to: Date, business: boolean, cal: SlaCalendar): number {
  if (business) return businessSecondsBetween(from, to, cal);
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));
}

/** The instant `seconds` after `from` in the clock's measure. */
export function addMeasured(from: Date, seconds: number, business: boolean, cal: SlaCalendar): Date | null {
  if (business) return addBusinessSeconds(from, seconds, cal);
  return new Date(from.getTime() + Math.max(0, seconds) * 1000);
}
