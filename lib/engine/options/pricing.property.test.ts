import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crrPrice } from "./binomial-tree";
import { black76, blackScholesMerton, bsmPrice } from "./black-scholes";
import { impliedVolatility, IV_MAX, IV_MIN, IV_TOLERANCE, type VolatilityModel } from "./implied-volatility";
import type { OptionModelInputs } from "./model-inputs";

/**
 * Properties over random inputs (seeded, so a failure reproduces): the analytic Greeks equal central finite
 * differences of the price, put-call parity holds with a dividend yield, the American tree is worth at least
 * the European, and implied volatility round trips (price → σ → price) or refuses an arbitrage price.
 */
const right = fc.constantFrom("call" as const, "put" as const);
const market = fc.record({
  right,
  spot: fc.double({ min: 5, max: 500, noNaN: true }),
  moneyness: fc.double({ min: 0.6, max: 1.5, noNaN: true }),
  years: fc.double({ min: 0.02, max: 3, noNaN: true }),
  rate: fc.double({ min: -0.01, max: 0.12, noNaN: true }),
  dividendYield: fc.double({ min: 0, max: 0.08, noNaN: true }),
  volatility: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
});
type Market = typeof market extends fc.Arbitrary<infer T> ? T : never;
const inputsOf = (m: Market): OptionModelInputs => ({
  right: m.right,
  spot: m.spot,
  strike: m.spot * m.moneyness,
  years: m.years,
  rate: m.rate,
  dividendYield: m.dividendYield,
  volatility: m.volatility,
});
const SEED = { seed: 23 };

/** Central difference of f at x with step h. */
const central = (f: (x: number) => number, x: number, h: number) => (f(x + h) - f(x - h)) / (2 * h);
const close = (what: string, got: number, want: number, relative: number, absolute: number) =>
  expect(Math.abs(got - want), `${what}: got ${got}, finite difference ${want}`).toBeLessThanOrEqual(relative * Math.abs(want) + absolute);

describe("Greeks against central finite differences", () => {
  it("Black-Scholes-Merton: delta, gamma, theta, vega and rho (q held) to 1e-5 relative", () => {
    fc.assert(
      fc.property(market, (m) => {
        const i = inputsOf(m);
        const g = blackScholesMerton(i).greeks;
        const at = (change: Partial<OptionModelInputs>) => bsmPrice({ ...i, ...change });
        // Steps scaled to the distribution's width S σ √T: truncation ~1e-8 relative, rounding ~1e-11.
        const hS = i.spot * i.volatility * Math.sqrt(i.years) * 1e-4;
        close("delta", g.delta, central((spot) => at({ spot }), i.spot, hS), 1e-5, 1e-9);
        close("gamma", g.gamma, central((spot) => blackScholesMerton({ ...i, spot }).greeks.delta, i.spot, hS), 1e-5, 1e-9);
        const hT = Math.min(1e-5, i.years / 4);
        close("thetaPerYear", g.thetaPerYear, -central((years) => at({ years }), i.years, hT), 1e-5, 1e-5);
        close("thetaPerDay", g.thetaPerDay * 365, g.thetaPerYear, 1e-12, 1e-300);
        close("vegaPerUnit", g.vegaPerUnit, central((volatility) => at({ volatility }), i.volatility, 1e-5), 1e-5, 1e-6);
        close("vegaPerPoint", g.vegaPerPoint * 100, g.vegaPerUnit, 1e-12, 1e-300);
        close("rhoPerUnit", g.rhoPerUnit, central((rate) => at({ rate }), i.rate, 1e-6), 1e-5, 1e-6);
      }),
      { ...SEED, numRuns: 500 },
    );
  });

  it("Black-76: delta and gamma in the futures price, theta, vega, and rho with F held", () => {
    fc.assert(
      fc.property(market, (m) => {
        const i = { right: m.right, forward: m.spot, strike: m.spot * m.moneyness, years: m.years, rate: m.rate, volatility: m.volatility };
        const g = black76(i).greeks;
        const at = (change: Partial<typeof i>) => black76({ ...i, ...change }).price;
        const h = i.forward * i.volatility * Math.sqrt(i.years) * 1e-4;
        close("delta", g.delta, central((forward) => at({ forward }), i.forward, h), 1e-5, 1e-9);
        close("gamma", g.gamma, central((forward) => black76({ ...i, forward }).greeks.delta, i.forward, h), 1e-5, 1e-9);
        close("thetaPerYear", g.thetaPerYear, -central((years) => at({ years }), i.years, Math.min(1e-5, i.years / 4)), 1e-5, 1e-5);
        close("vegaPerUnit", g.vegaPerUnit, central((volatility) => at({ volatility }), i.volatility, 1e-5), 1e-5, 1e-6);
        close("rhoPerUnit", g.rhoPerUnit, central((rate) => at({ rate }), i.rate, 1e-6), 1e-5, 1e-6);
      }),
      { ...SEED, numRuns: 300 },
    );
  });
});

describe("put-call parity", () => {
  it("Black-Scholes-Merton with a dividend yield: C − P = S e^(−qT) − K e^(−rT), and Δc − Δp = e^(−qT)", () => {
    fc.assert(
      fc.property(market, (m) => {
        const i = inputsOf(m);
        const c = blackScholesMerton({ ...i, right: "call" });
        const p = blackScholesMerton({ ...i, right: "put" });
        const forwardValue = i.spot * Math.exp(-m.dividendYield * i.years) - i.strike * Math.exp(-i.rate * i.years);
        expect(Math.abs(c.price - p.price - forwardValue)).toBeLessThanOrEqual(1e-12 * (i.spot + i.strike));
        expect(Math.abs(c.greeks.delta - p.greeks.delta - Math.exp(-m.dividendYield * i.years))).toBeLessThanOrEqual(1e-14);
        expect(c.greeks.gamma).toBe(p.greeks.gamma);
        expect(c.greeks.vegaPerUnit).toBe(p.greeks.vegaPerUnit);
      }),
      { ...SEED, numRuns: 1000 },
    );
  });

  it("Black-76: C − P = e^(−rT) (F − K)", () => {
    fc.assert(
      fc.property(market, (m) => {
        const i = { forward: m.spot, strike: m.spot * m.moneyness, years: m.years, rate: m.rate, volatility: m.volatility };
        const parity = Math.exp(-i.rate * i.years) * (i.forward - i.strike);
        expect(Math.abs(black76({ ...i, right: "call" }).price - black76({ ...i, right: "put" }).price - parity)).toBeLessThanOrEqual(1e-12 * (i.forward + i.strike));
      }),
      { ...SEED, numRuns: 1000 },
    );
  });
});

describe("American against European (tree)", () => {
  it("an American option is worth at least the European and at least its intrinsic value; without dividends an American call equals the European", () => {
    fc.assert(
      fc.property(market, (m) => {
        const i = inputsOf(m);
        const american = crrPrice(i, { exercise: "american", steps: 100 });
        const european = crrPrice(i, { exercise: "european", steps: 100 });
        expect(american).toBeGreaterThanOrEqual(european);
        expect(american).toBeGreaterThanOrEqual(Math.max(0, i.right === "call" ? i.spot - i.strike : i.strike - i.spot));
        const noDividend = { ...i, right: "call" as const, dividendYield: 0, rate: Math.max(0, i.rate) };
        const a = crrPrice(noDividend, { exercise: "american", steps: 100 });
        expect(Math.abs(a - crrPrice(noDividend, { exercise: "european", steps: 100 }))).toBeLessThanOrEqual(1e-12 * noDividend.spot);
      }),
      { ...SEED, numRuns: 200 },
    );
  });
});

describe("implied volatility", () => {
  const models: [string, VolatilityModel, number][] = [
    ["Black-Scholes-Merton", { model: "black-scholes-merton" }, 500],
    ["Black-76", { model: "black-76" }, 300],
    ["American tree (100 steps)", { model: "binomial-tree", exercise: "american", steps: 100 }, 60],
  ];
  const priceWith = (i: OptionModelInputs, model: VolatilityModel): number => {
    if (model.model === "black-scholes-merton") return bsmPrice(i);
    if (model.model === "black-76") return black76({ right: i.right, forward: i.spot, strike: i.strike, years: i.years, rate: i.rate, volatility: i.volatility }).price;
    return crrPrice(i, model);
  };

  /** The no-arbitrage lower bound: the discounted forward's intrinsic value, and for American options the intrinsic value. */
  const lowerBound = (i: OptionModelInputs, model: VolatilityModel): number => {
    const q = model.model === "black-76" ? i.rate : (i.dividendYield ?? 0);
    const forward = i.spot * Math.exp(-q * i.years) - i.strike * Math.exp(-i.rate * i.years);
    const european = Math.max(0, i.right === "call" ? forward : -forward);
    const intrinsic = Math.max(0, i.right === "call" ? i.spot - i.strike : i.strike - i.spot);
    return model.model === "binomial-tree" && model.exercise === "american" ? Math.max(european, intrinsic) : european;
  };

  it.each(models)("%s: price → σ → the same price (to vega × 3e-10), and σ itself where vega is not tiny", (_name, model, numRuns) => {
    let worstPrice = 0;
    let worstSigma = 0;
    fc.assert(
      fc.property(market, (m) => {
        const i = inputsOf({ ...m, volatility: Math.min(m.volatility, 1.2) });
        const price = priceWith(i, model);
        fc.pre(price - lowerBound(i, model) > 1e-6 * i.spot); // no time value left: σ is not identified
        const r = impliedVolatility(price, i, model);
        if (!r.ok) throw new Error(`refused a model price: ${r.error.message}`);
        const back = priceWith({ ...i, volatility: r.value }, model);
        worstPrice = Math.max(worstPrice, Math.abs(back - price));
        // σ is found to IV_TOLERANCE (1e-10), so the price to about vega × 1e-10 (the tree's vega is near the formula's).
        const vega = (model.model === "black-76" ? black76({ ...i, forward: i.spot }) : blackScholesMerton(i)).greeks.vegaPerUnit;
        expect(Math.abs(back - price)).toBeLessThanOrEqual(3 * IV_TOLERANCE * vega + 1e-11 * Math.max(1, price));
        if (model.model !== "binomial-tree" && vega > 1e-3 * i.spot) {
          worstSigma = Math.max(worstSigma, Math.abs(r.value - i.volatility));
          expect(Math.abs(r.value - i.volatility)).toBeLessThanOrEqual(1e-7);
        }
      }),
      { ...SEED, numRuns },
    );
    console.log(`implied volatility, ${_name}: worst price error ${worstPrice.toExponential(3)}, worst σ error ${worstSigma.toExponential(3)}`);
  });

  it("refuses a price below the no-arbitrage lower bound, naming it (random inputs)", () => {
    fc.assert(
      fc.property(market, fc.double({ min: 0.001, max: 5, noNaN: true }), (m, below) => {
        const i = { ...inputsOf(m), right: "call" as const, strike: m.spot * 0.7 };
        const bound = i.spot * Math.exp(-m.dividendYield * i.years) - i.strike * Math.exp(-i.rate * i.years);
        const r = impliedVolatility(Math.max(0, bound - below), i, { model: "black-scholes-merton" });
        expect(!r.ok && r.error.code).toBe("NO_IMPLIED_VOLATILITY");
        expect(!r.ok && r.error.message).toMatch(/is below the discounted forward intrinsic value \$\d|at or below .* lowest volatility searched/);
      }),
      { ...SEED, numRuns: 300 },
    );
  });

  it("says which bound a refused price breaks", () => {
    const i = { right: "call" as const, spot: 42, strike: 40, years: 0.5, rate: 0.1 };
    const cases: [number, VolatilityModel, string][] = [
      [1.5, { model: "black-scholes-merton" }, "no implied volatility: the price $1.5000 is below the discounted forward intrinsic value $3.9508, an arbitrage: no volatility fits"],
      [42, { model: "black-scholes-merton" }, "the price $42.0000 is at or above the discounted stock price $42.0000, an arbitrage"],
      [1.5, { model: "binomial-tree", exercise: "american", steps: 50 }, "is below the intrinsic value (or discounted forward value) $3.9508"],
      [42 - 40 * Math.exp(-0.05), { model: "black-scholes-merton" }, `the model's price at the lowest volatility searched (${IV_MIN} = 0.01 %)`],
      [41.9, { model: "black-scholes-merton" }, `above $38.9187, the model's price at the highest volatility searched (${IV_MAX} = 500 %): no volatility in [0.0001, 5] fits`],
      [-1, { model: "black-scholes-merton" }, "the option price must be a finite number of dollars ≥ 0, got -1"],
      [Number.NaN, { model: "black-scholes-merton" }, "got NaN"],
    ];
    for (const [price, model, words] of cases) {
      const r = impliedVolatility(price, i, model);
      expect(r.ok ? "fitted" : r.error.code).toBe("NO_IMPLIED_VOLATILITY");
      expect(!r.ok && r.error.message).toContain(words);
    }
    const expired = impliedVolatility(2, { ...i, years: 0 }, { model: "black-scholes-merton" });
    expect(!expired.ok && expired.error.message).toContain("at expiry (years = 0) an option is worth its intrinsic value");
    const put = impliedVolatility(40, { ...i, right: "put" }, { model: "binomial-tree", exercise: "american", steps: 50 });
    expect(!put.ok && put.error.message).toContain("at or above the strike $40.0000");
    expect(impliedVolatility(1, { ...i, spot: -1 }, { model: "black-scholes-merton" })).toMatchObject({ ok: false, error: { message: expect.stringContaining("spot must be a finite price above 0") } });
  });

  it("fits Hull's S=42 call (4.7594) back to σ = 20 % and the American put (4.2830 on 500 steps) back to 40 %", () => {
    const r = impliedVolatility(4.759422392871542, { right: "call", spot: 42, strike: 40, years: 0.5, rate: 0.1 }, { model: "black-scholes-merton" });
    expect(r.ok && r.value).toBeCloseTo(0.2, 10);
    const tree: VolatilityModel = { model: "binomial-tree", exercise: "american", steps: 500 };
    const inputs = { right: "put" as const, spot: 50, strike: 50, years: 5 / 12, rate: 0.1 };
    const a = impliedVolatility(crrPrice({ ...inputs, volatility: 0.4 }, tree as never), inputs, tree);
    expect(a.ok && a.value).toBeCloseTo(0.4, 8);
  });
});
