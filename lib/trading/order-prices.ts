import { failure, mayNeedMargin, isOccSymbol, marginSymbols, parseOccSymbol, priceToMoney, type EngineFailure, type Money, type OrderSide, type Position } from "@/lib/engine";
import type { MarketView } from "@/lib/market";
import { HELD, optionQuoteOn } from "./option-prices";
import { AppError } from "@/lib/errors";
import type { PriceSource } from "./price-source";

/** What the session's market says about a symbol at the clock; price null = nothing opens now. */
export interface PriceLookup {
  price: Money | null;
  /** Set when the source itself refuses the symbol (UNKNOWN_SYMBOL). */
  failure: EngineFailure | null;
}

const iso = (d: Date) => d.toISOString();
const codeOf = (e: unknown) => (typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined);

/**
 * The price a market order fills at: the open of the bar starting at the clock. Symbols outside the
 * session's universe are not quoted (checkOrder rejects them with the list of tradable symbols).
 */
export async function priceAt(market: PriceSource, symbol: string, now: Date): Promise<PriceLookup> {
  if (!market.universe.includes(symbol)) return { price: null, failure: null };
  let quote;
  try {
    quote = await market.quote(symbol);
  } catch (e) {
    if (codeOf(e) === "NOT_IN_UNIVERSE") return { price: null, failure: failure("UNKNOWN_SYMBOL", (e as Error).message) };
    if (codeOf(e) === "NO_DATA") return { price: null, failure: null };
    throw e;
  }
  if (!quote || quote.basis === "close") return { price: null, failure: null };
  if (quote.at.getTime() > now.getTime()) {
    throw new AppError("halt", "LOOKAHEAD", `the price source returned a ${symbol} price from ${iso(quote.at)}, after the session clock ${iso(now)}`);
  }
  return { price: priceToMoney(quote.price, symbol), failure: null };
}

/**
 * Current prices of symbols for the margin check (the latest known price will do): a stock's quote, a contract's
 * modelled mid when the source is a session's market view (option-prices.ts).
 */
export async function marksFor(market: PriceSource, symbols: readonly string[]): Promise<Map<string, Money>> {
  const marks = new Map<string, Money>();
  await Promise.all(
    symbols.map(async (symbol) => {
      if (isOccSymbol(symbol)) {
        if (!isMarketView(market)) return;
        const quote = await optionQuoteOn(market, symbol, HELD).catch(() => null);
        if (quote) marks.set(symbol, quote.mid);
        return;
      }
      const quote = await market.quote(symbol).catch(() => null);
      if (quote) marks.set(symbol, priceToMoney(quote.price, symbol));
    }),
  );
  return marks; // a missing mark makes checkOrder fail with MISSING_PRICE (halt)
}

const isMarketView = (m: PriceSource): m is PriceSource & MarketView => typeof (m as Partial<MarketView>).bars === "function";

/**
 * The prices an order's margin check needs (lib/engine/account-margin.ts), or undefined when it needs none: orders
 * that spend cash or add requirement (buy, sell_short, a sale of shares that cover written calls) while the account
 * holds shorts are checked against every short at its mark and every written contract's underlying.
 */
export async function marginMarksFor(market: PriceSource, positions: ReadonlyMap<string, Position>, symbol: string, side: OrderSide): Promise<Map<string, Money> | undefined> {
  if (!mayNeedMargin(positions, symbol, side)) return undefined;
  const symbols = marginSymbols(positions.values()).filter((s) => s !== symbol);
  const contract = isOccSymbol(symbol) && side === "sell_short" ? parseOccSymbol(symbol) : null;
  if (contract?.ok) symbols.push(contract.value.underlying);
  return symbols.length > 0 ? marksFor(market, [...new Set(symbols)]) : undefined;
}
