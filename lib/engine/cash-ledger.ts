import type { Money } from "./money";
import { isOccSymbol, OPTION_MULTIPLIER } from "./options/occ";
import { isBuySide, type OrderSide } from "./order";

/**
 * The cash side of a fill. Cash account rules (notional = quantity × price × the symbol's multiplier):
 *   buy           −(notional + fee)
 *   sell          +(notional − fee)
 *   sell_short    +(notional − fee)   proceeds stay in cash and count as short collateral
 *   buy_to_cover  −(notional + fee)
 * Borrow fees are debited separately (borrow-fee.ts). Exact: no rounding happens here.
 */
export function fillCashDelta(side: OrderSide, quantity: number, price: Money, fee: Money, symbol: string): Money {
  const value = notional(quantity, price, symbol);
  return isBuySide(side) ? -(value + fee) : value - fee;
}

/** Shares per unit of `symbol`: 100 for an option contract (its price is per share), 1 for a stock. */
export function multiplierOf(symbol: string): number {
  return isOccSymbol(symbol) ? OPTION_MULTIPLIER : 1;
}

/**
 * quantity × price × the symbol's multiplier: what `quantity` units of `symbol` at `price` (per share) are worth.
 * Every amount of money the engine derives from a quantity and a price goes through here (cash, cost basis, value,
 * fees on notional, reservations, margin), so an option contract is worth 100 shares' price everywhere at once.
 */
export function notional(quantity: number, price: Money, symbol: string): Money {
  return BigInt(quantity) * price * BigInt(multiplierOf(symbol));
}
