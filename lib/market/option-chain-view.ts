import { isListedStrike, LONG_VOL_RETURNS, moneyToNumber, parseOccSymbol } from "@/lib/engine";
import { aggregateDaily } from "./aggregate";
import { MarketDataError } from "./errors";
import { barEnd } from "./intervals";
import { sessionOf } from "./calendar";
import { modelOneContract, modelOptionChain, volatilityBase, type ChainModelInput, type OptionChain, type OptionChainRow } from "./option-chain";
import { quotedOptionChain } from "./option-chain-quoted";
import { expiriesListedAt, MONTHLY_HORIZON_DAYS, WEEKLY_HORIZON_DAYS } from "./option-listing";
import { nyDayOf } from "./time";
import type { StoredOptionQuote } from "./option-quotes";
import type { MarketView } from "./view-types";

/**
 * Option chains AT THE CLOCK: the underlying's price (the view's quote), its daily closes (the view's closed bars) and
 * any provider quotes of its contracts (the view's optionQuotes) come through the market view's gate, so no chain,
 * price or volatility is computed from anything after the clock. An underlying with quotes at the clock has a QUOTED
 * chain (option-chain-quoted.ts); one without, a MODELLED chain (option-chain.ts). The view's universe decides which
 * underlyings may be asked for.
 */
export type ChainRequest = Omit<ChainModelInput, "underlying" | "spot" | "at" | "closes">;

export async function optionChainAt(view: MarketView, underlying: string, request: ChainRequest = {}): Promise<OptionChain> {
  const [quote, closes, quoted] = await Promise.all([
    view.quote(underlying),
    dailyClosesAt(view, underlying),
    view.optionQuotes(underlying, { expiryFrom: request.expiryFrom, expiryTo: request.expiryTo }),
  ]);
  const input = { ...request, underlying, spot: quote.price, at: view.now(), closes };
  if (quoted.length === 0) return modelOptionChain(input);
  return quotedOptionChain(input, quoted, volatilityBaseOrNull(underlying, closes));
}

function volatilityBaseOrNull(underlying: string, closes: readonly number[]) {
  try {
    return volatilityBase(underlying, closes);
  } catch {
    return null; // too few closes: a quoted chain does not need them
  }
}

/** How far back hour bars are read when there is no daily bar at all: a year and a half of calendar days. */
const HOURS_LOOKBACK_MS = 550 * 86_400_000;

/**
 * The underlying's daily closes up to the clock, oldest first: its stored daily bars, then the days after the last
 * of them aggregated from closed hour bars (a session in hours that runs past the daily data's end). A day whose
 * session has not closed by the clock is not a close yet.
 */
export async function dailyClosesAt(view: MarketView, underlying: string): Promise<number[]> {
  const now = view.now();
  const daily = await view.bars(underlying, "day", { limit: LONG_VOL_RETURNS + 1 });
  const lastDaily = daily.at(-1);
  const from = lastDaily ? barEnd(lastDaily) : new Date(now.getTime() - HOURS_LOOKBACK_MS);
  const hours = from.getTime() < now.getTime() ? await view.bars(underlying, "hour", { from }) : [];
  const derived = aggregateDaily(hours).filter((d) => barEnd(d).getTime() <= now.getTime());
  return [...daily, ...derived].map((b) => b.close).filter((c): c is number => c !== null).slice(-(LONG_VOL_RETURNS + 1));
}

/**
 * One contract of the chain at the clock, by OCC symbol; a contract the chain does not list (or quote) is refused in
 * words. `unquotedModelled`: a contract without a quote of its own is priced by the model, whatever its strike or expiry
 * (marks, margin, Greeks and forced buy-backs of what is held never stop for a missing quote; new orders do).
 */
export async function optionQuoteAt(view: MarketView, symbol: string, { unquotedModelled = false }: { unquotedModelled?: boolean } = {}): Promise<{ chain: OptionChain; row: OptionChainRow }> {
  const parsed = parseOccSymbol(symbol);
  if (!parsed.ok) throw new MarketDataError("INVALID_REQUEST", parsed.error.message);
  const c = parsed.value;
  const strike = moneyToNumber(c.strike);
  // Its own quote; else whether its expiry is quoted at all (then it is refused, not modelled beside real quotes).
  const own = await view.optionQuotes(c.underlying, { symbols: [c.symbol] });
  const quoted = own.length > 0 ? own : await view.optionQuotes(c.underlying, { expiryFrom: c.expiry, expiryTo: c.expiry });
  if (own.length > 0) return quotedContractAt(view, c, own);
  // What is held is always priced: by the model when it has no quote of its own (whatever its strike or expiry).
  if (unquotedModelled) return modelledContractAt(view, c);
  if (quoted.length > 0) return quotedContractAt(view, c, quoted);
  if (!isListedStrike(c.strike)) {
    throw new MarketDataError("INVALID_REQUEST", `${symbol}: the strike ${strike} is not on the strike grid ($0.50 steps below $25, $1 to $100, $2.50 to $200, $5 to $500, $10 above); get_option_chain lists the strikes`);
  }
  const at = view.now();
  if (expiriesListedAt(at, { from: c.expiry, to: c.expiry }).length === 0) {
    const today = nyDayOf(at);
    const why =
      c.expiry < today || (c.expiry === today && expiriesListedAt(at).every((e) => e.expiry !== today))
        ? "has expired at this point of the session"
        : `is not a listed expiry (weekly Fridays up to ${WEEKLY_HORIZON_DAYS} days out, monthly third Fridays up to ${MONTHLY_HORIZON_DAYS} days, a holiday moving one to the trading day before)`;
    throw new MarketDataError("INVALID_REQUEST", `${symbol}: the expiry ${c.expiry} ${why}; get_option_chain lists the expiries`);
  }
  const chain = await optionChainAt(view, c.underlying, { expiryFrom: c.expiry, expiryTo: c.expiry, minStrike: strike, maxStrike: strike, rights: [c.right] });
  const row = chain.rows.find((r) => r.symbol === c.symbol);
  if (!row) throw new MarketDataError("INVALID_REQUEST", `${symbol} is not in the modelled chain at this point of the session`);
  return { chain, row };
}

/** A contract of an underlying whose chain is quoted: its own quote at the clock, or a refusal in words. */
async function quotedContractAt(
  view: MarketView,
  c: { symbol: string; underlying: string; expiry: string; right: "call" | "put"; strike: bigint },
  quoted: readonly StoredOptionQuote[],
): Promise<{ chain: OptionChain; row: OptionChainRow }> {
  const own = quoted.find((q) => q.symbol === c.symbol);
  if (!own) {
    const expired = c.expiry < nyDayOf(view.now());
    throw new MarketDataError(
      "INVALID_REQUEST",
      expired
        ? `${c.symbol}: the expiry ${c.expiry} has expired at this point of the session; get_option_chain lists the quoted contracts`
        : `${c.symbol} has no quote at this point of the session (${c.underlying}'s chain is quoted by the market data, and this contract is not among its quotes); get_option_chain lists the quoted contracts`,
    );
  }
  const [quote, closes] = await Promise.all([view.quote(c.underlying), dailyClosesAt(view, c.underlying)]);
  const strike = moneyToNumber(c.strike);
  const chain = quotedOptionChain(
    { underlying: c.underlying, spot: quote.price, at: view.now(), closes, expiryFrom: c.expiry, expiryTo: c.expiry, minStrike: strike, maxStrike: strike, rights: [c.right] },
    [own],
    volatilityBaseOrNull(c.underlying, closes),
  );
  const row = chain.rows[0];
  if (!row) throw new MarketDataError("INVALID_REQUEST", `${c.symbol} cannot be priced at this point of the session: ${chain.unpriced[0]?.reason ?? "its expiry has closed"}`);
  return { chain, row };
}

/** A contract priced by the model at the clock whatever its strike (modelOneContract): a held contract left without a quote. */
async function modelledContractAt(view: MarketView, c: { symbol: string; underlying: string; expiry: string; right: "call" | "put"; strike: bigint }): Promise<{ chain: OptionChain; row: OptionChainRow }> {
  const close = sessionOf(c.expiry)?.close;
  if (!close) throw new MarketDataError("INVALID_REQUEST", `${c.symbol}: the expiry ${c.expiry} is not a trading day`);
  if (close.getTime() <= view.now().getTime()) {
    throw new MarketDataError("INVALID_REQUEST", `${c.symbol}: the expiry ${c.expiry} has expired at this point of the session; get_option_chain lists the expiries`);
  }
  const [quote, closes] = await Promise.all([view.quote(c.underlying), dailyClosesAt(view, c.underlying)]);
  const chain = modelOneContract({ underlying: c.underlying, spot: quote.price, at: view.now(), closes }, { expiry: c.expiry, right: c.right, strike: c.strike, close });
  return { chain, row: chain.rows[0]! };
}
