import { describe, expect, it } from "vitest";
import { createAccount } from "./account";
import { accrueBorrowFees, computeBorrowFees } from "./borrow-fee";
import { flatPosition, type Position } from "./position";
import { usd } from "@/tests/support/engine-helpers";

const positions = new Map<string, Position>([
  ["TSLA", { ...flatPosition("TSLA"), quantity: -100, costBasis: usd(-5_000) }],
  ["AAPL", { ...flatPosition("AAPL"), quantity: 10, costBasis: usd(1_000) }], // longs pay no borrow
]);
const prices = new Map([["TSLA", usd(50)]]);

describe("borrow fees", () => {
  it("charges simple interest on short value, 360-day year, rounded up to the micro", () => {
    // $5,000 × 3 % / 360 × 1 day = $0.41666…  → 5e9 × 300 × 1 / (10,000 × 360) = 416,666.67 → 416,667 micros
    const r = computeBorrowFees(positions, prices, { annualRateBps: 300, days: 1 });
    expect(r.ok && r.value.total).toBe(416_667n);
    expect(r.ok && [...r.value.bySymbol]).toEqual([["TSLA", 416_667n]]);
    // 7 days: 2,916,666.67 → 2,916,667 (one rounding for the whole period, not per day)
    const week = computeBorrowFees(positions, prices, { annualRateBps: 300, days: 7 });
    expect(week.ok && week.value.total).toBe(2_916_667n);
  });

  it("supports the 365-day convention", () => {
    // 5e9 × 300 / (10,000 × 365) = 410,958.9 → 410,959
    const r = computeBorrowFees(positions, prices, { annualRateBps: 300, days: 1, dayCount: 365 });
    expect(r.ok && r.value.total).toBe(410_959n);
  });

  it("debits cash and records the fee on the account", () => {
    const account = createAccount(usd(1_000), { positions });
    const r = accrueBorrowFees(account, prices, { annualRateBps: 300, days: 1 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.account.cash).toBe(usd(1_000) - 416_667n);
    expect(r.value.account.borrowFeesPaid).toBe(416_667n);
    expect(account.cash).toBe(usd(1_000));
  });

  it("needs a price for every short and valid terms", () => {
    expect(computeBorrowFees(positions, new Map(), { annualRateBps: 300, days: 1 })).toMatchObject({ ok: false, error: { code: "MISSING_PRICE" } });
    expect(computeBorrowFees(positions, prices, { annualRateBps: -1, days: 1 })).toMatchObject({ ok: false, error: { code: "INVALID_SETTINGS" } });
    expect(computeBorrowFees(positions, prices, { annualRateBps: 300, days: 0.5 })).toMatchObject({ ok: false, error: { code: "INVALID_SETTINGS" } });
  });
});
