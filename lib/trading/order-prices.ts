import { failure, priceToMoney, type EngineFailure, type Money } from "@/lib/engine";
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

/** Current prices of the symbols of other open shorts (for the margin check); the latest known price will do. */
export async function marksFor(market: PriceSource, symbols: readonly string[]): Promise<Map<string, Money>> {
  const marks = new Map<string, Money>();
  await Promise.all(
    symbols.map(async (symbol) => {
      const quote = await market.quote(symbol).catch(() => null);
      if (quote) marks.set(symbol, priceToMoney(quote.price, symbol));
    }),
  );
  return marks; // a missing mark makes checkOrder fail with MISSING_PRICE (halt)
}
