import { describe, expect, it } from "vitest";
import type { StrategyLeg } from "./legs";
import { payoffAtExpiry } from "./strategy-payoff";
import { netPriceProblem, strategyProfile } from "./strategy-profile";
import { buy, call, FEB, parsed, put, sell, usd } from "./test-helpers";

const profile = (legs: readonly StrategyLeg[], net: number) => {
  const p = strategyProfile(parsed(legs), usd(net));
  const d = (m: bigint | null) => (m === null ? null : Number(m) / 1e6);
  return { maxProfit: d(p.maxProfit), maxLoss: d(p.maxLoss), breakevens: p.breakevens.map((b) => Number(b) / 1e6), note: p.note };
};

describe("strategyProfile: per unit, in dollars (× 100), from the payoff at expiry", () => {
  it("a call debit vertical 100/105 bought at 2.00: +$300, −$200, even at 102", () => {
    expect(profile([buy(call(100)), sell(call(105))], 2)).toEqual({ maxProfit: 300, maxLoss: 200, breakevens: [102], note: null });
  });

  it("an iron condor 160/170/180/190 for a credit of 3.00: +$300, −$700, even at 167 and 183", () => {
    expect(profile([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))], -3)).toEqual({ maxProfit: 300, maxLoss: 700, breakevens: [167, 183], note: null });
  });

  it("a long straddle has unlimited profit, a short strangle unlimited loss", () => {
    expect(profile([buy(call(100)), buy(put(100))], 6)).toEqual({ maxProfit: null, maxLoss: 600, breakevens: [94, 106], note: null });
    expect(profile([sell(call(110)), sell(put(90))], -4)).toEqual({ maxProfit: 400, maxLoss: null, breakevens: [86, 114], note: null });
  });

  it("a long call butterfly 95/100/105 at 1.50: +$350, −$150, even at 96.50 and 103.50", () => {
    expect(profile([buy(call(95)), sell(call(100), 2), buy(call(105))], 1.5)).toEqual({ maxProfit: 350, maxLoss: 150, breakevens: [96.5, 103.5], note: null });
  });

  it("with shares: the net price is the stock's price ± the options' (a unit of 100 shares counts it once)", () => {
    // Covered call: bought at 100, the 105 call sold at 2 → 98; at most 105 − 98 = 7 a share, at worst 98 (the stock at 0).
    expect(profile([buy("XYZ", 100), sell(call(105))], 98)).toEqual({ maxProfit: 700, maxLoss: 9_800, breakevens: [98], note: null });
    // Protective put: 100 + 3 for the 95 put → loses at most 103 − 95 = 8 a share; gains without limit.
    expect(profile([buy("XYZ", 100), buy(put(95))], 103)).toEqual({ maxProfit: null, maxLoss: 800, breakevens: [103], note: null });
    // Collar: 100 + 3 (95 put) − 2 (105 call) = 101 → +4, −6 a share.
    expect(profile([buy("XYZ", 100), buy(put(95)), sell(call(105))], 101)).toEqual({ maxProfit: 400, maxLoss: 600, breakevens: [101], note: null });
  });

  it("two expiries: a long calendar loses at most its debit, the rest is not modelled (null, with the reason)", () => {
    const long = profile([sell(call(100)), buy(call(100, FEB))], 1.5);
    expect([long.maxProfit, long.maxLoss, long.breakevens]).toEqual([null, 150, []]);
    expect(long.note).toBe("legs on two expiries: the later leg's value at the first expiry (its time value) is not modelled; a long calendar can lose at most its debit");
    expect(profile([buy(call(100)), sell(call(100, FEB))], -1.5)).toMatchObject({ maxProfit: null, maxLoss: null, breakevens: [] });
    expect(payoffAtExpiry(parsed([sell(call(100)), buy(call(100, FEB))]), usd(100), usd(1.5))).toBeNull();
  });

  it("payoffAtExpiry: the legs' value at expiry less the net price × 100", () => {
    const condor = parsed([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))]);
    expect([150, 165, 175, 185, 200].map((s) => Number(payoffAtExpiry(condor, usd(s), usd(-3))) / 1e6)).toEqual([-700, -200, 300, -200, -700]);
  });
});

describe("netPriceProblem", () => {
  it("a credit shape given a debit, and a debit shape given a credit, in words", () => {
    expect(netPriceProblem(parsed([sell(call(100)), buy(call(105))]), usd(1.2))).toBe(
      "a call credit vertical is sold for a credit (a negative net price, received); $1.20 would pay a debit for it: give the least credit you will take as a negative limit, e.g. -$1.20",
    );
    expect(netPriceProblem(parsed([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))]), usd(3))).toMatch(/^an iron condor is sold for a credit/);
    expect(netPriceProblem(parsed([buy(call(100)), sell(call(105))]), usd(-1))).toBe(
      "a call debit vertical is bought for a debit (a positive net price, paid); -$1.00 would be a credit received for it: give the most you will pay as a positive limit, e.g. $1.00",
    );
  });

  it("a price at which every outcome loses, or every outcome gains", () => {
    expect(netPriceProblem(parsed([buy(call(100)), sell(call(105))]), usd(6))).toBe(
      "at a net price of $6.00 the call debit vertical loses at every price at expiry ($100.00 a unit at best): the legs are never worth more than $5.00 a share at expiry",
    );
    expect(netPriceProblem(parsed([sell(call(100)), buy(call(105))]), usd(-6))).toBe(
      "at a net price of -$6.00 the call credit vertical gains at every price at expiry ($100.00 a unit at least), a price no one takes: settling the legs costs at most $5.00 a share, less than the credit",
    );
  });

  it("accepts a price of the shape's sign, zero, and either sign for a custom shape", () => {
    expect(netPriceProblem(parsed([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))]), usd(-3))).toBeNull();
    expect(netPriceProblem(parsed([buy(call(100)), sell(call(105))]), 0n)).toBeNull();
    expect(netPriceProblem(parsed([buy(call(100)), sell(put(100))]), usd(-0.5))).toBeNull();
    expect(netPriceProblem(parsed([buy(call(100)), sell(put(100))]), usd(0.5))).toBeNull();
  });
});
