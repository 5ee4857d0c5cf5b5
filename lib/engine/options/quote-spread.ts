/**
 * The bid/ask of a modelled option quote around its model price ("theo"), our rule (docs/engine.md, "Modelled
 * chains"), in whole cents so that nothing is a binary fraction:
 *
 * - tick: $0.01 for a theo under $3, $0.05 from $3 (the Penny Interval classes' rule; every underlying is
 *   treated as one of them);
 * - width = max(tick, SPREAD_FRACTION × theo) × (1 + far) × (1 + near), where far = min(1, outSds / 4) widens
 *   out-of-the-money contracts (outSds: standard deviations out of the money, 0 in the money) and
 *   near = max(0, (7 − days) / 7) widens the last week before expiry, each up to double;
 * - bid = theo − width/2 rounded down to the tick, never below 0; ask = theo + width/2 rounded up to the tick,
 *   so ask > bid always; mid = (bid + ask) / 2 (a half cent when the two differ by an odd number of cents).
 */
export const SPREAD_FRACTION = 0.04;
export const PENNY_TICK_BELOW = 3;

export interface SpreadInput {
  /** The model price per share, dollars. */
  readonly theo: number;
  /** Standard deviations out of the money (0 or more; 0 in the money). */
  readonly outOfTheMoney: number;
  /** Calendar days to expiry (fractions allowed). */
  readonly days: number;
}

export interface ModelQuote {
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
  readonly tick: number;
}

export function tickCents(theo: number): number {
  return theo < PENNY_TICK_BELOW ? 1 : 5;
}

/** The spread's width in dollars (before rounding to the tick). */
export function spreadWidth(input: SpreadInput): number {
  const tick = tickCents(input.theo) / 100;
  const far = Math.min(1, Math.max(0, input.outOfTheMoney) / 4);
  const near = Math.max(0, (7 - input.days) / 7);
  return Math.max(tick, SPREAD_FRACTION * input.theo) * (1 + far) * (1 + Math.min(1, near));
}

export function modelQuote(input: SpreadInput): ModelQuote {
  if (!(Number.isFinite(input.theo) && input.theo >= 0)) throw new RangeError(`modelQuote: theo must be a price of 0 or more, got ${input.theo}`);
  const tick = tickCents(input.theo);
  const half = (spreadWidth(input) * 100) / 2;
  const theoCents = input.theo * 100;
  // 1e-9: a product such as 0.07 × 100 = 7.000000000000001 is 7 cents, not 8.
  const bidCents = Math.max(0, Math.floor((theoCents - half) / tick + 1e-9) * tick);
  const askCents = Math.max(bidCents + tick, Math.ceil((theoCents + half) / tick - 1e-9) * tick);
  return { bid: bidCents / 100, ask: askCents / 100, mid: (bidCents + askCents) / 200, tick: tick / 100 };
}
