import { DAYS_PER_YEAR, impliedVolatility, priceToMoney, type OptionRight } from "@/lib/engine";
import { sessionOf } from "./calendar";
import { MarketDataError } from "./errors";
import { chainRow, contractModel, DEFAULT_STRIKES_EACH_SIDE, MODEL_DIVIDEND_YIELD, MODEL_RATE, valueContract, type ChainModelInput, type OptionChain, type OptionChainRow } from "./option-chain";
import { monthlyExpiry } from "./option-expiries";
import type { ListedExpiry } from "./option-listing";
import type { StoredOptionQuote } from "./option-quotes";
import { nyDayOf } from "./time";

const MS_PER_YEAR = DAYS_PER_YEAR * 86_400_000;

/**
 * A QUOTED option chain (docs/market-data.md, "Quoted option chains"): the contracts a provider quoted, at their bid
 * and ask, the mid (to the half cent) the price the volatility is implied from (the model the modelled chain prices
 * by: Black-Scholes-Merton for calls, the CRR tree for American puts), the Greeks at that volatility. A quote whose
 * mid breaks a no-arbitrage bound (below intrinsic value) is implied from its ask, else its bid; one that fits at none
 * of them is left out, with its reason in `unpriced`. The same request fields as the modelled chain; `volatility` is
 * the underlying's realised volatility when its closes allow it (shown beside the implied ones), else null.
 * The caller passes only quotes the clock allows (the market view's optionQuotes).
 */
export function quotedOptionChain(
  input: ChainModelInput,
  quotes: readonly StoredOptionQuote[],
  volatility: OptionChain["volatility"],
): OptionChain & { unpriced: { symbol: string; reason: string }[] } {
  const today = nyDayOf(input.at);
  const live = quotes.filter((q) => q.underlying === input.underlying && (closeOf(q.expiry)?.getTime() ?? 0) > input.at.getTime());
  const expiries = [...new Set(live.map((q) => q.expiry))]
    .filter((e) => (!input.expiryFrom || e >= input.expiryFrom) && (!input.expiryTo || e <= input.expiryTo))
    .sort()
    .map((expiry): ListedExpiry => {
      const [y, m] = expiry.split("-").map(Number) as [number, number];
      return { expiry, kind: monthlyExpiry(y, m).expiry === expiry ? "monthly" : "weekly", close: closeOf(expiry)! };
    });
  if (expiries.length === 0) {
    throw new MarketDataError(
      "INVALID_REQUEST",
      `no quoted ${input.underlying} option expires ${input.expiryFrom || input.expiryTo ? `from ${input.expiryFrom ?? today} to ${input.expiryTo ?? "the last quoted"}` : "after the clock"} at this point of the session; the quoted expiries are ${[...new Set(live.map((q) => q.expiry))].sort().join(", ") || "none"}`,
    );
  }
  const rights = new Set<OptionRight>(input.rights ?? ["call", "put"]);
  const { minAbsDelta = 0, maxAbsDelta = 1, limit = Infinity } = input;
  const unpriced: { symbol: string; reason: string }[] = [];
  const rows: OptionChainRow[] = [];
  for (const expiry of expiries) {
    const ofExpiry = live.filter((q) => q.expiry === expiry.expiry && rights.has(q.right));
    const strikes = strikesWanted(input, [...new Set(ofExpiry.map((q) => q.strike))].sort((a, b) => a - b));
    const years = (expiry.close.getTime() - input.at.getTime()) / MS_PER_YEAR;
    for (const q of ofExpiry.filter((q) => strikes.has(q.strike)).sort((a, b) => a.strike - b.strike || (a.right === "call" ? -1 : 1))) {
      const row = priceQuote(input, q, expiry.expiry, years);
      if ("reason" in row) unpriced.push(row);
      else rows.push(row);
    }
  }
  const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
  const inRange = rows.filter((r) => Math.abs(round4(r.delta)) >= minAbsDelta && Math.abs(round4(r.delta)) <= maxAbsDelta);
  return {
    source: "quoted",
    underlying: input.underlying,
    spot: input.spot,
    at: input.at,
    rate: MODEL_RATE,
    dividendYield: MODEL_DIVIDEND_YIELD,
    volatility: volatility ?? null,
    expiries,
    rows: inRange.slice(0, limit),
    matched: inRange.length,
    unpriced,
  };
}

function closeOf(expiry: string): Date | null {
  try {
    return sessionOf(expiry)?.close ?? null;
  } catch {
    return null; // outside the calendar
  }
}

/** The strikes asked for among those quoted: a range, or `strikesEachSide` below the price and as many at or above it. */
function strikesWanted(input: ChainModelInput, quoted: readonly number[]): Set<number> {
  if (input.minStrike !== undefined || input.maxStrike !== undefined) {
    return new Set(quoted.filter((k) => k >= (input.minStrike ?? 0) && k <= (input.maxStrike ?? Infinity)));
  }
  const n = input.strikesEachSide ?? DEFAULT_STRIKES_EACH_SIDE;
  const below = quoted.filter((k) => k < input.spot).slice(-n);
  const above = quoted.filter((k) => k >= input.spot).slice(0, n);
  return new Set([...below, ...above]);
}

function priceQuote(input: ChainModelInput, raw: StoredOptionQuote, expiry: string, years: number): OptionChainRow | { symbol: string; reason: string } {
  // Stored as doubles: to the hundredth of a cent, so 1.4999999999999998 is the 1.50 it was quoted at.
  const q = { ...raw, bid: Math.round(raw.bid * 1e4) / 1e4, ask: Math.round(raw.ask * 1e4) / 1e4 };
  const mid = Math.round(((q.bid + q.ask) / 2) * 200) / 200;
  const inputs = { right: q.right, spot: input.spot, strike: q.strike, years, rate: MODEL_RATE, dividendYield: MODEL_DIVIDEND_YIELD };
  const model = contractModel(q.right, input.exercise);
  let reason = "";
  for (const price of [mid, q.ask, q.bid]) {
    const iv = impliedVolatility(price, inputs, model);
    if (iv.ok) {
      const c = { expiry, years, strike: priceToMoney(q.strike), right: q.right };
      return chainRow(input, c, valueContract(input, { right: q.right, strike: q.strike, years }, iv.value), iv.value, { bid: q.bid, ask: q.ask, mid, source: "quoted" });
    }
    reason ||= iv.error.message;
  }
  return { symbol: q.symbol, reason: `no volatility fits its quote ${q.bid}/${q.ask}: ${reason}` };
}
