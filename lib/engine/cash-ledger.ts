import type { Money } from "./money";
import { isBuySide, type OrderSide } from "./order";

/**
 * The cash side of a fill. Cash account rules:
 *   buy           −(quantity × price + fee)
 *   sell          +(quantity × price − fee)
 *   sell_short    +(quantity × price − fee)   proceeds stay in cash and count as short collateral
 *   buy_to_cover  −(quantity × price + fee)
 * Borrow fees are debited separately (borrow-fee.ts). Exact: no rounding happens here.
 */
export function fillCashDelta(side: OrderSide, quantity: number, price: Money, fee: Money): Money {
  const value = notional(quantity, price);
  return isBuySide(side) ? -(value + fee) : value - fee;
}

/** quantity × price. The single place a contract multiplier will enter when options arrive. */
export function notional(quantity: number, price: Money): Money {
  return BigInt(quantity) * price;
}
