import { describe, expect, it } from "vitest";
import { previewStrategy } from "./preview-strategy";
import { netPriceAtQuotes, netPriceOf } from "./strategy-net-price";
import { buy, call, parsed, put, sell, usd } from "./test-helpers";

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
