import { describe, expect, it } from "vitest";
import { applyFill, createAccount } from "./account";
import { computeBorrowFees } from "./borrow-fee";
import { multiplierOf, notional } from "./cash-ledger";
import { shortValueAfter } from "./margin";
import { averageCost, unrealizedPnl } from "./position";
import { valueAccount } from "./valuation";
import type { Fill } from "./fill";
import { usd } from "@/tests/support/engine-helpers";

/**
 * An option contract in the account (issue #23 item 1): its price is per share and it stands for 100, so every
 * amount of money from a quantity and a price is × 100 (notional, cash-ledger.ts), exact as for stocks.
 */
const CALL = "AAPL251017C00250000";
let n = 0;
const fill = (side: Fill["side"], quantity: number, price: bigint, fee = 0n, symbol = CALL): Fill => ({ id: `o${++n}`, symbol, side, quantity, price, fee });

describe("option contracts in the account", () => {
  it("a contract is 100 shares' worth; a stock is 1; the equity symbols never look like contracts", () => {
    expect(multiplierOf(CALL)).toBe(100);
    expect(multiplierOf("AAPL")).toBe(1);
    expect(multiplierOf("BRK.B")).toBe(1);
    expect(multiplierOf("ZZSOLR")).toBe(1);
    expect(notional(3, usd(1.25), CALL)).toBe(usd(375));
  });

  it("buying, marking and selling contracts: cash, cost basis, average cost per share, realized and unrealized P&L × 100", () => {
    let account = createAccount(usd(10_000));
    const step = (f: Fill) => {
      const r = applyFill(account, f);
      if (!r.ok) throw new Error(r.error.message);
      account = r.value.account;
      return r.value;
    };
    expect(step(fill("buy", 2, usd(1.5), usd(1.3))).cashDelta).toBe(usd(-301.3)); // 2 × 1.50 × 100 + $1.30 fee
    const held = account.positions.get(CALL)!;
    expect(held.costBasis).toBe(usd(300));
    expect(averageCost(held)).toBe(usd(1.5)); // per share, as quoted
    expect(unrealizedPnl(held, usd(2))).toBe(usd(100));
    const marked = valueAccount(account.cash, account.positions, new Map([[CALL, usd(2)]]));
    expect(marked.ok && [marked.value.longValue, marked.value.equity]).toEqual([usd(400), usd(10_098.7)]);

    const sold = step(fill("sell", 1, usd(2.5), usd(0.65)));
    expect(sold.cashDelta).toBe(usd(249.35));
    expect(sold.realizedPnl).toBe(usd(100)); // (2.50 − 1.50) × 100
    expect(account.positions.get(CALL)).toMatchObject({ quantity: 1, costBasis: usd(150), realizedPnl: usd(100) });
    expect(account.cash).toBe(usd(9_948.05));
  });

  it("a written option is valued as a liability × 100 and pays no borrow fee", () => {
    let account = createAccount(usd(10_000));
    const r = applyFill(account, fill("sell_short", 1, usd(3)));
    if (!r.ok) throw new Error(r.error.message);
    account = r.value.account;
    expect(account.cash).toBe(usd(10_300));
    const marks = new Map([[CALL, usd(4)]]);
    const v = valueAccount(account.cash, account.positions, marks);
    expect(v.ok && [v.value.shortValue, v.value.equity, v.value.unrealizedPnl]).toEqual([usd(400), usd(9_900), usd(-100)]);
    expect(shortValueAfter(account.positions, marks, "OTHER", 0, 0n)).toEqual({ ok: true, value: usd(400) });
    const borrow = computeBorrowFees(account.positions, marks, { annualRateBps: 500, days: 1 });
    expect(borrow.ok && borrow.value.total).toBe(0n);
  });
});
