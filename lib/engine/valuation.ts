import { notional } from "./cash-ledger";
import { failure } from "./errors";
import type { Money } from "./money";
import type { Position } from "./position";
import { err, ok, type Result } from "./result";

export interface AccountValuation {
  readonly cash: Money;
  /** Σ quantity × price over longs. */
  readonly longValue: Money;
  /** Σ |quantity| × price over shorts: a liability, reported positive. */
  readonly shortValue: Money;
  /** cash + Σ quantity × price (signed) = cash + longValue − shortValue. Exact. */
  readonly equity: Money;
  /** Σ (quantity × price − costBasis) over open positions. */
  readonly unrealizedPnl: Money;
  /** Σ realized P&L over all positions, flat ones included (gross of fees). */
  readonly realizedPnl: Money;
}

/** Marks the account to `prices`. Every open position needs a price (MISSING_PRICE otherwise). */
export function valueAccount(
  cash: Money,
  positions: ReadonlyMap<string, Position>,
  prices: ReadonlyMap<string, Money>,
): Result<AccountValuation> {
  let longValue = 0n;
  let shortValue = 0n;
  let unrealizedPnl = 0n;
  let realizedPnl = 0n;
  for (const p of positions.values()) {
    realizedPnl += p.realizedPnl;
    if (p.quantity === 0) continue;
    const price = prices.get(p.symbol);
    if (price === undefined) {
      return err(failure("MISSING_PRICE", `no price for ${p.symbol}, needed to value ${p.quantity} shares`));
    }
    const value = notional(p.quantity, price, p.symbol);
    if (value >= 0n) longValue += value;
    else shortValue -= value;
    unrealizedPnl += value - p.costBasis;
  }
  const equity = cash + longValue - shortValue;
  return ok({ cash, longValue, shortValue, equity, unrealizedPnl, realizedPnl });
}
