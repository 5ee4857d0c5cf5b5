import { failure } from "../../errors";
import type { Money } from "../../money";
import { formatPrice } from "../../money-format";
import { err, ok, type Result } from "../../result";
import { optionContract, type OptionRight } from "../occ";
import type { StrategyLeg } from "./legs";

/**
 * Named strategies built from their strikes, each checking its own shape and refusing in words (INVALID_STRATEGY, or
 * INVALID_SYMBOL for a contract that cannot be written). They return the legs of ONE unit; the order's quantity counts
 * units. `side: "buy"` builds the long (debit) form, "sell" the short (credit) form.
 */

interface Leg {
  readonly right: OptionRight;
  readonly strike: Money;
  readonly expiry: string;
  readonly side: "buy" | "sell";
  readonly ratio?: number;
}

const refuse = (message: string) => err(failure("INVALID_STRATEGY", message));
const flip = (side: "buy" | "sell") => (side === "buy" ? "sell" : "buy");

function legsOf(underlying: string, legs: readonly Leg[]): Result<StrategyLeg[]> {
  const out: StrategyLeg[] = [];
  for (const l of legs) {
    const c = optionContract({ underlying, expiry: l.expiry, right: l.right, strike: l.strike });
    if (!c.ok) return c;
    out.push({ symbol: c.value.symbol, side: l.side, ratio: l.ratio ?? 1 });
  }
  return ok(out);
}

const ascending = (strikes: readonly Money[]) => strikes.every((s, i) => i === 0 || strikes[i - 1]! < s);
const listed = (names: readonly string[], strikes: readonly Money[]) => names.map((n, i) => `${n} ${formatPrice(strikes[i]!)}`).join(", ");

export interface IronCondorSpec {
  readonly underlying: string;
  readonly expiry: string;
  readonly longPut: Money;
  readonly shortPut: Money;
  readonly shortCall: Money;
  readonly longCall: Money;
}

/** A (short) iron condor: buy the long put, sell the short put and the short call, buy the long call; strikes ascending in that order. */
export function ironCondor(s: IronCondorSpec): Result<StrategyLeg[]> {
  const strikes = [s.longPut, s.shortPut, s.shortCall, s.longCall];
  if (!ascending(strikes)) {
    return refuse(`crossed strikes: an iron condor needs long put < short put < short call < long call; got ${listed(["long put", "short put", "short call", "long call"], strikes)}`);
  }
  return legsOf(s.underlying, [
    { right: "put", strike: s.longPut, expiry: s.expiry, side: "buy" },
    { right: "put", strike: s.shortPut, expiry: s.expiry, side: "sell" },
    { right: "call", strike: s.shortCall, expiry: s.expiry, side: "sell" },
    { right: "call", strike: s.longCall, expiry: s.expiry, side: "buy" },
  ]);
}

export interface IronButterflySpec {
  readonly underlying: string;
  readonly expiry: string;
  readonly longPut: Money;
  /** The strike of the put and the call sold. */
  readonly body: Money;
  readonly longCall: Money;
}

/** A (short) iron butterfly: the put and call at `body` sold, the wings bought; long put < body < long call. */
export function ironButterfly(s: IronButterflySpec): Result<StrategyLeg[]> {
  const strikes = [s.longPut, s.body, s.longCall];
  if (!ascending(strikes)) return refuse(`crossed strikes: an iron butterfly needs long put < body < long call; got ${listed(["long put", "body", "long call"], strikes)}`);
  return legsOf(s.underlying, [
    { right: "put", strike: s.longPut, expiry: s.expiry, side: "buy" },
    { right: "put", strike: s.body, expiry: s.expiry, side: "sell" },
    { right: "call", strike: s.body, expiry: s.expiry, side: "sell" },
    { right: "call", strike: s.longCall, expiry: s.expiry, side: "buy" },
  ]);
}

export interface VerticalSpec {
  readonly underlying: string;
  readonly right: OptionRight;
  /** The contract bought. */
  readonly long: { readonly strike: Money; readonly expiry: string };
  /** The contract sold. */
  readonly short: { readonly strike: Money; readonly expiry: string };
}

/** A vertical: one contract bought and one sold, one right and one expiry, two strikes (a debit when the bought strike is the better one). */
export function vertical(s: VerticalSpec): Result<StrategyLeg[]> {
  if (s.long.expiry !== s.short.expiry) {
    return refuse(`a vertical's legs share one expiry; got ${s.long.expiry} (bought) and ${s.short.expiry} (sold): with two expiries it is a calendar or a diagonal`);
  }
  if (s.long.strike === s.short.strike) return refuse(`a vertical's legs have two strikes; both are ${formatPrice(s.long.strike)}, which would cancel out`);
  return legsOf(s.underlying, [
    { right: s.right, strike: s.long.strike, expiry: s.long.expiry, side: "buy" },
    { right: s.right, strike: s.short.strike, expiry: s.short.expiry, side: "sell" },
  ]);
}

export interface StraddleSpec {
  readonly underlying: string;
  readonly expiry: string;
  readonly strike: Money;
  /** "buy": a long straddle (debit); "sell": a short one (credit). */
  readonly side: "buy" | "sell";
}

/** A straddle: a call and a put at one strike and expiry, both bought or both sold. */
export function straddle(s: StraddleSpec): Result<StrategyLeg[]> {
  return legsOf(s.underlying, [
    { right: "put", strike: s.strike, expiry: s.expiry, side: s.side },
    { right: "call", strike: s.strike, expiry: s.expiry, side: s.side },
  ]);
}

export interface StrangleSpec {
  readonly underlying: string;
  readonly expiry: string;
  readonly putStrike: Money;
  readonly callStrike: Money;
  readonly side: "buy" | "sell";
}

/** A strangle: a put below a call, one expiry, both bought or both sold. */
export function strangle(s: StrangleSpec): Result<StrategyLeg[]> {
  if (s.putStrike >= s.callStrike) {
    return refuse(`crossed strikes: a strangle's put is below its call; got put ${formatPrice(s.putStrike)}, call ${formatPrice(s.callStrike)}${s.putStrike === s.callStrike ? " (one strike: a straddle)" : ""}`);
  }
  return legsOf(s.underlying, [
    { right: "put", strike: s.putStrike, expiry: s.expiry, side: s.side },
    { right: "call", strike: s.callStrike, expiry: s.expiry, side: s.side },
  ]);
}

export interface ButterflySpec {
  readonly underlying: string;
  readonly expiry: string;
  readonly right: OptionRight;
  readonly lower: Money;
  readonly middle: Money;
  readonly upper: Money;
  /** "buy": a long butterfly (wings bought, 2 bodies sold: a debit); "sell": the short one. */
  readonly side: "buy" | "sell";
}

/** A butterfly: 1 lower, 2 middle, 1 upper of one right and expiry, equally spaced; the wings on `side`, the body the other way. */
export function butterfly(s: ButterflySpec): Result<StrategyLeg[]> {
  const strikes = [s.lower, s.middle, s.upper];
  if (!ascending(strikes)) return refuse(`crossed strikes: a butterfly needs lower < middle < upper; got ${listed(["lower", "middle", "upper"], strikes)}`);
  if (s.middle - s.lower !== s.upper - s.middle) {
    return refuse(`a butterfly's wings are equally wide; got ${formatPrice(s.middle - s.lower)} below the middle and ${formatPrice(s.upper - s.middle)} above (a broken wing is a custom strategy: give its legs)`);
  }
  return legsOf(s.underlying, [
    { right: s.right, strike: s.lower, expiry: s.expiry, side: s.side },
    { right: s.right, strike: s.middle, expiry: s.expiry, side: flip(s.side), ratio: 2 },
    { right: s.right, strike: s.upper, expiry: s.expiry, side: s.side },
  ]);
}

export interface CalendarSpec {
  readonly underlying: string;
  readonly right: OptionRight;
  readonly strike: Money;
  readonly nearExpiry: string;
  readonly farExpiry: string;
  /** "buy": a long calendar (the far expiry bought, the near sold: a debit); "sell": the short one. */
  readonly side: "buy" | "sell";
}

/** A calendar: one strike and right, the near expiry on one side and the far on the other. */
export function calendar(s: CalendarSpec): Result<StrategyLeg[]> {
  if (!(s.nearExpiry < s.farExpiry)) {
    return refuse(`a calendar's near expiry comes before its far one; got near ${s.nearExpiry}, far ${s.farExpiry}${s.nearExpiry === s.farExpiry ? " (one expiry: the legs would cancel out)" : ""}`);
  }
  return legsOf(s.underlying, [
    { right: s.right, strike: s.strike, expiry: s.nearExpiry, side: flip(s.side) },
    { right: s.right, strike: s.strike, expiry: s.farExpiry, side: s.side },
  ]);
}
