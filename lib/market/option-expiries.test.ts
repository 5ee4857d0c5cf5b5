import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTradingDay } from "./calendar";
import { isListedExpiry, listedExpiries, monthlyExpiry } from "./option-expiries";
import { addDays, weekdayOf } from "./time";

describe("listed option expiries", () => {
  it("lists every Friday, the third one monthly; Good Friday 2026 moves the weekly to Thursday April 2", () => {
    expect(listedExpiries("2026-03-30", "2026-04-30")).toEqual([
      { expiry: "2026-04-02", kind: "weekly", shiftedFrom: "2026-04-03" },
      { expiry: "2026-04-10", kind: "weekly" },
      { expiry: "2026-04-17", kind: "monthly" },
      { expiry: "2026-04-24", kind: "weekly" },
    ]);
  });

  it("moves a monthly on a holiday to the trading day before: April 2025 (Good Friday the 18th), June 2026 and June 2027 (Juneteenth)", () => {
    expect(monthlyExpiry(2025, 4)).toEqual({ expiry: "2025-04-17", kind: "monthly", shiftedFrom: "2025-04-18" });
    expect(monthlyExpiry(2026, 6)).toEqual({ expiry: "2026-06-18", kind: "monthly", shiftedFrom: "2026-06-19" });
    expect(monthlyExpiry(2027, 6)).toEqual({ expiry: "2027-06-17", kind: "monthly", shiftedFrom: "2027-06-18" });
    expect(monthlyExpiry(2025, 10)).toEqual({ expiry: "2025-10-17", kind: "monthly" }); // AAPL251017C00250000's date
    expect(listedExpiries("2026-06-29", "2026-07-06")).toEqual([{ expiry: "2026-07-02", kind: "weekly", shiftedFrom: "2026-07-03" }]);
  });

  it("includes a shifted expiry that falls inside the range though its Friday does not", () => {
    expect(listedExpiries("2026-04-02", "2026-04-02")).toEqual([{ expiry: "2026-04-02", kind: "weekly", shiftedFrom: "2026-04-03" }]);
    expect(isListedExpiry("2026-04-02")).toBe(true);
    expect(isListedExpiry("2026-04-03")).toBe(false);
    expect(isListedExpiry("2026-04-09")).toBe(false);
  });

  it("refuses dates outside the calendar's years and text that is not a date", () => {
    expect(() => listedExpiries("2028-01-01", "2028-02-01")).toThrow("outside the NYSE calendar");
    expect(() => listedExpiries("2026-02-30", "2026-03-01")).toThrow('"2026-02-30" is not a calendar date');
  });

  it("over 2024–2027: each expiry is a trading day, a Friday or the day(s) before a closed Friday; one monthly a month (property)", () => {
    const all = listedExpiries("2024-01-01", "2027-12-31");
    const months = new Map<string, number>();
    for (const e of all) {
      expect(isTradingDay(e.expiry)).toBe(true);
      if (e.shiftedFrom === undefined) expect(weekdayOf(e.expiry)).toBe(5);
      else expect(isTradingDay(e.shiftedFrom)).toBe(false);
      if (e.kind === "monthly") months.set(e.expiry.slice(0, 7), (months.get(e.expiry.slice(0, 7)) ?? 0) + 1);
    }
    expect(months.size).toBe(48);
    expect([...months.values()].every((n) => n === 1)).toBe(true);
    expect(all.filter((e) => e.shiftedFrom).map((e) => e.expiry)).toEqual([
      "2024-03-28", // Good Friday
      "2025-04-17", // Good Friday, a monthly
      "2025-07-03", // Independence Day
      "2026-04-02", // Good Friday
      "2026-06-18", // Juneteenth, a monthly
      "2026-07-02", // Independence Day observed
      "2026-12-24", // Christmas (an early-close day: 13:00)
      "2026-12-31", // New Year's Day 2027: the expiry moves into the year before
      "2027-03-25", // Good Friday
      "2027-06-17", // Juneteenth observed, a monthly
      "2027-12-23", // Christmas observed on Friday December 24
    ]);
    const day = fc.integer({ min: 0, max: 1400 }).map((n) => addDays("2024-01-01", n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 60 }), (from, span) => {
        const to = addDays(from, span);
        expect(listedExpiries(from, to)).toEqual(all.filter((e) => e.expiry >= from && e.expiry <= to));
      }),
      { seed: 23, numRuns: 200 },
    );
  });
});
