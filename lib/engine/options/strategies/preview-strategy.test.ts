import { describe, expect, it } from "vitest";
import { previewStrategy } from "./preview-strategy";
import { strategyGreeks } from "./strategy-greeks";
import { netPriceAtQuotes, netPriceOf } from "./strategy-net-price";
import { payoffCurve } from "./strategy-payoff";
import { buy, call, FEB, parsed, put, sell, usd } from "./test-helpers";

describe("net prices from the legs", () => {
  const condor = parsed([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))]);
  const quotes = new Map([
    [put(160), { bid: usd(0.55), ask: usd(0.65) }],
    [put(170), { bid: usd(1.45), ask: usd(1.55) }],
    [call(180), { bid: usd(1.55), ask: usd(1.65) }],
    [call(190), { bid: usd(0.45), ask: usd(0.55) }],
  ]);

  it("bought legs at the ask, sold at the bid: the condor's credit is 1.45 + 1.55 − 0.65 − 0.55 = 1.80", () => {
    expect(netPriceAtQuotes(condor, quotes)).toEqual({ ok: true, value: usd(-1.8) });
  });

  it("ratios multiply, a stock leg counts per 100 shares, a missing price is named", () => {
    const fly = parsed([buy(call(95)), sell(call(100), 2), buy(call(105))]);
    const mids = new Map([[call(95), usd(6.1)], [call(100), usd(3.2)], [call(105), usd(1.4)]]);
    expect(netPriceOf(fly, (l) => mids.get(l.symbol))).toEqual({ ok: true, value: usd(6.1 - 6.4 + 1.4) });
    const covered = parsed([buy("XYZ", 100), sell(call(105))]);
    expect(netPriceOf(covered, (l) => (l.kind === "stock" ? usd(100) : usd(2)))).toEqual({ ok: true, value: usd(98) });
    const missing = netPriceAtQuotes(covered, quotes);
    expect(missing.ok ? null : [missing.error.code, missing.error.message]).toEqual(["MISSING_PRICE", "no price for XYZ, needed for the strategy's net price"]);
  });
});

describe("previewStrategy", () => {
  it("legs and a net price: the shape and the profile, or the refusal", () => {
    const p = previewStrategy([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))], usd(-3));
    expect(p.ok && [p.value.shape.name, p.value.profile.maxLoss, p.value.profile.breakevens]).toEqual(["iron_condor", usd(700), [usd(167), usd(183)]]);
    const wrongSign = previewStrategy([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))], usd(3));
    expect(wrongSign.ok ? null : wrongSign.error.code).toBe("INVALID_ORDER_PRICE");
    const fiveLegs = previewStrategy([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190)), buy(call(200))], usd(-3));
    expect(fiveLegs.ok ? null : fiveLegs.error.code).toBe("INVALID_LEGS");
  });
});

describe("strategy Greeks and the payoff curve", () => {
  const g = (delta: number, gamma: number, thetaPerYear: number, vegaPerUnit: number, rhoPerUnit: number) =>
    ({ delta, gamma, thetaPerYear, thetaPerDay: thetaPerYear / 365, vegaPerUnit, vegaPerPoint: vegaPerUnit / 100, rhoPerUnit, rhoPerPoint: rhoPerUnit / 100 });

  it("Greeks add by ratio and side; shares add delta only", () => {
    const legs = parsed([buy("XYZ", 100), buy(call(95)), sell(call(100), 2)]);
    const byLeg = new Map([[call(95), g(0.7, 0.03, -10, 0.2, 0.1)], [call(100), g(0.5, 0.04, -12, 0.25, 0.08)]]);
    const r = strategyGreeks(legs, (s) => byLeg.get(s));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.delta).toBeCloseTo(1 + 0.7 - 1.0, 12);
    expect(r.value.gamma).toBeCloseTo(0.03 - 0.08, 12);
    expect(r.value.thetaPerDay).toBeCloseTo((-10 + 24) / 365, 12);
    expect(r.value.vegaPerPoint).toBeCloseTo((0.2 - 0.5) / 100, 12);
    const missing = strategyGreeks(legs, () => undefined);
    expect(missing.ok ? null : missing.error.message).toBe(`no Greeks for ${call(95)}, needed for the strategy's Greeks`);
  });

  it("the payoff curve: the ends and the strikes between, exact", () => {
    const condor = parsed([buy(put(160)), sell(put(170)), sell(call(180)), buy(call(190))]);
    expect(payoffCurve(condor, usd(-3), usd(150), usd(185))?.map((p) => [Number(p.price) / 1e6, Number(p.payoff) / 1e6])).toEqual([
      [150, -700],
      [160, -700],
      [170, 300],
      [180, 300],
      [185, -200],
    ]);
    expect(payoffCurve(parsed([sell(call(100)), buy(call(100, FEB))]), usd(1), usd(90), usd(110))).toBeNull();
  });
});
