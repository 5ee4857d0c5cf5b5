import { describe, expect, it } from "vitest";
import { tradingDays } from "@/lib/market";
import { BACKTEST_TRADING_DAYS, rangeEndingOn, startDefaultsOf, tradingDayAtOrBefore, type IntervalCoverage } from "./start-range";

const cover = (first: string, last: string, lastFull = last): IntervalCoverage => ({ first, last, lastFull });
/** The synthetic market as a fresh install stores it: day and hour bars of 2025; minutes only of days replayed. */
const SYNTHETIC = { day: cover("2025-01-02", "2025-12-31"), hour: cover("2025-01-02", "2025-12-31") };

describe("rangeEndingOn", () => {
  it("counts back n trading days, over weekends and holidays, and stops at the data's first day", () => {
    expect(rangeEndingOn("2025-12-31", 5, "2025-01-02")).toEqual({ start: "2025-12-24", end: "2025-12-31" }); // 25 Dec closed
    expect(tradingDays("2025-12-24", "2025-12-31")).toHaveLength(5);
    expect(rangeEndingOn("2025-01-07", 60, "2025-01-02")).toEqual({ start: "2025-01-02", end: "2025-01-07" });
    expect(rangeEndingOn("2025-01-07", 1, "2025-01-02")).toEqual({ start: "2025-01-07", end: "2025-01-07" });
  });

  it("stays inside the calendar's years", () => {
    expect(rangeEndingOn("2024-01-03", 10, "2023-06-01")).toEqual({ start: "2024-01-02", end: "2024-01-03" });
    expect(tradingDayAtOrBefore("2025-12-28")).toBe("2025-12-26"); // a Sunday
    expect(tradingDayAtOrBefore("2031-01-01")).toBe("2031-01-01"); // outside: left as it is
  });
});

describe("startDefaultsOf", () => {
  it("a fresh install (the synthetic market): the last day replayed, about three months of days and a month of hours", () => {
    const d = startDefaultsOf({ imported: {}, synthetic: SYNTHETIC });
    expect(d.replay).toEqual({ day: "2025-12-31", first: "2025-01-02", last: "2025-12-31", synthetic: true });
    expect(d.backtest.day).toMatchObject({ end: "2025-12-31", synthetic: true });
    expect(tradingDays(d.backtest.day!.start, d.backtest.day!.end)).toHaveLength(BACKTEST_TRADING_DAYS.day);
    expect(tradingDays(d.backtest.hour!.start, d.backtest.hour!.end)).toHaveLength(BACKTEST_TRADING_DAYS.hour);
    expect(d.dataSpan).toBe("day and hour bars 2025-01-02 to 2025-12-31 (synthetic market)");
  });

  it("imported data wins over the synthetic market, each interval inside its own bars", () => {
    // The shared NASDAQ-100 files: day bars Jun 10 – Oct 30, hour bars Oct 1 – Nov 10 2025.
    const d = startDefaultsOf({
      imported: { day: cover("2025-06-10", "2025-10-30"), hour: cover("2025-10-01", "2025-11-10") },
      synthetic: { ...SYNTHETIC, minute: cover("2025-12-22", "2025-12-31") },
    });
    expect(d.replay).toEqual({ day: "2025-11-10", first: "2025-10-01", last: "2025-11-10", synthetic: false });
    expect(d.backtest.day).toMatchObject({ end: "2025-10-30", first: "2025-06-10", last: "2025-10-30", synthetic: false });
    expect(d.backtest.hour).toMatchObject({ end: "2025-11-10", first: "2025-10-01", synthetic: false });
    expect(d.backtest.day!.start >= "2025-06-10" && d.backtest.hour!.start >= "2025-10-01").toBe(true);
    expect(tradingDays(d.backtest.hour!.start, d.backtest.hour!.end)).toHaveLength(BACKTEST_TRADING_DAYS.hour);
    expect(d.dataSpan).toBe("day bars 2025-06-10 to 2025-10-30, hour bars 2025-10-01 to 2025-11-10");
  });

  it("ends on the last FULL day: a file downloaded mid-day leaves a partial last one", () => {
    const d = startDefaultsOf({ imported: { hour: cover("2025-10-01", "2025-11-11", "2025-11-10") }, synthetic: {} });
    expect(d.replay?.day).toBe("2025-11-10");
    expect(d.backtest.hour?.end).toBe("2025-11-10");
  });

  it("a replay takes the later of the minute and hour bars; an interval with no imported bars falls back to the synthetic market's", () => {
    const d = startDefaultsOf({
      imported: { minute: cover("2025-11-03", "2025-11-14"), day: cover("2025-03-03", "2025-11-14") },
      synthetic: SYNTHETIC,
    });
    expect(d.replay).toEqual({ day: "2025-11-14", first: "2025-11-03", last: "2025-11-14", synthetic: false });
    expect(d.backtest.day).toMatchObject({ end: "2025-11-14", synthetic: false });
    expect(d.backtest.hour).toMatchObject({ end: "2025-12-31", synthetic: true });
    expect(d.dataSpan).toBe("day bars 2025-03-03 to 2025-11-14, hour bars 2025-01-02 to 2025-12-31 (synthetic), minute bars 2025-11-03 to 2025-11-14");
  });

  it("day bars only: no replay, backtests of days; nothing stored: nothing suggested", () => {
    const d = startDefaultsOf({ imported: { day: cover("2024-01-02", "2025-11-14") }, synthetic: {} });
    expect(d.replay).toBeNull();
    expect(d.backtest.hour).toBeNull();
    expect(d.backtest.day).toMatchObject({ end: "2025-11-14" });
    expect(startDefaultsOf({ imported: {}, synthetic: {} })).toEqual({ replay: null, backtest: { day: null, hour: null }, dataSpan: null });
  });
});
