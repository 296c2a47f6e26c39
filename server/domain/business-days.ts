/**
 * Business days are counted on the calendar of the service desk, not in UTC: an attempt made at
 * 22:00 on a Friday in Los Angeles is a Friday attempt even though it is already Saturday in UTC.
 */
export interface BusinessCalendar {
  /** IANA zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Local dates ("YYYY-MM-DD") on which the desk does not count days. */
  holidays: readonly string[];
}

const MS_PER_DAY = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Building a DateTimeFormat is far more expensive than using one, and zones are few.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function validateTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.trim() === "") return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date ("YYYY-MM-DD") in `timeZone` at instant `at`. Throws RangeError on a bad zone. */
export function localDate(at: Date, timeZone: string): string {
  if (Number.isNaN(at.getTime())) throw new RangeError("localDate needs a valid Date");
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year").padStart(4, "0")}-${get("month")}-${get("day")}`;
}

/** True for "YYYY-MM-DD" strings naming a real Gregorian date (so "2026-02-30" is false). */
export function isValidLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

// Days since 1970-01-01 for a local date; arithmetic on these ignores DST entirely, which is the
// point: a calendar day is a day whether it has 23, 24 or 25 hours.
function dayNumber(value: string): number {
  if (!isValidLocalDate(value)) throw new RangeError(`Not a local date (YYYY-MM-DD): "${value}"`);
  const [y = 0, m = 1, d = 1] = value.split("-").map(Number); // validated above: three numbers
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

// 1970-01-01 was a Thursday; 0 = Sunday ... 6 = Saturday.
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekday(day: number): boolean {
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

/** Monday to Friday and not one of the calendar's holidays. */
export function isBusinessDay(localDateValue: string, cal: BusinessCalendar): boolean {
  const day = dayNumber(localDateValue);
  return isWeekday(day) && !cal.holidays.includes(localDateValue);
}

// Weekdays in the half-open day range (start, end].
function weekdaysAfterUpTo(start: number, end: number): number {
  const span = end - start;
  let count = Math.floor(span / 7) * 5;
  for (let day = start + Math.floor(span / 7) * 7 + 1; day <= end; day++) {
    if (isWeekday(day)) count++;
  }
  return count;
}

/**
 * The number of business days d with localDate(a) < d <= localDate(b), both dates taken in the
 * calendar's zone. The start day itself never counts and the end day always does (if it is a
 * business day), so: Monday -> next Monday = 5, Friday -> Monday = 1, the same day = 0, and a `b`
 * before `a` gives 0. Times of day do not matter: "5 business days apart" means five business days
 * have begun since the first attempt, not 5 x 24 working hours.
 */
export function businessDaysBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  const start = dayNumber(localDate(a, cal.timeZone));
  const end = dayNumber(localDate(b, cal.timeZone));
  if (end <= start) return 0;
  let count = weekdaysAfterUpTo(start, end);
  for (const holiday of new Set(cal.holidays)) {
    const day = dayNumber(holiday);
    if (day > start && day <= end && isWeekday(day)) count--;
  }
  return count;
}
