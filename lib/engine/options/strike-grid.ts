import type { Money } from "../money";
import { MICROS_PER_DOLLAR } from "../money";

/**
 * The strikes we list, one fixed grid by price band (our rule, after the common Cboe-style increments for
 * liquid US equity options; real exchanges vary by underlying and add $1 and $0.50 programs):
 *
 * | strike         | step   |
 * |----------------|--------|
 * | below $25      | $0.50  |
 * | $25 to $100    | $1     |
 * | $100 to $200   | $2.50  |
 * | $200 to $500   | $5     |
 * | $500 and above | $10    |
 *
 * Each band starts on a multiple of its own step, so the grid is the same whatever the underlying's price:
 * "is this strike listed?" has one answer.
 */
const BANDS: readonly { readonly from: Money; readonly step: Money }[] = [
  { from: 500n * MICROS_PER_DOLLAR, step: 10n * MICROS_PER_DOLLAR },
  { from: 200n * MICROS_PER_DOLLAR, step: 5n * MICROS_PER_DOLLAR },
  { from: 100n * MICROS_PER_DOLLAR, step: 2_500_000n },
  { from: 25n * MICROS_PER_DOLLAR, step: MICROS_PER_DOLLAR },
  { from: 0n, step: 500_000n },
];

/** The grid's step at a strike (the band the strike falls in). */
export function strikeStep(strike: Money): Money {
  return BANDS.find((b) => strike >= b.from)!.step;
}

export function isListedStrike(strike: Money): boolean {
  return strike > 0n && strike % strikeStep(strike) === 0n;
}

/** The listed strike just above `price` (strictly above), and just below (strictly below; null under the lowest). */
export function nextStrikeAbove(price: Money): Money {
  const step = strikeStep(price);
  const next = (price / step + 1n) * step;
  // Crossing into a higher band lands on that band's start, itself on both grids.
  const band = BANDS.find((b) => b.from > price && b.from <= next);
  return band ? band.from : next;
}

export function nextStrikeBelow(price: Money): Money | null {
  if (price <= 0n) return null;
  const below = price - 1n;
  const step = strikeStep(below);
  const strike = (below / step) * step;
  return strike > 0n ? strike : null;
}

/**
 * `each` listed strikes below `price` and `each` at or above it, in ascending order; fewer below when the grid
 * runs out near $0. A strike equal to the price counts as above.
 */
export function strikesAround(price: Money, each: number): Money[] {
  if (!Number.isInteger(each) || each < 1 || each > 500) throw new RangeError(`strikesAround: each must be a whole number from 1 to 500, got ${each}`);
  const below: Money[] = [];
  let cursor: Money | null = price;
  while (below.length < each && cursor !== null && (cursor = nextStrikeBelow(cursor)) !== null) below.unshift(cursor);
  const above: Money[] = [];
  let at = isListedStrike(price) ? price : nextStrikeAbove(price);
  while (above.length < each) {
    above.push(at);
    at = nextStrikeAbove(at);
  }
  return [...below, ...above];
}
