import { describe, expect, it } from "vitest";
import { accountMargin, coversCalls, marginSymbols } from "./account-margin";
import { checkOrder } from "./check-order";
import { FREE_FEES } from "./fees";
import { nakedOptionRequirement } from "./options/option-margin";
import { parseOccSymbol } from "./options/occ";
import type { Position } from "./position";

const usd = (x: number) => BigInt(Math.round(x * 1_000_000));
const pos = (symbol: string, quantity: number): Position => ({ symbol, quantity, costBasis: 0n, realizedPnl: 0n, feesPaid: 0n });
const C95 = "XYZ260116C00095000";
const C105 = "XYZ260116C00105000";
const P90 = "XYZ260116P00090000";
const contract = (s: string) => {
  const c = parseOccSymbol(s);
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
};
/** An account that may short: written puts by the Reg-T rule; short stock at 150 %. */
const REG_T = { allowShort: true, shortMarginRequirementBps: 15_000 };
const prices = new Map([
  ["XYZ", usd(100)],
  [C95, usd(7.5)],
  [C105, usd(2)],
  [P90, usd(1.2)],
  ["SHRT", usd(20)],
]);

describe("accountMargin", () => {
  it("uncovered contracts by the Reg-T rule, short stock by its percentage, summed", () => {
    const m = accountMargin([pos(C105, -2), pos(P90, -1), pos("SHRT", -50)], prices, REG_T);
    if (!m.ok) throw new Error(m.error.message);
    // call 105 (5 OTM): 2 + max(20 − 5, 10) = 17 a share → $3,400 for 2; put 90 (10 OTM): 1.2 + max(20 − 10, 9) = 11.2 → $1,120.
    expect(m.value.lines.map((l) => [l.symbol, l.kind, l.quantity, l.requirement])).toEqual([
      [P90, "naked_put", 1, usd(1_120)],
      ["SHRT", "short_stock", 50, usd(1_500)],
      [C105, "naked_call", 2, usd(3_400)],
    ]);
    expect(m.value.shortStockValue).toBe(usd(1_000));
    expect(m.value.requirement).toBe(usd(1_500 + 3_400 + 1_120));
  });

  it("shares cover calls, the largest requirement first; a remainder is uncovered", () => {
    const m = accountMargin([pos("XYZ", 250), pos(C95, -1), pos(C105, -2)], prices, REG_T);
    if (!m.ok) throw new Error(m.error.message);
    // 250 shares cover 2 contracts: the call 95 (in the money, 7.5 + 20 = $2,750) and one call 105 ($1,700); one 105 is left.
    const perC95 = nakedOptionRequirement({ contract: contract(C95), contracts: 1, optionPrice: usd(7.5), underlyingPrice: usd(100) });
    expect(perC95).toBe(usd(2_750));
    expect(m.value.lines.map((l) => [l.symbol, l.kind, l.quantity, l.requirement])).toEqual([
      [C95, "covered_call", 1, 0n],
      [C105, "covered_call", 1, 0n],
      [C105, "naked_call", 1, usd(1_700)],
    ]);
    expect(m.value.requirement).toBe(usd(1_700));
  });

  it("a put in an account that may not short holds its strike × 100", () => {
    const m = accountMargin([pos(P90, -3)], prices, { allowShort: false, shortMarginRequirementBps: 15_000 });
    if (!m.ok) throw new Error(m.error.message);
    expect(m.value.lines).toEqual([{ symbol: P90, kind: "cash_secured_put", quantity: 3, requirement: usd(27_000) }]);
  });

  it("a written contract without its underlying's price is MISSING_PRICE, in words", () => {
    const m = accountMargin([pos(C105, -1)], new Map([[C105, usd(2)]]), REG_T);
    expect(m.ok).toBe(false);
    if (!m.ok) expect([m.error.code, m.error.message]).toEqual(["MISSING_PRICE", `no current price for XYZ, needed to value the 1 written ${C105}`]);
  });

  it("names the symbols it needs and whether shares cover calls", () => {
    const held = new Map([pos("XYZ", 100), pos(C105, -1), pos("SHRT", -5), pos(P90, 2)].map((p) => [p.symbol, p]));
    expect(marginSymbols(held.values()).sort()).toEqual(["SHRT", "XYZ", C105].sort());
    expect([coversCalls(held, "XYZ"), coversCalls(held, "SHRT"), coversCalls(held, C105)]).toEqual([true, false, false]);
  });
});

describe("checkOrder with written contracts", () => {
  const settings = { allowShort: true, shortMarginRequirementBps: 15_000 };
  const base = { fees: FREE_FEES, slippageBps: 0, settings, marks: prices };

  it("a covered call is accepted with no cash beyond the premium; selling the shares is then refused for margin", () => {
    const account = { cash: 0n, positions: new Map([["XYZ", pos("XYZ", 100)]]) };
    const written = checkOrder({ ...base, request: { symbol: C105, side: "sell_short", quantity: 1, type: "market" }, account, price: usd(1.9), symbols: new Set([C105]) });
    expect(written.ok && written.value.cashAfter).toBe(usd(190));
    const after = { cash: usd(190), positions: new Map([["XYZ", pos("XYZ", 100)], [C105, pos(C105, -1)]]) };
    const sale = checkOrder({ ...base, request: { symbol: "XYZ", side: "sell", quantity: 100, type: "market" }, account: after, price: usd(100), symbols: new Set(["XYZ"]) });
    // $10,190 after the sale would carry the naked call ($1,700 at its mark of 2): margin allows it.
    expect(sale.ok).toBe(true);
    const tight = checkOrder({ ...base, settings: { ...settings, allowShort: false }, request: { symbol: "XYZ", side: "sell", quantity: 100, type: "market" }, account: after, price: usd(100), symbols: new Set(["XYZ"]) });
    expect(tight.ok ? null : tight.error.code).toBe("SHORTING_DISABLED");
  });

  it("buying back a written contract is never refused for margin, even in deficit", () => {
    const account = { cash: usd(100), positions: new Map([[C105, pos(C105, -1)]]) };
    const back = checkOrder({ ...base, request: { symbol: C105, side: "buy_to_cover", quantity: 1, type: "market" }, account, price: usd(0.9), symbols: new Set([C105]) });
    expect(back.ok && back.value.cashAfter).toBe(usd(10));
  });
});
