import { describe, expect, it } from "vitest";
import {
  type BusinessCalendar,
  businessDaysBetween,
  isBusinessDay,
  isValidLocalDate,
  localDate,
  validateTimeZone,
} from "../../../server/domain/business-days";

const UTC: BusinessCalendar = { timeZone: "UTC", holidays: [] };
const at = (iso: string) => new Date(iso);

// March 2026: Mon 2, Fri 6, Sat 7, Sun 8, Mon 9, Fri 13, Mon 16.
describe("businessDaysBetween (UTC, no holidays)", () => {
  it.each([
    ["Monday -> next Monday", "2026-03-02T09:00:00Z", "2026-03-09T09:00:00Z", 5],
    ["Friday -> Monday", "2026-03-06T17:00:00Z", "2026-03-09T08:00:00Z", 1],
    ["same day", "2026-03-02T08:00:00Z", "2026-03-02T18:00:00Z", 0],
    ["same instant", "2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z", 0],
    ["b before a", "2026-03-09T09:00:00Z", "2026-03-02T09:00:00Z", 0],
    ["Monday -> Friday", "2026-03-02T09:00:00Z", "2026-03-06T09:00:00Z", 4],
    ["Friday -> Saturday", "2026-03-06T09:00:00Z", "2026-03-07T09:00:00Z", 0],
    ["Saturday -> Sunday", "2026-03-07T09:00:00Z", "2026-03-08T09:00:00Z", 0],
    ["Saturday -> Monday", "2026-03-07T09:00:00Z", "2026-03-09T09:00:00Z", 1],
    ["Sunday -> next Sunday", "2026-03-08T09:00:00Z", "2026-03-15T09:00:00Z", 5],
    [
      "late Monday -> early next Monday (time of day ignored)",
      "2026-03-02T23:59:00Z",
      "2026-03-09T00:01:00Z",
      5,
    ],
    ["two weeks", "2026-03-02T09:00:00Z", "2026-03-16T09:00:00Z", 10],
    ["51 weeks", "2026-01-05T09:00:00Z", "2026-12-28T09:00:00Z", 255],
  ])("%s = %i", (_name, a, b, expected) => {
    expect(businessDaysBetween(at(a), at(b), UTC)).toBe(expected);
  });
});

describe("businessDaysBetween with holidays", () => {
  const week = (holidays: string[]) =>
    businessDaysBetween(at("2026-03-02T09:00:00Z"), at("2026-03-09T09:00:00Z"), {
      timeZone: "UTC",
      holidays,
    });

  it("a weekday holiday in range does not count", () => {
    expect(week(["2026-03-04"])).toBe(4);
  });
  it("a holiday on the end day does not count", () => {
    expect(week(["2026-03-09"])).toBe(4);
  });
  it("a holiday on the start day changes nothing (the start never counts)", () => {
    expect(week(["2026-03-02"])).toBe(5);
  });
  it("a holiday on a weekend changes nothing", () => {
    expect(week(["2026-03-07"])).toBe(5);
  });
  it("a holiday outside the range changes nothing", () => {
    expect(week(["2026-03-10", "2026-02-27"])).toBe(5);
  });
  it("a holiday listed twice is subtracted once", () => {
    expect(week(["2026-03-04", "2026-03-04"])).toBe(4);
  });
  it("a malformed holiday is a configuration error", () => {
    expect(() => week(["2026-3-4"])).toThrow(RangeError);
  });
});

describe("businessDaysBetween in local time", () => {
  const LA: BusinessCalendar = { timeZone: "America/Los_Angeles", holidays: [] };
  const AKL: BusinessCalendar = { timeZone: "Pacific/Auckland", holidays: [] };
  const NY: BusinessCalendar = { timeZone: "America/New_York", holidays: [] };

  it("Los Angeles late evening is still the previous day", () => {
    // Thu 2026-03-05 22:00 PST is already Friday in UTC.
    const a = at("2026-03-06T06:00:00Z");
    const b = at("2026-03-06T18:00:00Z"); // Fri 10:00 PST
    expect(businessDaysBetween(a, b, LA)).toBe(1);
    expect(businessDaysBetween(a, b, UTC)).toBe(0);
  });

  it("Auckland morning is still the previous day in UTC", () => {
    // Sat 2026-03-07 08:00 NZDT -> Mon 2026-03-09 08:00 NZDT; in UTC that is Fri 19:00 -> Sun 19:00.
    const a = at("2026-03-06T19:00:00Z");
    const b = at("2026-03-08T19:00:00Z");
    expect(businessDaysBetween(a, b, AKL)).toBe(1);
    expect(businessDaysBetween(a, b, UTC)).toBe(0);
  });

  it("holidays are local dates", () => {
    const a = at("2026-03-06T06:00:00Z"); // Thu 22:00 PST
    const b = at("2026-03-06T18:00:00Z"); // Fri 10:00 PST
    expect(businessDaysBetween(a, b, { ...LA, holidays: ["2026-03-06"] })).toBe(0);
  });

  it("spring-forward weeks count calendar days, not 24-hour blocks", () => {
    // Fri 2026-03-06 23:30 EST -> Fri 2026-03-13 00:30 EDT: under 7 x 24 h, still 5 business days.
    const a = at("2026-03-07T04:30:00Z");
    const b = at("2026-03-13T04:30:00Z");
    expect(b.getTime() - a.getTime()).toBeLessThan(7 * 86_400_000);
    expect(businessDaysBetween(a, b, NY)).toBe(5);
  });

  it("fall-back weeks (25-hour Sunday) count the same", () => {
    // Mon 2026-10-26 00:30 EDT -> Mon 2026-11-02 23:30 EST.
    expect(businessDaysBetween(at("2026-10-26T04:30:00Z"), at("2026-11-03T04:30:00Z"), NY)).toBe(5);
  });

  it("agrees with a naive day-by-day count on many ranges", () => {
    const cal: BusinessCalendar = {
      timeZone: "Europe/Berlin",
      holidays: ["2026-04-03", "2026-04-06", "2026-05-01"],
    };
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 300; i++) {
      const a = new Date(start + Math.floor(random() * 200 * 86_400_000));
      const b = new Date(a.getTime() + Math.floor((random() - 0.1) * 60 * 86_400_000));
      expect(businessDaysBetween(a, b, cal)).toBe(naiveCount(a, b, cal));
    }
  });
});

// Independent reference: walk one calendar day at a time, using noon UTC to stay clear of DST.
function naiveCount(a: Date, b: Date, cal: BusinessCalendar): number {
  const from = localDate(a, cal.timeZone);
  const to = localDate(b, cal.timeZone);
  let count = 0;
  const day = new Date(`${from}T12:00:00Z`);
  for (;;) {
    day.setUTCDate(day.getUTCDate() + 1);
    const iso = day.toISOString().slice(0, 10);
    if (iso > to) return count;
    const dow = day.getUTCDay();
    if (dow !== 0 && dow !== 6 && !cal.holidays.includes(iso)) count++;
  }
}

describe("localDate", () => {
  it.each([
    ["2026-03-06T06:00:00Z", "UTC", "2026-03-06"],
    ["2026-03-06T06:00:00Z", "America/Los_Angeles", "2026-03-05"],
    ["2026-03-08T19:00:00Z", "Pacific/Auckland", "2026-03-09"],
    ["2026-03-08T10:59:00Z", "Pacific/Auckland", "2026-03-08"],
    ["2026-03-08T11:00:00Z", "Pacific/Auckland", "2026-03-09"],
    // New York switches to EDT at 2026-03-08 07:00Z: 23:59 local on the 8th is 03:59Z on the 9th.
    ["2026-03-09T03:59:00Z", "America/New_York", "2026-03-08"],
    ["2026-03-09T04:00:00Z", "America/New_York", "2026-03-09"],
    // Berlin switches to CEST on 2026-03-29: 22:30Z that evening is 00:30 on the 30th.
    ["2026-03-29T22:30:00Z", "Europe/Berlin", "2026-03-30"],
    ["2026-03-28T22:30:00Z", "Europe/Berlin", "2026-03-28"],
    ["2026-12-31T23:30:00Z", "Europe/Berlin", "2027-01-01"],
  ])("%s in %s is %s", (iso, zone, expected) => {
    expect(localDate(at(iso), zone)).toBe(expected);
  });

  it("throws on an invalid date or zone", () => {
    expect(() => localDate(new Date(Number.NaN), "UTC")).toThrow(RangeError);
    expect(() => localDate(at("2026-03-06T06:00:00Z"), "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("isBusinessDay", () => {
  const cal: BusinessCalendar = { timeZone: "UTC", holidays: ["2026-12-25"] };
  it.each([
    ["2026-03-06", true], // Friday
    ["2026-03-07", false], // Saturday
    ["2026-03-08", false], // Sunday
    ["2026-03-09", true], // Monday
    ["2026-12-25", false], // Friday, holiday
    ["2026-12-24", true],
  ])("%s -> %s", (date, expected) => {
    expect(isBusinessDay(date, cal)).toBe(expected);
  });

  it("rejects malformed dates", () => {
    expect(() => isBusinessDay("2026-3-9", cal)).toThrow(RangeError);
    expect(() => isBusinessDay("2026-02-30", cal)).toThrow(RangeError);
  });
});

describe("isValidLocalDate", () => {
  it.each([
    ["2026-02-28", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["2026-1-01", false],
    ["20260101", false],
    ["", false],
  ])("%s -> %s", (value, expected) => {
    expect(isValidLocalDate(value)).toBe(expected);
  });
});

describe("validateTimeZone", () => {
  it.each([
    ["UTC", true],
    ["Europe/Berlin", true],
    ["America/Los_Angeles", true],
    ["Pacific/Auckland", true],
    ["Mars/Olympus_Mons", false],
    ["", false],
    ["   ", false],
    ["not a zone", false],
  ])("%j -> %s", (tz, expected) => {
    expect(validateTimeZone(tz)).toBe(expected);
  });
});
