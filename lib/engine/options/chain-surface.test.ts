import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modelQuote, spreadWidth, tickCents } from "./quote-spread";
import { realisedVolatility, TRADING_DAYS_PER_YEAR } from "./realised-volatility";
import {
  atTheMoneyVolatility,
  SKEW_MINIMUM_X,
  SKEW_X_LIMIT,
  skewMultiplier,
  standardisedMoneyness,
  surfaceVolatility,
  VOL_CAP,
  VOL_FLOOR,
} from "./volatility-surface";

const seeded = { seed: 42, numRuns: 300 };

describe("realised volatility", () => {
  it("is the sample standard deviation of log returns × √252, by hand on four closes", () => {
    const closes = [100, 101, 99.5, 102];
    const r = [Math.log(101 / 100), Math.log(99.5 / 101), Math.log(102 / 99.5)];
    const mean = (r[0]! + r[1]! + r[2]!) / 3;
    const sample = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(realisedVolatility(closes, 3)).toBeCloseTo(sample * Math.sqrt(TRADING_DAYS_PER_YEAR), 12);
    expect(realisedVolatility(closes, 2)).toBeCloseTo(Math.abs(r[1]! - r[2]!) / Math.sqrt(2) * Math.sqrt(252), 12);
  });

  it("uses only the latest returns asked for, and is null with too few closes", () => {
    expect(realisedVolatility([50, 200, 100, 101, 102], 2)).toBe(realisedVolatility([100, 101, 102], 2));
    expect(realisedVolatility([100, 101], 2)).toBeNull();
    expect(() => realisedVolatility([100, 0, 101], 2)).toThrow("above 0");
  });

  it("a constant daily growth has zero volatility", () => {
    expect(realisedVolatility(Array.from({ length: 30 }, (_, i) => 100 * 1.01 ** i), 20)).toBeCloseTo(0, 10);
  });
});

describe("the volatility surface", () => {
  const base = { short: 0.4, long: 0.2 };

  it("term structure: starts at the short level, reverts towards the long one as expiry lengthens (monotone between)", () => {
    expect(atTheMoneyVolatility(base, 0)).toBeCloseTo(0.4, 12);
    expect(atTheMoneyVolatility(base, 50)).toBeCloseTo(0.2, 2);
    // By hand: κ = 4, T = 0.25: weight (1 − e^−1)/1 = 0.632; σ² = 0.04 + 0.12 × 0.632
    expect(atTheMoneyVolatility(base, 0.25)).toBeCloseTo(Math.sqrt(0.04 + 0.12 * (1 - Math.exp(-1))), 12);
    const years = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2];
    const vols = years.map((t) => atTheMoneyVolatility(base, t));
    for (let i = 1; i < vols.length; i++) expect(vols[i]!).toBeLessThan(vols[i - 1]!);
    const rising = years.map((t) => atTheMoneyVolatility({ short: 0.15, long: 0.3 }, t));
    for (let i = 1; i < rising.length; i++) expect(rising[i]!).toBeGreaterThan(rising[i - 1]!);
  });

  it("clamps the base to the floor and the cap", () => {
    expect(atTheMoneyVolatility({ short: 0.001, long: 0.001 }, 0.5)).toBeCloseTo(VOL_FLOOR, 12);
    expect(atTheMoneyVolatility({ short: 9, long: 9 }, 0.5)).toBeCloseTo(VOL_CAP, 12);
  });

  it("skew: at the money the multiplier is 1; lower strikes are dearer; the smile's minimum is at x = 2.5; flat past ±4", () => {
    expect(skewMultiplier(0)).toBe(1);
    expect(skewMultiplier(-1)).toBeCloseTo(1.12, 12);
    expect(skewMultiplier(1)).toBeCloseTo(0.92, 12);
    expect(SKEW_MINIMUM_X).toBeCloseTo(2.5, 12);
    expect(skewMultiplier(2.5)).toBeCloseTo(0.875, 12);
    expect(standardisedMoneyness(1000, 100, 0.2, 0.5)).toBe(SKEW_X_LIMIT);
    expect(standardisedMoneyness(10, 100, 0.2, 0.5)).toBe(-SKEW_X_LIMIT);
    expect(standardisedMoneyness(90, 100, 0.2, 0)).toBe(-SKEW_X_LIMIT);
  });

  it("is monotone in the strike per the documented smile: falling up to its minimum, rising (gently) after it (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.08, max: 1.2, noNaN: true }),
        fc.double({ min: 0.08, max: 1.2, noNaN: true }),
        fc.double({ min: 1 / 365, max: 2, noNaN: true }),
        fc.double({ min: 5, max: 1000, noNaN: true }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        (short, long, years, forward, ratio, step) => {
          const b = { short, long };
          const k1 = forward * ratio;
          const k2 = k1 * (1 + step);
          const [v1, v2] = [surfaceVolatility(b, { strike: k1, forward, years }), surfaceVolatility(b, { strike: k2, forward, years })];
          const atm = atTheMoneyVolatility(b, years);
          const x2 = standardisedMoneyness(k2, forward, atm, years);
          const x1 = standardisedMoneyness(k1, forward, atm, years);
          if (x2 <= SKEW_MINIMUM_X) expect(v2).toBeLessThanOrEqual(v1 + 1e-12);
          if (x1 >= SKEW_MINIMUM_X) expect(v2).toBeGreaterThanOrEqual(v1 - 1e-12);
          expect(v1).toBeGreaterThanOrEqual(VOL_FLOOR);
          expect(v1).toBeLessThanOrEqual(VOL_CAP);
        },
      ),
      seeded,
    );
  });
});

describe("the bid/ask spread rule", () => {
  it("ticks: $0.01 under $3, $0.05 from $3", () => {
    expect([0, 0.5, 2.99, 3, 12].map(tickCents)).toEqual([1, 1, 1, 5, 5]);
  });

  it("by hand: theo 2.00 at the money, 30 days: width max(0.01, 0.08) = 0.08 → 1.96 / 2.04", () => {
    expect(modelQuote({ theo: 2, outOfTheMoney: 0, days: 30 })).toEqual({ bid: 1.96, ask: 2.04, mid: 2, tick: 0.01 });
  });

  it("by hand: theo 10.00, 30 days, 2 standard deviations out: width 0.40 × 1.5 = 0.60 → 9.70 / 10.30 on the $0.05 tick", () => {
    expect(spreadWidth({ theo: 10, outOfTheMoney: 2, days: 30 })).toBeCloseTo(0.6, 12);
    expect(modelQuote({ theo: 10, outOfTheMoney: 2, days: 30 })).toEqual({ bid: 9.7, ask: 10.3, mid: 10, tick: 0.05 });
  });

  it("widens for far out-of-the-money and short-dated contracts (each up to double)", () => {
    const at = spreadWidth({ theo: 5, outOfTheMoney: 0, days: 30 });
    expect(spreadWidth({ theo: 5, outOfTheMoney: 4, days: 30 })).toBeCloseTo(2 * at, 12);
    expect(spreadWidth({ theo: 5, outOfTheMoney: 9, days: 30 })).toBeCloseTo(2 * at, 12);
    expect(spreadWidth({ theo: 5, outOfTheMoney: 0, days: 0 })).toBeCloseTo(2 * at, 12);
    expect(spreadWidth({ theo: 5, outOfTheMoney: 0, days: 3.5 })).toBeCloseTo(1.5 * at, 12);
  });

  it("a worthless contract is bid 0, offered at a tick (two when far out and in its last days: width 0.01 × 2 × 1.86)", () => {
    expect(modelQuote({ theo: 0, outOfTheMoney: 0, days: 30 })).toEqual({ bid: 0, ask: 0.01, mid: 0.005, tick: 0.01 });
    expect(modelQuote({ theo: 0, outOfTheMoney: 4, days: 1 })).toEqual({ bid: 0, ask: 0.02, mid: 0.01, tick: 0.01 });
  });

  it("0 ≤ bid ≤ mid ≤ ask, ask > bid, both on the tick, |mid − theo| at most the half-spread (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 500, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 400, noNaN: true }), (theo, out, days) => {
        const q = modelQuote({ theo, outOfTheMoney: out, days });
        expect(q.bid).toBeGreaterThanOrEqual(0);
        expect(q.ask).toBeGreaterThan(q.bid);
        expect(q.mid).toBeGreaterThanOrEqual(q.bid);
        expect(q.mid).toBeLessThanOrEqual(q.ask);
        const cents = q.tick * 100;
        for (const p of [q.bid, q.ask]) expect(Math.abs(Math.round(p * 100) % cents)).toBe(0);
        expect(q.bid).toBeLessThanOrEqual(theo + 1e-9);
        expect(q.ask).toBeGreaterThanOrEqual(theo - 1e-9);
        expect(Math.abs(q.mid - theo)).toBeLessThanOrEqual((q.ask - q.bid) / 2 + 1e-9);
      }),
      seeded,
    );
  });

  it("refuses a negative or non-finite theo", () => {
    expect(() => modelQuote({ theo: -0.01, outOfTheMoney: 0, days: 1 })).toThrow("0 or more");
    expect(() => modelQuote({ theo: Number.NaN, outOfTheMoney: 0, days: 1 })).toThrow("0 or more");
  });
});
