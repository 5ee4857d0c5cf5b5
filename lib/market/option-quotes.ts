/**
 * QUOTED options (docs/market-data.md, "Quoted option chains"): real bids and asks a provider sent, stored with their
 * own time. A store that has them answers `getOptionQuotes`; the market view's gate (view.ts, `optionQuotes`) is the
 * only caller and decides what the clock allows.
 */
export interface StoredOptionQuote {
  /** OCC symbol, e.g. AAPL250620C00200000. */
  readonly symbol: string;
  readonly underlying: string;
  /** New York date, YYYY-MM-DD. */
  readonly expiry: string;
  readonly right: "call" | "put";
  /** Dollars. */
  readonly strike: number;
  /** The quote's own time (the provider's stamp). */
  readonly at: Date;
  readonly bid: number;
  readonly ask: number;
  /** The provider it came from, e.g. "polygon". */
  readonly source: string;
}

/** The newest quote of each contract of `underlying` stamped in [since, at], expiries in [expiryFrom, expiryTo], or only `symbols`. */
export interface OptionQuoteQuery {
  readonly underlying: string;
  readonly since: Date;
  readonly at: Date;
  readonly expiryFrom?: string;
  readonly expiryTo?: string;
  readonly symbols?: readonly string[];
}

/** A quote older than this at the clock is not shown: four calendar days cover a weekend and a holiday, as the providers' lookback does. */
export const QUOTE_MAX_AGE_MS = 4 * 86_400_000;

/** What a store holding `quotes` answers to `q` (the memory store; the database does the same in SQL). */
export function latestOptionQuotes(quotes: readonly StoredOptionQuote[], q: OptionQuoteQuery): StoredOptionQuote[] {
  const wanted = q.symbols ? new Set(q.symbols) : null;
  const newest = new Map<string, StoredOptionQuote>();
  for (const quote of quotes) {
    if (quote.underlying !== q.underlying || (wanted && !wanted.has(quote.symbol))) continue;
    if (quote.at.getTime() > q.at.getTime() || quote.at.getTime() < q.since.getTime()) continue;
    if ((q.expiryFrom && quote.expiry < q.expiryFrom) || (q.expiryTo && quote.expiry > q.expiryTo)) continue;
    const known = newest.get(quote.symbol);
    if (!known || known.at.getTime() < quote.at.getTime()) newest.set(quote.symbol, quote);
  }
  return [...newest.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}
