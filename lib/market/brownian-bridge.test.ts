import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAlphaVantage } from "./alpha-vantage";
import { deriveMinuteBars, deriveMinuteBarsFromHours } from "./brownian-bridge";
import { nyDayOf } from "./time";
import { HOURLY_FILE, readSharedData } from "@/tests/support/shared-data";
import type { Bar } from "./types";

const hourly = parseAlphaVantage(readSharedData(HOURLY_FILE), HOURLY_FILE).bars;
const aaplDays = ["2025-10-01", "2025-10-02", "2025-10-30", "2025-11-03", "2025-11-07"];
const aaplHours = hourly.filter((b) => b.symbol === "AAPL" && aaplDays.includes(nyDayOf(b.start)));

function decimals(x: number): number {
  const s = String(x);
  return s.includes(".") ? (s.split(".")[1]?.length ?? 0) : 0;
}

function expectReproduces(hour: Bar, minutes: readonly Bar[]): void {
  const first = minutes[0];
  const last = minutes[minutes.length - 1];
  expect(first?.open).toBe(hour.open);
  expect(last?.close).toBe(hour.close);
  expect(Math.max(...minutes.map((m) => m.high ?? -Infinity))).toBe(hour.high);
  expect(Math.min(...minutes.map((m) => m.low ?? Infinity))).toBe(hour.low);
  expect(minutes.reduce((a, m) => a + (m.volume ?? 0), 0)).toBe(hour.volume);
  minutes.forEach((m, k) => {
    expect(m.start.getTime()).toBe(hour.start.getTime() + k * 60_000);
    expect(m.low).not.toBeNull();
    const [o, h, l, c] = [m.open, m.high ?? NaN, m.low ?? NaN, m.close ?? NaN];
    expect(l <= Math.min(o, c) && Math.max(o, c) <= h).toBe(true);
    expect(Number.isInteger(m.volume) && (m.volume ?? -1) >= 0).toBe(true);
    if (k > 0) expect(m.open).toBe(minutes[k - 1]?.close);
  });
}

describe("Brownian-bridge minute bars", () => {
  it("reproduce every AAPL hour's OHLC and volume exactly on five real days", () => {
    expect(aaplHours).toHaveLength(30);
    for (const hour of aaplHours) {
      const minutes = deriveMinuteBars(hour, { seed: 7 });
      expect(minutes).toHaveLength(60);
      expectReproduces(hour, minutes);
      for (const m of minutes) {
        expect(m).toMatchObject({ symbol: "AAPL", interval: "minute", source: "alphavantage", derived: true });
        for (const p of [m.open, m.high, m.low, m.close]) expect(decimals(p ?? 0)).toBeLessThanOrEqual(4);
      }
    }
  });

  it("is independent of the order bars are derived in", () => {
    const target = aaplHours[3];
    if (!target) throw new Error("no hour");
    const alone = deriveMinuteBars(target, { seed: 11 });
    const together = deriveMinuteBarsFromHours([...aaplHours].reverse(), { seed: 11 }).filter((m) => m.start >= target.start && m.start.getTime() < target.start.getTime() + 3_600_000);
    expect(together).toEqual(alone);
  });

  it("derives an open-only hour as one open-only minute, and stops at an early close", () => {
    const last = hourly.find((b) => b.symbol === "AAPL" && b.close === null);
    if (!last) throw new Error("no open-only bar");
    expect(deriveMinuteBars(last, { seed: 1 })).toEqual([{ ...last, interval: "minute", derived: true }]);
    const template = aaplHours[0];
    if (!template) throw new Error("no hour");
    const lateHour: Bar = { ...template, start: new Date("2025-11-28T17:30:00Z") }; // 12:30 on a 13:00 close
    expect(deriveMinuteBars(lateHour, { seed: 1 })).toHaveLength(30);
  });

  it("derives 100 symbols' day of hours into 36,000 minutes quickly", () => {
    const day = hourly.filter((b) => nyDayOf(b.start) === "2025-10-30");
    const t0 = performance.now();
    const minutes = deriveMinuteBarsFromHours(day, { seed: 3 });
    expect(minutes).toHaveLength(101 * 360);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

/** Arbitrary consistent hour bars on a 4-decimal grid. */
const hourBar = fc
  .record({
    a: fc.integer({ min: 1, max: 5_000_000 }),
    b: fc.integer({ min: 1, max: 5_000_000 }),
    u: fc.double({ min: 0, max: 1, noNaN: true }),
    v: fc.double({ min: 0, max: 1, noNaN: true }),
    volume: fc.integer({ min: 0, max: 50_000_000 }),
    hourIndex: fc.integer({ min: 0, max: 5 }),
    symbol: fc.constantFrom("AAPL", "MSFT", "ZZQBIT"),
  })
  .map(({ a, b, u, v, volume, hourIndex, symbol }): Bar => {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    const inRange = (t: number) => low + Math.round(t * (high - low));
    return {
      symbol,
      interval: "hour",
      start: new Date(Date.UTC(2025, 9, 30, 14 + hourIndex)),
      open: inRange(u) / 1e4,
      high: high / 1e4,
      low: low / 1e4,
      close: inRange(v) / 1e4,
      volume,
      source: "test",
      derived: false,
    };
  });

describe("Brownian-bridge properties", () => {
  it("reproduces any hour exactly; same seed → same minutes; another seed → other minutes", () => {
    fc.assert(
      fc.property(hourBar, fc.integer(), fc.integer(), (hour, seed, other) => {
        const minutes = deriveMinuteBars(hour, { seed });
        expectReproduces(hour, minutes);
        expect(deriveMinuteBars(hour, { seed })).toEqual(minutes);
        const wide = (hour.high ?? 0) - (hour.low ?? 0) >= 0.01 && (hour.volume ?? 0) > 1000;
        if (seed !== other && wide) expect(deriveMinuteBars(hour, { seed: other })).not.toEqual(minutes);
      }),
      { numRuns: 200 },
    );
  });
});
