import { failure } from "../../errors";
import type { Money } from "../../money";
import { err, ok, type Result } from "../../result";
import { OPTION_MULTIPLIER } from "../occ";
import type { ParsedLeg } from "./legs";

/**
 * The net price of one unit per share (positive = a debit paid, negative = a credit received) from its legs' prices:
 * Σ bought ratio × price − Σ sold ratio × price, a stock leg's price counted per 100 shares (ratio / 100). Exact.
 * MISSING_PRICE names a leg without one.
 */
export function netPriceOf(legs: readonly ParsedLeg[], priceOf: (leg: ParsedLeg) => Money | undefined): Result<Money> {
  let net = 0n;
  for (const l of legs) {
    const price = priceOf(l);
    if (price === undefined) return err(failure("MISSING_PRICE", `no price for ${l.symbol}, needed for the strategy's net price`));
    const units = l.kind === "stock" ? BigInt(l.ratio / OPTION_MULTIPLIER) : BigInt(l.ratio);
    net += (l.side === "buy" ? 1n : -1n) * units * price;
  }
  return ok(net);
}

export interface LegQuote {
  readonly bid: Money;
  readonly ask: Money;
}

/**
 * The net price of one unit against the legs' quotes, the side that trades now: legs bought at their ask, legs sold at
 * their bid (the price a combo fills at, all legs at once; a limit fills when it is at least this good: a debit limit
 * ≥ it, a credit limit ≤ it).
 */
export function netPriceAtQuotes(legs: readonly ParsedLeg[], quotes: ReadonlyMap<string, LegQuote>): Result<Money> {
  return netPriceOf(legs, (l) => {
    const q = quotes.get(l.symbol);
    return q === undefined ? undefined : l.side === "buy" ? q.ask : q.bid;
  });
}
