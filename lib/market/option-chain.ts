import {
  atTheMoneyVolatility,
  blackScholesMerton,
  clampVolatility,
  crrTree,
  DAYS_PER_YEAR,
  formatOccSymbol,
  isListedStrike,
  LONG_VOL_RETURNS,
  modelQuote,
  moneyToNumber,
  nextStrikeAbove,
  priceToMoney,
  realisedVolatility,
  SHORT_VOL_RETURNS,
  standardisedMoneyness,
  strikesAround,
  surfaceVolatility,
  type Money,
  type OptionRight,
  type OptionValuation,
  type VolatilityBase,
  type VolatilityModel,
} from "@/lib/engine";
import { MarketDataError } from "./errors";
import { expiriesListedAt, MONTHLY_HORIZON_DAYS, WEEKLY_HORIZON_DAYS, type ListedExpiry } from "./option-listing";
import { addDays, nyDayOf } from "./time";

/**
 * A MODELLED option chain (docs/engine.md, "Modelled chains"): from an underlying's price and its daily closes up to
 * a clock, the listed expiries (option-listing.ts), strikes on the grid around the price (strike-grid.ts), a
 * volatility per contract from the surface (volatility-surface.ts), a price and Greeks from the engine's models and
 * a bid/ask from the spread rule (quote-spread.ts). Pure and deterministic: the same inputs give the same chain.
 * The caller passes only what its clock allows (option-chain-view.ts reads it through the market view's gate).
 *
 * Pricing: a constant risk-free rate (MODEL_RATE) and no dividends. With no dividends an American call is never
 * exercised early (Merton 1973), so calls are priced by Black-Scholes-Merton exactly; American puts by the
 * Cox-Ross-Rubinstein tree (PUT_TREE_STEPS steps, odd/even averaged). `exercise: "european"` prices puts by
 * Black-Scholes-Merton too (what put-call parity holds for).
 */
export const MODEL_RATE = 0.04;
export const MODEL_DIVIDEND_YIELD = 0;
export const PUT_TREE_STEPS = 100;
export const DEFAULT_STRIKES_EACH_SIDE = 10;
export const MAX_STRIKES_PER_EXPIRY = 200;
const MS_PER_YEAR = DAYS_PER_YEAR * 86_400_000;

export interface ChainModelInput {
  readonly underlying: string;
  /** The underlying's price at the clock, dollars per share. */
  readonly spot: number;
  /** The clock. */
  readonly at: Date;
  /** Daily closes up to the clock, oldest first (at least SHORT_VOL_RETURNS + 1). */
  readonly closes: readonly number[];
  /** Expiry days wanted (inclusive); default: every listed expiry. */
  readonly expiryFrom?: string;
  readonly expiryTo?: string;
  /** Strikes wanted, dollars (inclusive); without them, `strikesEachSide` listed strikes below the price and as many at or above. */
  readonly minStrike?: number;
  readonly maxStrike?: number;
  readonly strikesEachSide?: number;
  readonly rights?: readonly OptionRight[];
  /** Only contracts whose |delta| is in this range (0 to 1, inclusive). */
  readonly minAbsDelta?: number;
  readonly maxAbsDelta?: number;
  /** At most this many rows, the first in the chain's order (contracts past it are not priced, unless a delta range needs them). */
  readonly limit?: number;
  readonly exercise?: "american" | "european";
}

export interface OptionChainRow {
  /** OCC symbol, e.g. AAPL250117C00250000. */
  readonly symbol: string;
  readonly underlying: string;
  readonly expiry: string;
  readonly right: OptionRight;
  readonly strike: number;
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
  /** The model price the quote is spread around. */
  readonly theo: number;
  /** The surface's volatility the contract is priced at, per √year. */
  readonly iv: number;
  readonly delta: number;
  readonly gamma: number;
  /** Per calendar day. */
  readonly theta: number;
  /** Per volatility point (σ + 0.01). */
  readonly vega: number;
  readonly daysToExpiry: number;
  /** "modelled": priced by the chain's model; "quoted": a provider's bid and ask, the volatility implied by its mid. */
  readonly source: "modelled" | "quoted";
}

export interface OptionChain {
  /** Where its bids and asks come from: every row's source. */
  readonly source: "modelled" | "quoted";
  readonly underlying: string;
  readonly spot: number;
  readonly at: Date;
  readonly rate: number;
  readonly dividendYield: number;
  /** The realised-volatility base (a quoted chain without enough closes for it: null). */
  readonly volatility: VolatilityBase | null;
  readonly expiries: readonly ListedExpiry[];
  /** By expiry, then strike, calls before puts. */
  readonly rows: readonly OptionChainRow[];
  /** How many contracts matched the request; more than rows.length when `limit` cut the list. */
  readonly matched: number;
}

/** The realised-volatility base from daily closes, or NOT_ENOUGH_BARS in words. */
export function volatilityBase(underlying: string, closes: readonly number[]): VolatilityBase {
  const short = realisedVolatility(closes, SHORT_VOL_RETURNS);
  if (short === null) {
    throw new MarketDataError(
      "NOT_ENOUGH_BARS",
      `${underlying} has ${closes.length} daily close${closes.length === 1 ? "" : "s"} up to the clock; a modelled option chain needs at least ${SHORT_VOL_RETURNS + 1} (${SHORT_VOL_RETURNS} daily returns) for its realised volatility. Ask again later in the session, or use a symbol with more history.`,
    );
  }
  const long = realisedVolatility(closes, Math.min(LONG_VOL_RETURNS, closes.length - 1)) ?? short;
  return { short: clampVolatility(short), long: clampVolatility(long) };
}

export function modelOptionChain(input: ChainModelInput): OptionChain {
  if (!(Number.isFinite(input.spot) && input.spot > 0)) throw new MarketDataError("INVALID_REQUEST", `the price of ${input.underlying} must be above 0, got ${input.spot}`);
  const volatility = volatilityBase(input.underlying, input.closes);
  const expiries = expiriesListedAt(input.at, { from: input.expiryFrom, to: input.expiryTo });
  if (expiries.length === 0) throw noExpiry(input);
  const strikes = strikesWanted(input);
  const rights = input.rights ?? (["call", "put"] as const);
  const { minAbsDelta = 0, maxAbsDelta = 1, limit = Infinity } = input;
  if (!(minAbsDelta >= 0 && maxAbsDelta <= 1 && minAbsDelta <= maxAbsDelta)) {
    throw new MarketDataError("INVALID_REQUEST", `a delta range is |delta| from 0 to 1 with the minimum at most the maximum, e.g. 0.2 to 0.4; got ${minAbsDelta} to ${maxAbsDelta}`);
  }
  const byDelta = input.minAbsDelta !== undefined || input.maxAbsDelta !== undefined;
  const contracts = expiries.flatMap((expiry) => {
    const years = (expiry.close.getTime() - input.at.getTime()) / MS_PER_YEAR;
    return strikes.flatMap((strike) => rights.map((right) => ({ expiry: expiry.expiry, years, strike, right })));
  });
  let rows: OptionChainRow[];
  let matched: number;
  if (byDelta) {
    const priced = contracts.map((c) => priceContract(input, volatility, c));
    // Rounded like the rows shown: a delta shown as 0.4000 is in a range ending at 0.4.
    const inRange = priced.filter((r) => Math.abs(round(r.delta, 4)) >= minAbsDelta && Math.abs(round(r.delta, 4)) <= maxAbsDelta);
    [rows, matched] = [inRange.slice(0, limit), inRange.length];
  } else {
    [rows, matched] = [contracts.slice(0, limit).map((c) => priceContract(input, volatility, c)), contracts.length];
  }
  return { source: "modelled", underlying: input.underlying, spot: input.spot, at: input.at, rate: MODEL_RATE, dividendYield: MODEL_DIVIDEND_YIELD, volatility, expiries, rows, matched };
}

/** No listed expiry in the window asked for: what is listed, in words. */
function noExpiry(input: ChainModelInput): MarketDataError {
  const today = nyDayOf(input.at);
  const window = input.expiryFrom === input.expiryTo && input.expiryFrom ? `on ${input.expiryFrom}` : `from ${input.expiryFrom ?? today} to ${input.expiryTo ?? "the last listed"}`;
  return new MarketDataError(
    "INVALID_REQUEST",
    `no ${input.underlying} option expires ${window} at this point of the session: the chain lists weekly Fridays up to ${addDays(today, WEEKLY_HORIZON_DAYS)} and monthly third Fridays up to ${addDays(today, MONTHLY_HORIZON_DAYS)} (a holiday moving one to the trading day before); an expiry before the clock has expired`,
  );
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

function strikesWanted(input: ChainModelInput): Money[] {
  const { minStrike, maxStrike } = input;
  if (minStrike === undefined && maxStrike === undefined) return strikesAround(priceToMoney(input.spot), input.strikesEachSide ?? DEFAULT_STRIKES_EACH_SIDE);
  for (const [name, v] of [["minStrike", minStrike], ["maxStrike", maxStrike]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0 && v <= 99_999)) throw new MarketDataError("INVALID_REQUEST", `${name} must be a price in dollars above 0, got ${v}`);
  }
  const low = minStrike ?? 0.01;
  const high = maxStrike ?? input.spot * 3;
  if (low > high) {
    const bound = maxStrike === undefined ? `the highest strike listed without maxStrike, 3 × the price (${round(high, 2)})` : `maxStrike ${high}`;
    throw new MarketDataError("INVALID_REQUEST", `minStrike ${low} is above ${bound}`);
  }
  const strikes: Money[] = [];
  const lowMoney = priceToMoney(low);
  for (let k = isListedStrike(lowMoney) ? lowMoney : nextStrikeAbove(lowMoney); moneyToNumber(k) <= high; k = nextStrikeAbove(k)) {
    strikes.push(k);
    if (strikes.length > MAX_STRIKES_PER_EXPIRY) {
      throw new MarketDataError("INVALID_REQUEST", `the strikes from ${low} to ${high} are more than ${MAX_STRIKES_PER_EXPIRY} listed strikes; ask for a narrower range`);
    }
  }
  return strikes;
}

/**
 * One contract priced by the model whatever its strike or expiry (off the strike grid, not a listed expiry): a contract
 * held from a quoted chain that has no quote at the clock is still marked (option-chain-view.ts, `unquotedModelled`).
 * Its expiry must not have closed by the clock.
 */
export function modelOneContract(input: ChainModelInput, c: { expiry: string; right: OptionRight; strike: Money; close: Date }): OptionChain {
  const volatility = volatilityBase(input.underlying, input.closes);
  const years = (c.close.getTime() - input.at.getTime()) / MS_PER_YEAR;
  if (!(years > 0)) throw new MarketDataError("INVALID_REQUEST", `the expiry ${c.expiry} has expired at this point of the session`);
  const row = priceContract(input, volatility, { expiry: c.expiry, years, strike: c.strike, right: c.right });
  return { source: "modelled", underlying: input.underlying, spot: input.spot, at: input.at, rate: MODEL_RATE, dividendYield: MODEL_DIVIDEND_YIELD, volatility, expiries: [], rows: [row], matched: 1 };
}

function priceContract(
  input: ChainModelInput,
  base: VolatilityBase,
  c: { expiry: string; years: number; strike: Money; right: OptionRight },
): OptionChainRow {
  const strike = moneyToNumber(c.strike);
  const forward = input.spot * Math.exp((MODEL_RATE - MODEL_DIVIDEND_YIELD) * c.years);
  const iv = surfaceVolatility(base, { strike, forward, years: c.years });
  const valued = valueContract(input, { right: c.right, strike, years: c.years }, iv);
  const x = standardisedMoneyness(strike, forward, atTheMoneyVolatility(base, c.years), c.years);
  const days = c.years * DAYS_PER_YEAR;
  const quote = modelQuote({ theo: valued.price, outOfTheMoney: Math.max(0, c.right === "call" ? x : -x), days });
  return chainRow(input, { ...c, strike: c.strike }, valued, iv, { ...quote, source: "modelled" });
}

/** The model the chains price a contract by: Black-Scholes-Merton for calls (and European puts), the CRR tree for American puts. */
export function contractModel(right: OptionRight, exercise: ChainModelInput["exercise"]): VolatilityModel {
  return right === "put" && (exercise ?? "american") === "american"
    ? { model: "binomial-tree", exercise: "american", steps: PUT_TREE_STEPS, averageOddEven: true }
    : { model: "black-scholes-merton" };
}

/** A contract's price and Greeks at volatility `iv`, by contractModel. */
export function valueContract(input: Pick<ChainModelInput, "spot" | "exercise">, c: { right: OptionRight; strike: number; years: number }, iv: number): OptionValuation {
  const model = { right: c.right, spot: input.spot, strike: c.strike, years: c.years, rate: MODEL_RATE, dividendYield: MODEL_DIVIDEND_YIELD, volatility: iv };
  const how = contractModel(c.right, input.exercise);
  return how.model === "binomial-tree" ? crrTree(model, how) : blackScholesMerton(model);
}

/** One row of a chain: the contract, its quote and the Greeks valued at `iv`. */
export function chainRow(
  input: Pick<ChainModelInput, "underlying">,
  c: { expiry: string; years: number; strike: Money; right: OptionRight },
  valued: OptionValuation,
  iv: number,
  quote: { bid: number; ask: number; mid: number; source: OptionChainRow["source"] },
): OptionChainRow {
  return {
    symbol: formatOccSymbol({ underlying: input.underlying, expiry: c.expiry, right: c.right, strike: c.strike }),
    underlying: input.underlying,
    expiry: c.expiry,
    right: c.right,
    strike: moneyToNumber(c.strike),
    bid: quote.bid,
    ask: quote.ask,
    mid: quote.mid,
    theo: valued.price,
    iv,
    // The tree's delta can pass ±1 by a rounding error (−1.00000000000001): a delta is never beyond it.
    delta: Math.min(1, Math.max(-1, valued.greeks.delta)),
    gamma: valued.greeks.gamma,
    theta: valued.greeks.thetaPerDay,
    vega: valued.greeks.vegaPerPoint,
    daysToExpiry: c.years * DAYS_PER_YEAR,
    source: quote.source,
  };
}
