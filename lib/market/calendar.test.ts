import { describe, expect, it } from "vitest";
import {
  barStarts,
  isMarketOpen,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  sessionAt,
  sessionOf,
  tradingDays,
} from "./calendar";
import { MarketDataError } from "./errors";
import { NYSE_CLOSED_DAYS, NYSE_EARLY_CLOSES } from "./nyse-holidays";
import { addDays, formatDay, nyDayOf, nyWallTimeToUtc, weekdayOf } from "./time";

const iso = (d: Date | undefined) => d?.toISOString();

describe("NYSE sessions across daylight saving changes", () => {
  it.each([
    ["2024-03-08", "2024-03-08T14:30:00.000Z", "2024-03-08T21:00:00.000Z"], // EST, Friday before the change
    ["2024-03-11", "2024-03-11T13:30:00.000Z", "2024-03-11T20:00:00.000Z"], // EDT, Monday after
    ["2024-11-01", "2024-11-01T13:30:00.000Z", "2024-11-01T20:00:00.000Z"], // EDT
    ["2024-11-04", "2024-11-04T14:30:00.000Z", "2024-11-04T21:00:00.000Z"], // EST
    ["2025-03-07", "2025-03-07T14:30:00.000Z", "2025-03-07T21:00:00.000Z"],
    ["2025-03-10", "2025-03-10T13:30:00.000Z", "2025-03-10T20:00:00.000Z"],
    ["2025-10-31", "2025-10-31T13:30:00.000Z", "2025-10-31T20:00:00.000Z"],
    ["2025-11-03", "2025-11-03T14:30:00.000Z", "2025-11-03T21:00:00.000Z"],
  ])("%s opens at %s and closes at %s", (day, open, close) => {
    const s = sessionOf(day);
    expect(iso(s?.open)).toBe(open);
    expect(iso(s?.close)).toBe(close);
    expect(s?.earlyClose).toBe(false);
  });

  it("reads New York dates of instants on both sides of midnight and of the DST changes", () => {
    expect(nyDayOf(new Date("2025-11-03T04:30:00Z"))).toBe("2025-11-02"); // 23:30 EST
    expect(nyDayOf(new Date("2025-11-03T05:00:00Z"))).toBe("2025-11-03");
    expect(nyDayOf(new Date("2025-03-09T04:59:00Z"))).toBe("2025-03-08"); // 23:59 EST
    expect(nyDayOf(new Date("2025-03-10T03:59:00Z"))).toBe("2025-03-09"); // 23:59 EDT
    expect(nyDayOf(new Date("2025-03-10T04:00:00Z"))).toBe("2025-03-10");
    expect(nyWallTimeToUtc("2025-03-09", 12, 0).toISOString()).toBe("2025-03-09T16:00:00.000Z");
  });

  it("keeps hour bar starts on the New York clock hour on both sides of the change", () => {
    expect(barStarts("2025-10-31", "hour").map(iso)[0]).toBe("2025-10-31T14:00:00.000Z");
    expect(barStarts("2025-11-03", "hour").map(iso)).toEqual([15, 16, 17, 18, 19, 20].map((h) => `2025-11-03T${h}:00:00.000Z`));
  });
});

describe("holidays, early closes and the 2025-01-09 closure", () => {
  it("has no session on holidays and weekends", () => {
    for (const day of ["2025-07-04", "2025-11-27", "2025-12-25", "2026-04-03", "2027-06-18", "2025-11-01"]) {
      expect(isTradingDay(day), day).toBe(false);
      expect(sessionOf(day)).toBeNull();
      expect(barStarts(day, "minute")).toEqual([]);
    }
  });

  it("closes at 13:00 New York time on early-close days", () => {
    const s = sessionOf("2025-11-28");
    expect(s?.earlyClose).toBe(true);
    expect(iso(s?.close)).toBe("2025-11-28T18:00:00.000Z"); // 13:00 EST
    expect(iso(sessionOf("2025-07-03")?.close)).toBe("2025-07-03T17:00:00.000Z"); // 13:00 EDT
    expect(barStarts("2025-11-28", "minute")).toHaveLength(210);
    expect(barStarts("2025-11-28", "hour").map(iso)).toEqual(["2025-11-28T15:00:00.000Z", "2025-11-28T16:00:00.000Z", "2025-11-28T17:00:00.000Z"]);
    expect(isMarketOpen(new Date("2025-11-28T17:59:59Z"))).toBe(true);
    expect(isMarketOpen(new Date("2025-11-28T18:00:00Z"))).toBe(false);
  });

  it("was closed on 2025-01-09 (national day of mourning)", () => {
    expect(isTradingDay("2025-01-08")).toBe(true);
    expect(isTradingDay("2025-01-09")).toBe(false);
    expect(nextTradingDay("2025-01-08")).toBe("2025-01-10");
    expect(previousTradingDay("2025-01-10")).toBe("2025-01-08");
  });

  it("trades on Friday 2027-12-31: New Year's Day on a Saturday is not observed on the Friday before", () => {
    expect(isTradingDay("2027-12-31")).toBe(true);
  });

  it("counts the trading days of each year and of the data set's ranges", () => {
    expect(tradingDays("2024-01-01", "2024-12-31")).toHaveLength(252);
    expect(tradingDays("2025-01-01", "2025-12-31")).toHaveLength(250);
    expect(tradingDays("2026-01-01", "2026-12-31")).toHaveLength(251);
    expect(tradingDays("2027-01-01", "2027-12-31")).toHaveLength(251);
    expect(tradingDays("2025-06-10", "2025-10-30")).toHaveLength(100); // the daily file
    expect(tradingDays("2025-10-01", "2025-11-10")).toHaveLength(29); // the hourly file
  });
});

describe("bar starts, market open and errors", () => {
  it("lists minute, hour and day starts of a regular session", () => {
    const minutes = barStarts("2025-10-30", "minute");
    expect(minutes).toHaveLength(390);
    expect(iso(minutes[0])).toBe("2025-10-30T13:30:00.000Z");
    expect(iso(minutes[389])).toBe("2025-10-30T19:59:00.000Z");
    expect(barStarts("2025-10-30", "hour").map(iso)).toEqual([14, 15, 16, 17, 18, 19].map((h) => `2025-10-30T${h}:00:00.000Z`));
    expect(barStarts("2025-10-30", "day").map(iso)).toEqual(["2025-10-30T13:30:00.000Z"]);
  });

  it("knows when the market is open", () => {
    expect(isMarketOpen(new Date("2025-10-30T13:29:59Z"))).toBe(false);
    expect(isMarketOpen(new Date("2025-10-30T13:30:00Z"))).toBe(true);
    expect(isMarketOpen(new Date("2025-10-30T19:59:59Z"))).toBe(true);
    expect(isMarketOpen(new Date("2025-10-30T20:00:00Z"))).toBe(false);
    expect(sessionAt(new Date("2025-07-04T15:00:00Z"))).toBeNull();
  });

  it("refuses dates outside 2024–2027 and malformed dates instead of guessing", () => {
    for (const f of [() => isTradingDay("2023-12-29"), () => sessionOf("2028-01-03"), () => nextTradingDay("2027-12-31")]) {
      expect(f).toThrow(MarketDataError);
      expect(f).toThrow(/outside the NYSE calendar/);
    }
    expect(() => isTradingDay("2025-02-30")).toThrow(/not a calendar date/);
    expect(() => isTradingDay("10/30/2025")).toThrow(/not a calendar date/);
  });
});

/** The published table, re-derived from the rules (a second, independent statement of the calendar). */
describe("the holiday table agrees with the NYSE rules", () => {
  const nthWeekday = (y: number, m: number, weekday: number, n: number) => {
    let d = formatDay(y, m, 1);
    while (weekdayOf(d) !== weekday) d = addDays(d, 1);
    return addDays(d, 7 * (n - 1));
  };
  const lastWeekday = (y: number, m: number, weekday: number) => {
    let d = addDays(formatDay(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1), -1);
    while (weekdayOf(d) !== weekday) d = addDays(d, -1);
    return d;
  };
  const easter = (y: number) => {
    const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4;
    const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
    const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
    const month = Math.floor((h + l - 7 * m + 114) / 31);
    return formatDay(y, month, ((h + l - 7 * m + 114) % 31) + 1);
  };
  const observed = (d: string) => (weekdayOf(d) === 6 ? addDays(d, -1) : weekdayOf(d) === 0 ? addDays(d, 1) : d);

  it.each([2024, 2025, 2026, 2027])("%i", (y) => {
    const newYear = formatDay(y, 1, 1);
    const closed = [
      weekdayOf(newYear) === 6 ? null : observed(newYear), // Saturday: not observed on Dec 31
      nthWeekday(y, 1, 1, 3),
      nthWeekday(y, 2, 1, 3),
      addDays(easter(y), -2),
      lastWeekday(y, 5, 1),
      observed(formatDay(y, 6, 19)),
      observed(formatDay(y, 7, 4)),
      nthWeekday(y, 9, 1, 1),
      nthWeekday(y, 11, 4, 4),
      observed(formatDay(y, 12, 25)),
      y === 2025 ? "2025-01-09" : null,
    ].filter((d): d is string => d !== null);
    const julyThird = formatDay(y, 7, 3);
    const christmasEve = formatDay(y, 12, 24);
    const early = [
      [1, 2, 3, 4].includes(weekdayOf(julyThird)) ? julyThird : null,
      addDays(nthWeekday(y, 11, 4, 4), 1),
      [1, 2, 3, 4].includes(weekdayOf(christmasEve)) ? christmasEve : null,
    ].filter((d): d is string => d !== null);
    const inYear = (table: Readonly<Record<string, string>>) => Object.keys(table).filter((d) => d.startsWith(`${y}-`)).sort();
    expect(inYear(NYSE_CLOSED_DAYS)).toEqual(closed.sort());
    expect(inYear(NYSE_EARLY_CLOSES)).toEqual(early.sort());
  });
});
