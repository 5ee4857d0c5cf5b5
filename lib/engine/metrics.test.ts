import { describe, expect, it } from "vitest";
import { computeMetrics, PERIODS_PER_YEAR } from "./metrics";

const curve = (values: (number | bigint)[]) => values.map((equity, i) => ({ time: i, equity }));

describe("computeMetrics", () => {
  it("matches a hand-computed daily case", () => {
    // equity 100 → 110 → 99 → 108.9: returns r = [+0.1, −0.1, +0.1], n = 3
    // total = 108.9 / 100 − 1 = 0.089; annualized = 1.089^(252/3) − 1 = 1.089^84 − 1
    // mean = 0.1/3 = 0.0333…; deviations (0.0667, −0.1333, 0.0667), squares sum 0.02667, /(n−1) → 0.013333
    // stdev = √0.013333 = 0.1154701; volatility = 0.1154701 × √252 (15.8745079) = 1.8330303
    // sharpe = 0.0333333 / 0.1154701 × 15.8745079 = 0.2886751 × 15.8745079 = 4.5825757
    // downside dev = √((0 + 0.01 + 0) / 3) = 0.0577350; sortino = 0.0333333 / 0.0577350 × 15.8745079 = 9.1651514
    // max drawdown = (110 − 99) / 110 = 0.1; calmar = annualized / 0.1
    // win rate: closing P&Ls [+5, −2, 0, +1] → 2 winners of 4 = 0.5
    const m = computeMetrics({
      equityCurve: curve([100, 110, 99, 108.9]),
      interval: "day",
      closingPnls: [5, -2, 0, 1n],
      tradeCount: 7,
      feesPaid: 3_000_000n,
    });
    const annualized = Math.pow(1.089, 84) - 1;
    expect(m.totalReturn).toBeCloseTo(0.089, 12);
    expect(m.annualizedReturn).toBeCloseTo(annualized, 6);
    expect(m.volatility).toBeCloseTo(1.8330303, 6);
    expect(m.sharpe).toBeCloseTo(4.5825757, 6);
    expect(m.sortino).toBeCloseTo(9.1651514, 6);
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.calmar).toBeCloseTo(annualized / 0.1, 4);
    expect(m.winRate).toBe(0.5);
    expect(m.tradeCount).toBe(7);
    expect(m.feesPaid).toBe(3_000_000n);
  });

  it("accepts Money (bigint micros) and gives the same ratios", () => {
    const a = computeMetrics({ equityCurve: curve([100, 110, 99, 108.9]), interval: "hour", closingPnls: [], tradeCount: 0, feesPaid: 0n });
    const b = computeMetrics({ equityCurve: curve([100_000_000n, 110_000_000n, 99_000_000n, 108_900_000n]), interval: "hour", closingPnls: [], tradeCount: 0, feesPaid: 0n });
    expect(b.sharpe).toBeCloseTo(a.sharpe ?? NaN, 9);
    expect(a.sharpe).toBeCloseTo(0.2886751 * Math.sqrt(252 * 6.5), 5);
  });

  it("measures from the starting equity when given: it replaces the first point (marked after the first bar's trades)", () => {
    const base = { interval: "day", closingPnls: [], tradeCount: 2, feesPaid: 500_000n } as const;
    const from = computeMetrics({ ...base, equityCurve: curve([99.5, 110, 99, 108.9]), startingEquity: 100 });
    expect(from).toEqual(computeMetrics({ ...base, equityCurve: curve([100, 110, 99, 108.9]) }));
    expect(from.totalReturn).toBeCloseTo(0.089, 12);
    const micros = computeMetrics({ ...base, equityCurve: curve([99_500_000n, 110_000_000n, 99_000_000n, 108_900_000n]), startingEquity: 100_000_000n });
    expect(micros.sharpe).toBeCloseTo(from.sharpe!, 12);
    // Without it the first bar's costs vanish from the return.
    expect(computeMetrics({ ...base, equityCurve: curve([99.5, 110, 99, 108.9]) }).totalReturn).toBeCloseTo(108.9 / 99.5 - 1, 12);
  });

  it("annualizes by bar interval", () => {
    expect(PERIODS_PER_YEAR).toEqual({ day: 252, hour: 1638, minute: 98_280 });
  });

  it("returns null, never NaN or Infinity, for degenerate inputs", () => {
    const none = { closingPnls: [], tradeCount: 0, feesPaid: 0n, interval: "day" } as const;
    const one = computeMetrics({ ...none, equityCurve: curve([100]) });
    expect(one).toMatchObject({ totalReturn: null, annualizedReturn: null, volatility: null, sharpe: null, sortino: null, maxDrawdown: null, calmar: null, winRate: null });
    const flat = computeMetrics({ ...none, equityCurve: curve([100, 100, 100]) });
    expect(flat).toMatchObject({ totalReturn: 0, annualizedReturn: 0, volatility: 0, sharpe: null, sortino: null, maxDrawdown: 0, calmar: null });
    const up = computeMetrics({ ...none, equityCurve: curve([100, 101, 102]) });
    expect(up.sortino).toBeNull(); // no downside
    expect(up.calmar).toBeNull(); // no drawdown
    const wiped = computeMetrics({ ...none, equityCurve: curve([100, 0, 10]) });
    expect(wiped).toMatchObject({ totalReturn: -0.9, sharpe: null, volatility: null, maxDrawdown: 1 });
    const ruined = computeMetrics({ ...none, equityCurve: curve([100, 50, 0]) });
    expect(ruined).toMatchObject({ totalReturn: -1, annualizedReturn: -1, maxDrawdown: 1, calmar: -1 });
    const huge = computeMetrics({ ...none, interval: "minute", equityCurve: curve([100, 200]) });
    expect(huge.annualizedReturn).toBeNull(); // 2^98280 overflows
    expect(huge.totalReturn).toBe(1);
  });
});
