/**
 * A price the session may trade at. basis "open": the open of the bar that started at `at` (market
 * orders fill there); "close": only the last close is known, so nothing opens now (MARKET_CLOSED).
 */
export interface PriceQuote {
  readonly price: number;
  readonly at: Date;
  readonly basis?: "open" | "close";
}

/**
 * Minimal price access placeOrder needs. `quote` may return null or throw an error whose `code` is
 * NOT_IN_UNIVERSE (→ UNKNOWN_SYMBOL) or NO_DATA (→ MARKET_CLOSED); anything else is a fault (halt).
 */
export interface PriceSource {
  readonly universe: readonly string[];
  quote(symbol: string): Promise<PriceQuote | null>;
}

/** An in-memory price source for tests and the benchmark: every listed symbol opens at `at`. */
export function createStaticPriceSource(prices: Readonly<Record<string, number | null>>, at: Date): PriceSource & {
  set(symbol: string, price: number | null): void;
} {
  const book = new Map(Object.entries(prices));
  return {
    get universe() {
      return [...book.keys()];
    },
    async quote(symbol) {
      const price = book.get(symbol);
      return price === undefined || price === null ? null : { price, at, basis: "open" };
    },
    set(symbol, price) {
      book.set(symbol, price);
    },
  };
}
