import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { annualizedDisplay, downsample, formatEta, liveMetrics, MIN_DAYS_TO_ANNUALISE, progressOf, tradingDaysOf } from "./derive";

describe("downsample", () => {
  it("keeps short series and the ends of long ones", () => {
    expect(downsample([1, 2, 3], 10)).toEqual([1, 2, 3]);
    const out = downsample(
      Array.from({ length: 10_000 }, (_, i) => i),
      800,
    );
    expect(out).toHaveLength(800);
    expect(out[0]).toBe(0);
    expect(out.at(-1)).toBe(9_999);
  });

  it("keeps every high and low of the series it is given, where a stride steps over a one-bar trough", () => {
    // 10,000 bars rising gently, with a one-bar crash at bar 4,321 (the session's max drawdown).
    const curve = Array.from({ length: 10_000 }, (_, i) => ({ i, equity: i === 4_321 ? 80_000 : 100_000 + i }));
    const strided = downsample(curve, 500);
    expect(strided.some((p) => p.i === 4_321)).toBe(false);
    const kept = downsample(curve, 500, [(p) => p.equity]);
    expect(kept.length).toBeLessThanOrEqual(500);
    expect(kept.some((p) => p.i === 4_321)).toBe(true);
    expect(kept[0]!.i).toBe(0);
    expect(kept.at(-1)!.i).toBe(9_999);
  });

  it("keeps each run's range of every series, in order, within the budget (random series)", () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 3000 }),
      max: fc.integer({ min: 3, max: 900 }),
      a: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 3000, maxLength: 3000 }),
      b: fc.array(fc.option(fc.integer({ min: 0, max: 1000 })), { minLength: 3000, maxLength: 3000 }),
    });
    fc.assert(
      fc.property(arb, ({ n, max, a, b }) => {
        const points = Array.from({ length: n }, (_, i) => ({ i, a: a[i]!, b: b[i] ?? null }));
        const values = [(p: (typeof points)[number]) => p.a, (p: (typeof points)[number]) => p.b];
        const kept = downsample(points, max, values);
        expect(kept.length).toBeLessThanOrEqual(Math.max(max, n <= max ? n : 0));
        expect(kept[0]?.i).toBe(points[0]?.i);
        expect(kept.at(-1)?.i).toBe(points.at(-1)?.i);
        for (let k = 1; k < kept.length; k++) expect(kept[k]!.i).toBeGreaterThan(kept[k - 1]!.i);
        // Every run's lowest and highest value of each series is among the kept points.
        const runs = n <= max ? n : Math.floor(max / 6); // 0: strided, nothing to check
        const keptSet = new Set(kept.map((p) => p.i));
        for (let r = 0; r < runs; r++) {
          const run = points.slice(Math.floor((r * n) / runs), Math.floor(((r + 1) * n) / runs));
          for (const value of values) {
            const all = run.map(value).filter((v): v is number => v !== null);
            const some = run.filter((p) => keptSet.has(p.i)).map(value).filter((v): v is number => v !== null);
            if (all.length > 0) expect([Math.min(...some), Math.max(...some)]).toEqual([Math.min(...all), Math.max(...all)]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("progressOf", () => {
  it("gives bars done / total and an ETA at the pace so far", () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    const p = progressOf(
      { cursor: 100, totalBars: 400, status: "running", startedAt: new Date(start).toISOString(), heartbeatAt: new Date(start + 10_000).toISOString() },
      start + 10_000,
    );
    expect(p).toMatchObject({ done: 100, total: 400, fraction: 0.25, etaMs: 30_000 });
    expect(formatEta(p.etaMs)).toBe("about 30 s left");
    expect(progressOf({ cursor: 0, totalBars: 400, status: "pending", startedAt: null, heartbeatAt: null }).etaMs).toBeNull();
    expect(formatEta(null)).toBe("ETA unknown");
  });
});

describe("liveMetrics", () => {
  it("measures the curve from the starting cash: the first bar's fees are a loss of the first period", () => {
    const m = liveMetrics(
      [
        { barIndex: 0, t: "a", equity: 99.5, cash: 0, benchmark: null }, // after the first bar's $0.50 of fees
        { barIndex: 1, t: "b", equity: 110, cash: 0, benchmark: null },
        { barIndex: 2, t: "c", equity: 99, cash: 0, benchmark: null },
      ],
      { startingCash: 100, interval: "minute", tradeCount: 2, closingPnls: [1, -1], fees: 0.5 },
    );
    // The curve 100 → 110 → 99: two periods.
    expect(m.totalReturn).toBeCloseTo(-0.01, 12);
    expect(m.annualizedReturn).toBeCloseTo(0.99 ** (98_280 / 2) - 1, 12);
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.winRate).toBe(0.5);
    expect(m.feesPaid).toBe(0.5);
  });
});

describe("annualizedDisplay", () => {
  it("shows n/a, and why, for bars spanning under 20 trading days", () => {
    // A one-day minute replay: +3 % in 390 bars annualises to an absurd number; it is not shown.
    const oneDay = annualizedDisplay(2008.78, { bars: 390, interval: "minute" });
    expect(oneDay.text).toBe("n/a");
    expect(oneDay.note).toMatch(/at least 20 trading days .* this session has 1 trading day\. Sharpe, Sortino and volatility .* noisy\.$/);
    expect(annualizedDisplay(1, { bars: 100, interval: "minute" }).note).toMatch(/less than a trading day/);
    // Before the first bar (a queued or pending session) there is nothing to say about its span.
    expect(annualizedDisplay(null, { bars: 0, interval: "day" })).toEqual({ text: "n/a", note: "Annualized: needs at least 20 trading days (about a month) of bars; no bar has run yet." });
    expect(annualizedDisplay(0.5, { bars: 19, interval: "day" })).toMatchObject({ text: "n/a" });
    expect(annualizedDisplay(0.5, { bars: 129, interval: "hour" }).note).toMatch(/19 trading days/);
  });

  it("shows the number from 20 trading days of bars on", () => {
    expect(annualizedDisplay(0.1234, { bars: 20, interval: "day" })).toEqual({ text: "+12.34%", note: null });
    expect(annualizedDisplay(0.1234, { bars: 130, interval: "hour" }).text).toBe("+12.34%");
    expect(annualizedDisplay(-0.05, { bars: 20 * 390, interval: "minute" }).text).toBe("-5.00%");
    expect(annualizedDisplay(null, { bars: 500, interval: "day" }).text).toBe("—");
  });

  it("counts days by the engine's convention", () => {
    expect(tradingDaysOf(390, "minute")).toBe(1);
    expect(tradingDaysOf(13, "hour")).toBe(2);
    expect(tradingDaysOf(MIN_DAYS_TO_ANNUALISE, "day")).toBe(20);
  });
});
