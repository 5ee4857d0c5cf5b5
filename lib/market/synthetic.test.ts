import { describe, expect, it } from "vitest";
import { parseAlphaVantage } from "./alpha-vantage";
import { barStarts, tradingDays } from "./calendar";
import { createSyntheticBarSource, generateSyntheticBars, SyntheticMarket } from "./synthetic";
import { SyntheticDailyPath } from "./synthetic-daily";
import { SYNTHETIC_INSTRUMENTS } from "./synthetic-instruments";
import { HOURLY_FILE, readSharedData } from "@/tests/support/shared-data";
import { nyDayOf } from "./time";
import type { Bar } from "./types";

const FROM = "2025-11-24";
const TO = "2025-11-28"; // Thanksgiving week: a holiday and an early close
const week = generateSyntheticBars({ seed: 42, from: FROM, to: TO });
const of = (bars: readonly Bar[], interval: Bar["interval"], symbol?: string) =>
  bars.filter((b) => b.interval === interval && (symbol === undefined || b.symbol === symbol));

function correlation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] ?? 0) - mx, dy = (y[i] ?? 0) - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe("synthetic instruments", () => {
  it("are ~30 fictional ZZ tickers that cannot collide with real NASDAQ symbols", () => {
    const real = new Set(parseAlphaVantage(readSharedData(HOURLY_FILE), HOURLY_FILE).symbols);
    expect(SYNTHETIC_INSTRUMENTS).toHaveLength(30);
    expect(new Set(SYNTHETIC_INSTRUMENTS.map((i) => i.symbol)).size).toBe(30);
    for (const inst of SYNTHETIC_INSTRUMENTS) {
      expect(inst.symbol).toMatch(/^ZZ[A-Z]{4}$/); // six letters: real NASDAQ/NYSE symbols have at most five
      expect(real.has(inst.symbol)).toBe(false);
      expect(inst).toMatchObject({ exchange: "SYNTH", assetClass: "equity" });
    }
  });
});

describe("synthetic bars", () => {
  it("follow the calendar: 390 minutes, 6 hours and 1 day per session, 210 minutes on an early close, none on a holiday", () => {
    expect(new Set(week.map((b) => nyDayOf(b.start)))).toEqual(new Set(tradingDays(FROM, TO)));
    const sym = "ZZQBIT";
    const minutesOn = (day: string) => of(week, "minute", sym).filter((b) => nyDayOf(b.start) === day);
    expect(minutesOn("2025-11-24")).toHaveLength(390);
    expect(minutesOn("2025-11-28")).toHaveLength(210);
    expect(of(week, "hour", sym).filter((b) => nyDayOf(b.start) === "2025-11-24").map((b) => b.start)).toEqual(barStarts("2025-11-24", "hour"));
    expect(of(week, "day", sym).map((b) => b.start)).toEqual(tradingDays(FROM, TO).flatMap((d) => barStarts(d, "day")));
    expect(week.every((b) => b.source === "synthetic")).toBe(true);
  });

  it("have positive prices and consistent OHLC, with day bars that agree with their minutes", () => {
    const bad = week.filter((b) => {
      const [o, h, l, c] = [b.open, b.high ?? NaN, b.low ?? NaN, b.close ?? NaN];
      return !(l > 0 && l <= Math.min(o, c) && Math.max(o, c) <= h && (b.volume ?? -1) >= 0);
    });
    expect(bad).toEqual([]);
    const day = of(week, "day", "ZZBANK")[0];
    const minutes = of(week, "minute", "ZZBANK").filter((b) => nyDayOf(b.start) === FROM);
    expect(day?.open).toBe(minutes[0]?.open);
    expect(day?.close).toBe(minutes[minutes.length - 1]?.close);
    expect(day?.high).toBe(Math.max(...minutes.map((m) => m.high ?? 0)));
    expect(day?.low).toBe(Math.min(...minutes.map((m) => m.low ?? Infinity)));
    expect(day?.volume).toBe(minutes.reduce((a, m) => a + (m.volume ?? 0), 0));
  });

  it("are deterministic for a seed, differ for another, and do not depend on the range asked for", () => {
    expect(generateSyntheticBars({ seed: 42, from: FROM, to: TO })).toEqual(week);
    const other = generateSyntheticBars({ seed: 43, from: FROM, to: FROM, intervals: ["day"] });
    expect(other).not.toEqual(of(week, "day").filter((b) => nyDayOf(b.start) === FROM));
    const lateOnly = new SyntheticMarket(42).bars({ from: TO, to: TO, intervals: ["minute"], symbols: ["ZZHALO"] });
    expect(lateOnly).toEqual(of(week, "minute", "ZZHALO").filter((b) => nyDayOf(b.start) === TO));
  });

  it("moves together: positive cross-sectional correlation of daily returns", () => {
    const days = generateSyntheticBars({ seed: 7, from: "2024-01-02", to: "2024-06-28", intervals: ["day"] });
    const returns = SYNTHETIC_INSTRUMENTS.map((inst) => {
      const closes = of(days, "day", inst.symbol).map((b) => b.close ?? 0);
      return closes.slice(1).map((c, i) => Math.log(c / (closes[i] ?? c)));
    });
    const pairs: number[] = [];
    for (let i = 0; i < returns.length; i++) for (let j = i + 1; j < returns.length; j++) pairs.push(correlation(returns[i] ?? [], returns[j] ?? []));
    const mean = pairs.reduce((a, b) => a + b, 0) / pairs.length;
    expect(mean).toBeGreaterThan(0.15);
  });

  it("switch regimes by the Markov chain and trade U-shaped volume", () => {
    const path = new SyntheticDailyPath(42);
    const regimes = new Set(tradingDays("2024-01-02", "2025-12-31").map((d) => path.get(d).regime));
    expect(regimes).toEqual(new Set(["calm-bull", "volatile", "bear"]));
    const minutes = of(week, "minute").filter((b) => nyDayOf(b.start) !== TO);
    const opens = new Map(tradingDays(FROM, TO).map((d) => [d, barStarts(d, "day")[0]?.getTime() ?? 0]));
    const minuteOf = (b: Bar) => Math.round((b.start.getTime() - (opens.get(nyDayOf(b.start)) ?? 0)) / 60_000);
    const avgAt = (pred: (k: number) => boolean) => {
      const sel = minutes.filter((b) => pred(minuteOf(b)));
      return sel.reduce((a, b) => a + (b.volume ?? 0), 0) / sel.length;
    };
    const midday = avgAt((k) => k >= 150 && k < 240);
    expect(avgAt((k) => k < 15)).toBeGreaterThan(1.5 * midday);
    expect(avgAt((k) => k >= 375)).toBeGreaterThan(1.5 * midday);
  });

  it("serves bars through a BarSource with limits per symbol", async () => {
    const source = createSyntheticBarSource(new SyntheticMarket(42));
    const bars = await source.getBars({ symbols: ["ZZQBIT", "ZZBANK", "NOTREAL"], interval: "day", to: new Date("2025-11-28T18:00:00Z"), limit: 3 });
    expect(bars.map((b) => `${b.symbol} ${nyDayOf(b.start)}`)).toEqual([
      "ZZBANK 2025-11-25", "ZZQBIT 2025-11-25", "ZZBANK 2025-11-26", "ZZQBIT 2025-11-26", "ZZBANK 2025-11-28", "ZZQBIT 2025-11-28",
    ]);
    expect(bars.filter((b) => b.symbol === "ZZQBIT")).toEqual(of(week, "day", "ZZQBIT").slice(-3));
  });
});
