import type { MarketSnapshot } from "./types";

/**
 * Cash a strategy may spend this bar: cash minus a buffer of (1 − cashFraction) × equity for fees and
 * slippage (orders fill at the next open, not at the last close the sizing uses). On a fresh account
 * (cash = equity) that is cashFraction × cash. Buys and covers in one step run in parallel, so a step
 * never counts on the proceeds of its own sells: those are spent on a later bar.
 */
export function spendable(s: MarketSnapshot, cashFraction: number): number {
  return Math.max(0, s.cash - (1 - cashFraction) * Math.max(s.equity, s.cash));
}

export function longQuantity(s: MarketSnapshot, symbol: string): number {
  return Math.max(0, s.holdings[symbol] ?? 0);
}

export function heldLongs(s: MarketSnapshot): string[] {
  return Object.keys(s.holdings).filter((sym) => (s.holdings[sym] ?? 0) > 0);
}
