import { describe, expect, it } from "vitest";
import { blackScholesMerton } from "@/lib/engine/options/black-scholes";
import { breakeven, payoffAtExpiry, payoffCurve, payoffToday, type PayoffInput } from "./payoff";

const call: PayoffInput = { right: "call", strike: 250, quantity: 2, premium: 4.5, spot: 248, daysToExpiry: 16, volatility: 0.25, rate: 0.04 };
const put: PayoffInput = { ...call, right: "put", strike: 240, quantity: 1, premium: 3 };

describe("payoff at expiry", () => {
  it("a long call: max(S − K, 0) × 100 × q − the premium paid; breakeven K + premium", () => {
    for (const s of [100, 240, 250, 254.5, 260, 400]) expect(payoffAtExpiry(call, s)).toBeCloseTo(Math.max(s - 250, 0) * 200 - 4.5 * 200, 9);
    expect(breakeven(call)).toBe(254.5);
    expect(payoffAtExpiry(call, 254.5)).toBeCloseTo(0, 9);
    expect(payoffAtExpiry(call, 200)).toBe(-900); // the whole premium, no more
  });

  it("a long put: max(K − S, 0) × 100 − premium; breakeven K − premium", () => {
    expect(breakeven(put)).toBe(237);
    expect(payoffAtExpiry(put, 237)).toBeCloseTo(0, 9);
    expect(payoffAtExpiry(put, 200)).toBeCloseTo(3_700, 9);
    expect(payoffAtExpiry(put, 300)).toBeCloseTo(-300, 9);
  });

  it("a written call keeps the premium below the strike and loses without bound above the breakeven", () => {
    const short = { ...call, quantity: -1 };
    expect(payoffAtExpiry(short, 240)).toBeCloseTo(450, 9);
    expect(breakeven(short)).toBe(254.5);
    expect(payoffAtExpiry(short, 254.5)).toBeCloseTo(0, 9);
    expect(payoffAtExpiry(short, 300)).toBeCloseTo(-4_550, 9);
  });

  it("a put bought for its whole strike has no breakeven", () => {
    expect(breakeven({ right: "put", strike: 5, premium: 5 })).toBeNull();
  });
});

describe("payoff today", () => {
  it("is the engine's Black-Scholes-Merton price of a call less its premium, × 100 × q", () => {
    const bsm = blackScholesMerton({ right: "call", spot: 248, strike: 250, years: 16 / 365, rate: 0.04, volatility: 0.25 }).price;
    expect(payoffToday(call, 248)).toBeCloseTo((bsm - 4.5) * 200, 9);
  });

  it("a long option is worth at least its value at expiry before it (time value), and the same at expiry", () => {
    for (const p of [call, put]) {
      for (const s of [150, 230, 240, 250, 270, 350]) expect(payoffToday(p, s)).toBeGreaterThanOrEqual(payoffAtExpiry(p, s) - 1e-6);
      const expired = { ...p, daysToExpiry: 0 };
      for (const s of [150, 245, 350]) expect(payoffToday(expired, s)).toBeCloseTo(payoffAtExpiry(expired, s), 6);
    }
  });

  it("an American put deep in the money is worth its intrinsic value now (exercised early), not less", () => {
    expect(payoffToday(put, 100)).toBeCloseTo(payoffAtExpiry(put, 100), 6);
  });
});

describe("payoffCurve", () => {
  it("spans the spot, the strike and the breakeven, sorted, the strike among the prices", () => {
    const { points, breakeven: be } = payoffCurve(call);
    expect(be).toBe(254.5);
    const prices = points.map((p) => p.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(prices).toContain(250);
    expect(prices[0]!).toBeLessThan(248);
    expect(prices.at(-1)!).toBeGreaterThan(254.5);
    const at = points.find((p) => p.price === 250)!;
    expect(at.atExpiry).toBe(-900);
  });
});
