import { multiplierOf } from "./cash-ledger";
import type { AccountState } from "./account";
import { failure } from "./errors";
import type { Money } from "./money";
import type { Position } from "./position";
import { err, ok, type Result } from "./result";
import { divRound } from "./rounding";

/**
 * Stock borrow fee on open shorts, simple interest on the short's market value:
 *   fee(symbol) = ceil(|quantity| × price × annualRateBps × days / (10 000 × dayCount))
 * dayCount is 360 by default (the US money-market convention brokers use for borrow) or 365.
 * Rounded up to the micro per symbol, against the account. The caller decides when a day is owed
 * (typically once per calendar day a short is held past the close) and passes `days`.
 */
export interface BorrowFeeTerms {
  readonly annualRateBps: number;
  readonly days: number;
  readonly dayCount?: 360 | 365;
}

export interface BorrowFees {
  readonly total: Money;
  readonly bySymbol: ReadonlyMap<string, Money>;
}

export function computeBorrowFees(
  positions: ReadonlyMap<string, Position>,
  prices: ReadonlyMap<string, Money>,
  terms: BorrowFeeTerms,
): Result<BorrowFees> {
  const { annualRateBps, days, dayCount = 360 } = terms;
  if (!Number.isSafeInteger(annualRateBps) || annualRateBps < 0 || !Number.isSafeInteger(days) || days < 0) {
    return err(failure("INVALID_SETTINGS", "borrow annualRateBps and days must be whole numbers ≥ 0"));
  }
  if (dayCount !== 360 && dayCount !== 365) {
    return err(failure("INVALID_SETTINGS", `borrow dayCount must be 360 or 365, got ${String(dayCount)}`));
  }
  const bySymbol = new Map<string, Money>();
  let total = 0n;
  const rate = BigInt(annualRateBps) * BigInt(days);
  const denominator = 10_000n * BigInt(dayCount);
  for (const p of positions.values()) {
    if (p.quantity >= 0 || multiplierOf(p.symbol) !== 1) continue; // a written option is not borrowed
    const price = prices.get(p.symbol);
    if (price === undefined) {
      return err(failure("MISSING_PRICE", `no price for ${p.symbol}, needed to charge borrow on its short`));
    }
    const fee = divRound(BigInt(-p.quantity) * price * rate, denominator, "ceil");
    bySymbol.set(p.symbol, fee);
    total += fee;
  }
  return ok({ total, bySymbol });
}

/** Computes the borrow fees and debits them from cash (cash may go below zero only this way). */
export function accrueBorrowFees(
  account: AccountState,
  prices: ReadonlyMap<string, Money>,
  terms: BorrowFeeTerms,
): Result<BorrowFees & { readonly account: AccountState }> {
  const fees = computeBorrowFees(account.positions, prices, terms);
  if (!fees.ok) return fees;
  const { total } = fees.value;
  const next: AccountState = {
    ...account,
    cash: account.cash - total,
    borrowFeesPaid: account.borrowFeesPaid + total,
  };
  return ok({ ...fees.value, account: next });
}
