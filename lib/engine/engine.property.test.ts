import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyFill, createAccount, foldFills, type AccountState } from "./account";
import { accrueBorrowFees } from "./borrow-fee";
import { checkOrder } from "./check-order";
import type { FeeModel } from "./fees";
import type { Fill } from "./fill";
import { marginRequirement } from "./margin";
import type { Money } from "./money";
import { ORDER_SIDES, sideSign } from "./order";
import { valueAccount } from "./valuation";

/**
 * Random order sequences through checkOrder + applyFill (seeded: failures reproduce).
 * Invariants checked after every step, all exact (no rounding bound is needed: see docs/engine.md):
 *   equity = cash + Σ quantity × mark = cash + longValue − shortValue
 *   position quantity = signed sum of its fills
 *   cash ≥ 0 and rejected orders change nothing
 *   realized + unrealized = equity − startingCash + feesPaid + borrowFeesPaid
 *   after a short, cash ≥ ceil(requirement × total short value)
 * and at the end, folding the fills from scratch gives the same account.
 */
const SYMBOLS = ["AAA", "BBB", "CCC"] as const;

const settingsArb = fc.record({
  startCash: fc.bigInt({ min: 0n, max: 1_000_000_000_000n }), // up to $1M
  fees: fc.record({
    perShare: fc.bigInt({ min: 0n, max: 10_000n }),
    perOrder: fc.bigInt({ min: 0n, max: 5_000_000n }),
    minimum: fc.bigInt({ min: 0n, max: 2_000_000n }),
    notionalBps: fc.integer({ min: 0, max: 20 }),
  }) as fc.Arbitrary<FeeModel>,
  slippageBps: fc.integer({ min: 0, max: 100 }),
  allowShort: fc.boolean(),
  marginBps: fc.integer({ min: 10_000, max: 20_000 }),
});

const stepArb = fc.oneof(
  { weight: 9, arbitrary: fc.record({
    kind: fc.constant("order" as const),
    symbol: fc.constantFrom(...SYMBOLS),
    side: fc.constantFrom(...ORDER_SIDES),
    quantity: fc.integer({ min: 1, max: 300 }),
    price: fc.bigInt({ min: 10_000n, max: 300_000_000n }), // $0.01 – $300, any micro
  }) },
  { weight: 1, arbitrary: fc.record({
    kind: fc.constant("borrow" as const),
    annualRateBps: fc.integer({ min: 0, max: 5_000 }),
    days: fc.integer({ min: 0, max: 5 }),
  }) },
);

function snapshot(a: AccountState): string {
  return JSON.stringify([a.cash, [...a.positions], [...a.fillIds], a.feesPaid, a.borrowFeesPaid], (_k, v) =>
    typeof v === "bigint" ? `${v}n` : v,
  );
}

function run(withBorrow: boolean, stats: Map<string, number>) {
  return fc.property(settingsArb, fc.array(stepArb, { minLength: 1, maxLength: 60, size: "max" }), (s, steps) => {
    let account = createAccount(s.startCash);
    const marks = new Map<string, Money>();
    const signed = new Map<string, number>();
    const fills: Fill[] = [];
    for (const [i, step] of steps.entries()) {
      if (step.kind === "borrow") {
        if (!withBorrow) continue;
        const r = accrueBorrowFees(account, marks, step);
        if (!r.ok) throw new Error(r.error.message);
        account = r.value.account;
      } else {
        marks.set(step.symbol, step.price);
        const before = snapshot(account);
        const r = checkOrder({
          request: { type: "market", symbol: step.symbol, side: step.side, quantity: step.quantity },
          account, price: step.price, marks, fees: s.fees, slippageBps: s.slippageBps,
          symbols: new Set(SYMBOLS), settings: { allowShort: s.allowShort, shortMarginRequirementBps: s.marginBps },
        });
        expect(snapshot(account)).toBe(before); // checking changes nothing
        if (!r.ok) {
          stats.set(r.error.code, (stats.get(r.error.code) ?? 0) + 1);
          expect(["INSUFFICIENT_CASH", "INSUFFICIENT_SHARES", "POSITION_CONFLICT", "SHORTING_DISABLED", "INSUFFICIENT_MARGIN"]).toContain(r.error.code);
          if (r.error.code === "SHORTING_DISABLED") expect([s.allowShort, step.side]).toEqual([false, "sell_short"]);
          continue;
        }
        stats.set(step.side, (stats.get(step.side) ?? 0) + 1);
        const p = r.value;
        if (sideSign(step.side) > 0) expect(p.price >= step.price).toBe(true);
        else expect(p.price <= step.price).toBe(true);
        const f: Fill = { id: `f${i}`, symbol: p.symbol, side: p.side, quantity: p.quantity, price: p.price, fee: p.fee };
        const applied = applyFill(account, f);
        if (!applied.ok) throw new Error(applied.error.message);
        expect(applied.value.account.cash).toBe(p.cashAfter);
        account = applied.value.account;
        fills.push(f);
        signed.set(f.symbol, (signed.get(f.symbol) ?? 0) + sideSign(f.side) * f.quantity);
        if (f.side === "sell_short") {
          let shortValue = 0n;
          for (const q of account.positions.values()) if (q.quantity < 0) shortValue += BigInt(-q.quantity) * (marks.get(q.symbol) ?? 0n);
          expect(account.cash >= marginRequirement(shortValue, s.marginBps)).toBe(true);
        }
      }
      if (!withBorrow) expect(account.cash >= 0n).toBe(true);
      const v = valueAccount(account.cash, account.positions, marks);
      if (!v.ok) throw new Error(v.error.message);
      let marked = account.cash;
      for (const q of account.positions.values()) {
        expect(q.quantity).toBe(signed.get(q.symbol) ?? 0);
        marked += BigInt(q.quantity) * (marks.get(q.symbol) ?? 0n);
      }
      expect(v.value.equity).toBe(marked);
      expect(v.value.equity).toBe(account.cash + v.value.longValue - v.value.shortValue);
      expect(v.value.realizedPnl + v.value.unrealizedPnl).toBe(
        v.value.equity - s.startCash + account.feesPaid + account.borrowFeesPaid,
      );
    }
    if (!withBorrow) {
      const folded = foldFills(createAccount(s.startCash), fills);
      expect(folded.ok && snapshot(folded.value)).toBe(snapshot(account));
    }
  });
}

describe("engine invariants over random order sequences", () => {
  it("orders only: exact equity, quantities, cash ≥ 0, P&L reconciliation, fold = incremental", () => {
    const stats = new Map<string, number>();
    fc.assert(run(false, stats), { seed: 42, numRuns: 300 });
    // Not vacuous: every side filled and every business rejection happened many times.
    for (const key of [...ORDER_SIDES, "INSUFFICIENT_CASH", "INSUFFICIENT_SHARES", "POSITION_CONFLICT", "SHORTING_DISABLED", "INSUFFICIENT_MARGIN"]) {
      expect(stats.get(key) ?? 0, key).toBeGreaterThan(20);
    }
  });

  it("with borrow-fee accruals: P&L still reconciles exactly", () => {
    fc.assert(run(true, new Map()), { seed: 7, numRuns: 200 });
  });
});
