import { describe, expect, it } from "vitest";
import { checkOrder } from "../../check-order";
import { checkWorkingOrder } from "../../check-working-order";
import { FREE_FEES } from "../../fees";
import type { Position } from "../../position";
import { call, usd } from "./test-helpers";

/** checkOrder with strategy margin: a written contract paired with a long one, and the long one's sale checked. */
const pos = (symbol: string, quantity: number): Position => ({ symbol, quantity, costBasis: 0n, realizedPnl: 0n, feesPaid: 0n });
const C100 = call(100);
const C105 = call(105);
const marks = new Map([["XYZ", usd(100)], [C100, usd(3)], [C105, usd(1)]]);
const settings = { allowShort: true, shortMarginRequirementBps: 15_000, strategyMargin: true };
const base = { fees: FREE_FEES, slippageBps: 0, settings, marks };

describe("checkOrder with strategy margin", () => {
  it("writing a call against a long call of a higher strike needs the width, not the uncovered requirement", () => {
    const account = { cash: usd(200), positions: new Map([[C105, pos(C105, 1)]]) };
    // Cash after the write: 200 + 300 = $500 = the 5-point width × 100; alone the call would need 3 + 20 = $2,300.
    const write = checkOrder({ ...base, request: { symbol: C100, side: "sell_short", quantity: 1, type: "market" }, account, price: usd(3), symbols: new Set([C100]) });
    expect(write.ok && write.value.cashAfter).toBe(usd(500));
    const alone = checkOrder({ ...base, settings: { ...settings, strategyMargin: false }, request: { symbol: C100, side: "sell_short", quantity: 1, type: "market" }, account, price: usd(3), symbols: new Set([C100]) });
    expect(alone.ok ? null : alone.error.message).toBe(
      "writing 1 contract XYZ260116C00100000 needs cash of at least $2,300.00 afterwards as collateral for the shorts ($2,300.00 for 1 uncovered XYZ260116C00100000 (call: premium + the greater of 20% of the underlying less the out-of-the-money amount and 10% of the underlying)), but cash would be $500.00; no XYZ260116C00100000 can be written now",
    );
  });

  it("selling the long leg of a credit spread is checked: it would leave the written call uncovered", () => {
    const account = { cash: usd(500), positions: new Map([[C105, pos(C105, 1)], [C100, pos(C100, -1)]]) };
    const sale = checkOrder({ ...base, request: { symbol: C105, side: "sell", quantity: 1, type: "market" }, account, price: usd(1), symbols: new Set([C105]) });
    expect(sale.ok ? null : [sale.error.code, sale.error.message]).toEqual([
      "INSUFFICIENT_MARGIN",
      "selling 1 contract XYZ260116C00105000 needs cash of at least $2,300.00 afterwards as collateral for the shorts ($2,300.00 for 1 uncovered XYZ260116C00100000 (call: premium + the greater of 20% of the underlying less the out-of-the-money amount and 10% of the underlying)), but cash would be $600.00; no XYZ260116C00105000 can be sold now",
    ]);
  });

  it("an order refused for margin names the spread's rule", () => {
    const account = { cash: usd(100), positions: new Map([[C105, pos(C105, 2)]]) };
    const write = checkOrder({ ...base, request: { symbol: C100, side: "sell_short", quantity: 2, type: "market" }, account, price: usd(3), symbols: new Set([C100]) });
    // Cash after: 100 + 600 = $700 < $1,000 (2 × 5 × 100); one contract would leave 100 + 300 = $400 < $500: none can be written.
    expect(write.ok ? null : write.error.message).toBe(
      "writing 2 contracts XYZ260116C00100000 needs cash of at least $1,000.00 afterwards as collateral for the shorts ($1,000.00 for 2 credit spread XYZ260116C00100000 / XYZ260116C00105000 (the strike difference × 100 a unit, at most the written contract alone)), but cash would be $700.00; no XYZ260116C00100000 can be written now",
    );
  });

  it("a working sale of the long leg is checked as if filled; without strategy margin it is not", () => {
    const account = { cash: usd(600), positions: new Map([[C105, pos(C105, 1)], [C100, pos(C100, -1)]]) };
    const request = { symbol: C105, side: "sell" as const, quantity: 1, type: "limit" as const, limitPrice: usd(1.2), timeInForce: "gtc" as const };
    const common = { request, id: "o1", placedAt: 0, account, working: [], lastPrices: marks, fees: FREE_FEES, slippageBps: 0, symbols: new Set([C105]) };
    const r = checkWorkingOrder({ ...common, settings });
    expect(r.ok ? null : [r.error.code, r.error.message]).toEqual([
      "INSUFFICIENT_MARGIN",
      "selling 1 XYZ260116C00105000 would leave written contracts unpaired, needing $2,300.00 of cash; cash less what open orders hold is $600.00",
    ]);
    expect(checkWorkingOrder({ ...common, settings: { ...settings, strategyMargin: false } }).ok).toBe(true);
  });
});
