import { EngineError, marginSymbols, reservedBy, type Money, type Reserved } from "@/lib/engine";
import type { SessionBook } from "./book";
import { marksFor } from "./order-prices";
import type { PriceSource } from "./price-source";
import type { SessionTradingRules } from "./trading-settings";

/**
 * The last prices reserving and checking orders need at the clock: `symbol`'s, every working order's, every open
 * short's and every written contract's underlying's (the latest known price will do; a missing one fails where it is needed).
 */
export async function lastPricesFor(market: PriceSource, book: SessionBook, symbol: string | null, price: Money | null): Promise<Map<string, Money>> {
  const symbols = new Set<string>();
  for (const o of book.working()) symbols.add(o.symbol);
  for (const s of marginSymbols(book.positions.values())) symbols.add(s);
  if (symbol !== null) symbols.delete(symbol);
  const prices = symbols.size > 0 ? await marksFor(market, [...symbols]) : new Map<string, Money>();
  if (symbol !== null && price !== null) prices.set(symbol, price);
  return prices;
}

/** What the book's working orders (or `working` of them) hold back now (lib/engine/reservations.ts): market orders may spend only the rest. */
export function reservedOnBook(book: SessionBook, prices: ReadonlyMap<string, Money>, rules: SessionTradingRules, working = book.working()): Reserved | undefined {
  if (working.length === 0) return undefined;
  const reserved = reservedBy(working, prices, {
    fees: rules.fees,
    slippageBps: rules.slippageBps,
    shortMarginRequirementBps: rules.settings.shortMarginRequirementBps,
  });
  if (!reserved.ok) throw EngineError.from(reserved.error);
  return reserved.value;
}

/** reservedOnBook at the clock's last prices, read only when orders work. */
export async function reservedNow(market: PriceSource, book: SessionBook, rules: SessionTradingRules): Promise<Reserved | undefined> {
  return book.working().length > 0 ? reservedOnBook(book, await lastPricesFor(market, book, null, null), rules) : undefined;
}
