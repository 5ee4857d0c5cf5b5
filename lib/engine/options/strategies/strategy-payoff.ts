import type { Money } from "../../money";
import { divRound } from "../../rounding";
import { OPTION_MULTIPLIER } from "../occ";
import type { ParsedLeg } from "./legs";

/**
 * The value at expiry of one strategy unit, in micro-dollars, for single-expiry strategies (every option leg expiring
 * on one date). The net price is per share of one unit (positive = debit paid, negative = credit received) and a unit
 * costs it × 100: a stock leg of 100 shares counts its price per share once (a covered call's net price is the stock's
 * price less the call's). A stock leg is worth its shares at the underlying's price.
 */

const sign = (side: "buy" | "sell") => (side === "buy" ? 1n : -1n);

/** Whether every option leg expires on one date (a payoff at expiry is then a function of the underlying alone). */
export function singleExpiry(legs: readonly ParsedLeg[]): boolean {
  return new Set(legs.flatMap((l) => (l.kind === "option" ? [l.contract.expiry] : []))).size <= 1;
}

/** What the legs are worth at expiry with the underlying at `underlying`, per unit, before the net price. */
export function legsValueAtExpiry(legs: readonly ParsedLeg[], underlying: Money): Money {
  let value = 0n;
  for (const l of legs) {
    if (l.kind === "stock") {
      value += sign(l.side) * BigInt(l.ratio) * underlying;
      continue;
    }
    const { right, strike, multiplier } = l.contract;
    const intrinsic = right === "call" ? underlying - strike : strike - underlying;
    if (intrinsic > 0n) value += sign(l.side) * BigInt(l.ratio) * BigInt(multiplier) * intrinsic;
  }
  return value;
}

/**
 * The profit (negative: loss) of one unit held to expiry with the underlying at `underlyingPrice`, bought at
 * `netPrice`: the legs' value at expiry less netPrice × 100. null when the legs expire on different dates (a calendar's
 * later leg still has time value then: not modelled at expiry).
 */
export function payoffAtExpiry(legs: readonly ParsedLeg[], underlyingPrice: Money, netPrice: Money): Money | null {
  if (!singleExpiry(legs)) return null;
  return legsValueAtExpiry(legs, underlyingPrice) - netPrice * BigInt(OPTION_MULTIPLIER);
}

/** Shares per unit the payoff gains per $1 of the underlying above the highest strike (calls and stock). */
export function slopeAboveStrikes(legs: readonly ParsedLeg[]): bigint {
  let slope = 0n;
  for (const l of legs) {
    if (l.kind === "stock") slope += sign(l.side) * BigInt(l.ratio);
    else if (l.contract.right === "call") slope += sign(l.side) * BigInt(l.ratio) * BigInt(l.contract.multiplier);
  }
  return slope;
}

/** The kinks of the payoff: 0 and every strike, ascending, once each. */
export function payoffPoints(legs: readonly ParsedLeg[]): Money[] {
  const strikes = new Set<Money>([0n]);
  for (const l of legs) if (l.kind === "option") strikes.add(l.contract.strike);
  return [...strikes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Where the payoff (a piecewise-linear function of the underlying) is 0, ascending, each rounded to the nearest micro:
 * on each segment between kinks where it changes sign or touches 0, and beyond the highest strike along its slope.
 */
export function zerosOf(points: readonly Money[], values: readonly Money[], slopeAbove: bigint): Money[] {
  const zeros = new Set<Money>();
  for (let i = 0; i < points.length; i++) {
    const [a, fa] = [points[i]!, values[i]!];
    if (fa === 0n) zeros.add(a);
    if (i + 1 < points.length) {
      const [b, fb] = [points[i + 1]!, values[i + 1]!];
      if ((fa < 0n && fb > 0n) || (fa > 0n && fb < 0n)) zeros.add(a + crossing(b - a, fa, fb));
    }
  }
  const last = points.length - 1;
  const [top, ftop] = [points[last]!, values[last]!];
  if ((ftop < 0n && slopeAbove > 0n) || (ftop > 0n && slopeAbove < 0n)) {
    // f(S) = ftop + slope × (S − top): S = top − ftop / slope.
    const step = slopeAbove > 0n ? divRound(-ftop, slopeAbove, "half_away") : divRound(ftop, -slopeAbove, "half_away");
    zeros.add(top + step);
  }
  return [...zeros].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** How far past a (of a segment of `width`) a line from fa to fb crosses 0, to the nearest micro. */
function crossing(width: Money, fa: Money, fb: Money): Money {
  const rise = fb - fa;
  return rise > 0n ? divRound(width * -fa, rise, "half_away") : divRound(width * fa, -rise, "half_away");
}

/**
 * The payoff at expiry from `low` to `high` (underlying prices) as the points of its polyline: the ends and every
 * strike between, ascending; exact, and enough to draw it (it is straight between strikes). null for legs on two
 * expiries.
 */
export function payoffCurve(legs: readonly ParsedLeg[], netPrice: Money, low: Money, high: Money): { price: Money; payoff: Money }[] | null {
  if (!singleExpiry(legs)) return null;
  const inside = payoffPoints(legs).filter((p) => p > low && p < high);
  const prices = low < high ? [low, ...inside, high] : [low];
  return prices.map((price) => ({ price, payoff: payoffAtExpiry(legs, price, netPrice)! }));
}
