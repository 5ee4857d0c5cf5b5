import { describe, expect, it } from "vitest";
import { EngineError } from "../errors";
import { crrPrice, crrTree } from "./binomial-tree";
import { black76, blackScholesMerton } from "./black-scholes";
import type { OptionModelInputs } from "./model-inputs";

/**
 * Published textbook values. Sources:
 *  HULL = J. C. Hull, Options, Futures, and Other Derivatives (8th ed., 2012): the Black-Scholes-Merton example
 *         of ch. 15 (S=42), the Greek-letter examples of ch. 19 (S=49, 20 weeks = 0.3846 years), the crude-oil
 *         futures put of ch. 18 (Black's model) and the American put of ch. 21 (basic numerical procedures: binomial trees).
 *         Hull prints 2 or 3 decimals (c = 4.76, p = 0.81; Δ = 0.522, Γ = 0.066, vega 12.1, Θ = −4.31 a year,
 *         ρ = 8.91); the 4-decimal values below are those of issue #23, which round the same formulas.
 *  HAUG = E. G. Haug, The Complete Guide to Option Pricing Formulas (2nd ed., 2007): 1.1.1 (Black-Scholes),
 *         1.1.2 (Merton, dividend yield), 1.1.3 (Black-76) and the Greek examples of 2.1 (b = carry = r − q).
 * Each value is checked to half a unit of its last published digit: 4 decimals → 5e-5.
 */
const call = (i: Omit<OptionModelInputs, "right">): OptionModelInputs => ({ ...i, right: "call" });
const put = (i: Omit<OptionModelInputs, "right">): OptionModelInputs => ({ ...i, right: "put" });
const digits = (n: number) => 0.5 * 10 ** -n;

describe("Black-Scholes-Merton against published values", () => {
  it("HULL ch. 15: S=42, K=40, T=0.5, r=10 %, σ=20 %: call 4.7594, put 0.8086", () => {
    const inputs = { spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 };
    expect(Math.abs(blackScholesMerton(call(inputs)).price - 4.7594)).toBeLessThanOrEqual(digits(4));
    expect(Math.abs(blackScholesMerton(put(inputs)).price - 0.8086)).toBeLessThanOrEqual(digits(4));
  });

  it("HULL ch. 19: S=49, K=50, T=0.3846, r=5 %, σ=20 %: call 2.4005, Δ 0.5216, Γ 0.0655, vega 12.105, ρ 8.9066, Θ −4.31 a year", () => {
    const v = blackScholesMerton(call({ spot: 49, strike: 50, years: 0.3846, rate: 0.05, volatility: 0.2 }));
    expect(Math.abs(v.price - 2.4005)).toBeLessThanOrEqual(digits(4));
    expect(Math.abs(v.greeks.delta - 0.5216)).toBeLessThanOrEqual(digits(4));
    expect(Math.abs(v.greeks.gamma - 0.0655)).toBeLessThanOrEqual(digits(4));
    expect(Math.abs(v.greeks.vegaPerUnit - 12.105)).toBeLessThanOrEqual(digits(3));
    expect(Math.abs(v.greeks.vegaPerPoint - 0.12105)).toBeLessThanOrEqual(digits(5));
    expect(Math.abs(v.greeks.rhoPerUnit - 8.9066)).toBeLessThanOrEqual(digits(4));
    expect(Math.abs(v.greeks.rhoPerPoint - 0.089066)).toBeLessThanOrEqual(digits(6));
    // Hull: Θ = −4.31 a year, "−0.0118 per calendar day" (÷ 365); the formula gives −4.3054.
    expect(Math.abs(v.greeks.thetaPerYear - -4.31)).toBeLessThanOrEqual(digits(2));
    expect(Math.abs(v.greeks.thetaPerDay - -0.0118)).toBeLessThanOrEqual(digits(4));
  });

  it("HAUG 1.1.1: call S=60, K=65, T=0.25, r=8 %, σ=30 % is 2.1334; 1.1.2: put S=100, K=95, T=0.5, r=10 %, q=5 %, σ=20 % is 2.4648", () => {
    expect(Math.abs(blackScholesMerton(call({ spot: 60, strike: 65, years: 0.25, rate: 0.08, volatility: 0.3 })).price - 2.1334)).toBeLessThanOrEqual(digits(4));
    const merton = put({ spot: 100, strike: 95, years: 0.5, rate: 0.1, dividendYield: 0.05, volatility: 0.2 });
    expect(Math.abs(blackScholesMerton(merton).price - 2.4648)).toBeLessThanOrEqual(digits(4));
  });

  it("HAUG 2.1: gamma 0.0278 (S=55, K=60, T=0.75, r=b=10 %, σ=30 %); put theta −31.1924 a year (S=430, K=405, T=0.0833, r=7 %, b=2 %, σ=20 %); call rho 38.7325 (S=72, K=75, T=1, r=b=9 %, σ=19 %)", () => {
    expect(Math.abs(blackScholesMerton(call({ spot: 55, strike: 60, years: 0.75, rate: 0.1, volatility: 0.3 })).greeks.gamma - 0.0278)).toBeLessThanOrEqual(digits(4));
    const theta = blackScholesMerton(put({ spot: 430, strike: 405, years: 0.0833, rate: 0.07, dividendYield: 0.05, volatility: 0.2 })).greeks.thetaPerYear;
    expect(Math.abs(theta - -31.1924)).toBeLessThanOrEqual(digits(4));
    expect(Math.abs(blackScholesMerton(call({ spot: 72, strike: 75, years: 1, rate: 0.09, volatility: 0.19 })).greeks.rhoPerUnit - 38.7325)).toBeLessThanOrEqual(digits(4));
  });

  it("at expiry or with no volatility the option is worth its (discounted forward) intrinsic value", () => {
    expect(blackScholesMerton(call({ spot: 42, strike: 40, years: 0, rate: 0.1, volatility: 0.2 })).price).toBe(2);
    expect(blackScholesMerton(put({ spot: 42, strike: 40, years: 0, rate: 0.1, volatility: 0.2 })).price).toBe(0);
    const flat = blackScholesMerton(call({ spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0 }));
    expect(flat.price).toBeCloseTo(42 - 40 * Math.exp(-0.05), 12);
    expect([flat.greeks.delta, flat.greeks.gamma, flat.greeks.vegaPerUnit]).toEqual([1, 0, 0]);
  });

  it.each([
    [{ spot: -1 }, "spot must be a finite price above 0, got -1"],
    [{ strike: Number.NaN }, "strike must be a finite price above 0, got NaN"],
    [{ years: -0.1 }, "years must be from 0 to 100"],
    [{ rate: 5 }, "rate must be a yearly fraction from −1 to 1 (0.05 = 5 %), got 5"],
    [{ volatility: 20 }, "volatility must be from 0 to 10 per √year (0.2 = 20 %), got 20"],
  ])("throws INVALID_MODEL_INPUT (a halt) for %j", (change, words) => {
    const bad = { ...call({ spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 }), ...change };
    expect(() => blackScholesMerton(bad)).toThrow(words);
    try {
      blackScholesMerton(bad);
    } catch (e) {
      expect(e instanceof EngineError && [e.code, e.kind]).toEqual(["INVALID_MODEL_INPUT", "halt"]);
    }
  });
});

describe("Black-76 against published values", () => {
  it("HAUG 1.1.3: F=19, K=19, T=0.75, r=10 %, σ=28 %: call = put = 1.7011", () => {
    const i = { forward: 19, strike: 19, years: 0.75, rate: 0.1, volatility: 0.28 };
    expect(Math.abs(black76({ ...i, right: "call" }).price - 1.7011)).toBeLessThanOrEqual(digits(4));
    expect(Math.abs(black76({ ...i, right: "put" }).price - 1.7011)).toBeLessThanOrEqual(digits(4));
  });

  it("HULL ch. 18: crude-oil futures put F=20, K=20, T=4/12, r=9 %, σ=25 % is $1.12", () => {
    expect(Math.abs(black76({ right: "put", forward: 20, strike: 20, years: 4 / 12, rate: 0.09, volatility: 0.25 }).price - 1.12)).toBeLessThanOrEqual(digits(2));
  });

  it("HAUG 2.1: futures option F=105, K=100, T=0.5, r=10 %, σ=36 %: call delta 0.5946, put delta −0.3566; rho = −T × price", () => {
    const i = { forward: 105, strike: 100, years: 0.5, rate: 0.1, volatility: 0.36 };
    const c = black76({ ...i, right: "call" });
    expect(Math.abs(c.greeks.delta - 0.5946)).toBeLessThanOrEqual(digits(4));
    expect(Math.abs(black76({ ...i, right: "put" }).greeks.delta - -0.3566)).toBeLessThanOrEqual(digits(4));
    expect(c.greeks.rhoPerUnit).toBeCloseTo(-0.5 * c.price, 12);
  });
});

describe("Cox-Ross-Rubinstein tree", () => {
  const hullPut = put({ spot: 50, strike: 50, years: 5 / 12, rate: 0.1, volatility: 0.4 });

  it("HULL ch. 21: the American put S=K=50, r=10 %, σ=40 %, T=5/12 is 4.49 on 5 steps, 4.263, 4.272, 4.278, 4.283 on 30, 50, 100, 500", () => {
    const published: [number, number, number][] = [[5, 4.49, 2], [30, 4.263, 3], [50, 4.272, 3], [100, 4.278, 3], [500, 4.283, 3]];
    for (const [steps, value, places] of published) {
      expect(Math.abs(crrPrice(hullPut, { exercise: "american", steps }) - value)).toBeLessThanOrEqual(digits(places));
    }
  });

  it("converges towards 4.284 as steps grow; averaging odd and even step counts removes most of the oscillation", () => {
    const limit = 4.2842; // the 5000-step odd/even average, 4.28427, to 4 decimals
    const plain: string[] = [];
    const averaged: string[] = [];
    let lastError = Number.POSITIVE_INFINITY;
    for (const steps of [25, 50, 100, 200, 400, 800, 1600, 3200]) {
      const p = crrPrice(hullPut, { exercise: "american", steps });
      const a = crrPrice(hullPut, { exercise: "american", steps, averageOddEven: true });
      plain.push(`${steps}: ${p.toFixed(5)}`);
      averaged.push(`${steps}: ${a.toFixed(5)}`);
      const error = Math.abs(p - limit);
      expect(error).toBeLessThan(lastError);
      lastError = error;
      expect(Math.abs(a - limit)).toBeLessThan(Math.max(error, 2e-4));
    }
    console.log(`CRR American put, plain: ${plain.join(", ")}\n                averaged: ${averaged.join(", ")}`);
    expect(lastError).toBeLessThan(3e-4);
  });

  it("an American call on a stock without dividends is worth the European call (no early exercise): tree = tree, and ≈ Black-Scholes", () => {
    const c = call({ spot: 49, strike: 50, years: 0.3846, rate: 0.05, volatility: 0.2 });
    const american = crrPrice(c, { exercise: "american", steps: 1000 });
    expect(american).toBe(crrPrice(c, { exercise: "european", steps: 1000 }));
    expect(Math.abs(american - blackScholesMerton(c).price)).toBeLessThan(2e-3);
    expect(Math.abs(crrPrice(c, { exercise: "european", steps: 1000, averageOddEven: true }) - blackScholesMerton(c).price)).toBeLessThan(2e-4);
  });

  it("the European tree converges to Black-Scholes-Merton with a dividend yield; the tree's Greeks approach the formula's", () => {
    const i = put({ spot: 100, strike: 95, years: 0.5, rate: 0.1, dividendYield: 0.05, volatility: 0.2 });
    const tree = crrTree(i, { exercise: "european", steps: 2000, averageOddEven: true });
    const exact = blackScholesMerton(i);
    expect(Math.abs(tree.price - exact.price)).toBeLessThan(1e-3);
    expect(Math.abs(tree.greeks.delta - exact.greeks.delta)).toBeLessThan(1e-3);
    expect(Math.abs(tree.greeks.gamma - exact.greeks.gamma)).toBeLessThan(1e-3);
    expect(Math.abs(tree.greeks.thetaPerYear - exact.greeks.thetaPerYear)).toBeLessThan(2e-2);
    // Vega and rho bump the tree (σ ± 0.01, r ± 0.001): the lattice shifts with σ, so they carry its noise.
    console.log(`tree vs formula: vega ${tree.greeks.vegaPerUnit.toFixed(4)} vs ${exact.greeks.vegaPerUnit.toFixed(4)}, rho ${tree.greeks.rhoPerUnit.toFixed(4)} vs ${exact.greeks.rhoPerUnit.toFixed(4)}`);
    expect(Math.abs(tree.greeks.vegaPerUnit - exact.greeks.vegaPerUnit)).toBeLessThan(0.02);
    expect(Math.abs(tree.greeks.rhoPerUnit - exact.greeks.rhoPerUnit)).toBeLessThan(0.02);
  });

  it("refuses steps outside 2–5000 and a zero volatility before expiry", () => {
    expect(() => crrPrice(hullPut, { exercise: "american", steps: 1 })).toThrow("steps must be a whole number from 2 to 5000, got 1");
    expect(() => crrPrice(hullPut, { exercise: "american", steps: 10.5 })).toThrow("got 10.5");
    expect(() => crrPrice({ ...hullPut, volatility: 0 }, { exercise: "american" })).toThrow("volatility must be above 0 before expiry");
    expect(crrPrice({ ...hullPut, years: 0, spot: 45 }, { exercise: "american" })).toBe(5);
  });
});
