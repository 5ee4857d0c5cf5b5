import "server-only";
import type { Db } from "@/lib/db/client";
import { insertOptionQuotes } from "@/lib/db/queries/option-quotes";
import { env } from "@/lib/env";
import { addDays, barStarts, createMarketView, nyDayOf, tradingDays, type Interval } from "@/lib/market";
import type { StoredOptionQuote } from "@/lib/market/option-quotes";
import { createOptionProvider } from "@/lib/market/providers";
import type { OptionQuoteProvider } from "@/lib/market/providers/option-provider";
import { createDbBarSource } from "./bar-source";

/**
 * Option quotes from the configured provider, cached in option_quotes like bars (docs/market-data.md, "Quoted option
 * chains"): at each instant a session would decide at, the contracts listed that day around the underlying's price,
 * and the newest quote of each at or before that instant. What is stored never changes; fetching again adds nothing.
 */
export interface OptionFetchRequest {
  underlying: string;
  /** The instant the quotes are for: each quote stored is stamped at or before it. */
  at: Date;
  /** Expiries up to this many calendar days after `at`'s day. */
  expiryDays?: number;
  /** Strikes within this fraction of the underlying's price (0.15: from 85 % to 115 %). */
  strikeRange?: number;
}

export const DEFAULT_EXPIRY_DAYS = 45;
export const DEFAULT_STRIKE_RANGE = 0.15;

/** The option provider MARKET_DATA_PROVIDER configures (polygon or alpaca), or null (offline, or Yahoo: no options). */
export function configuredOptionProvider(): OptionQuoteProvider | null {
  switch (env.MARKET_DATA_PROVIDER) {
    case "polygon":
      return createOptionProvider({ name: "polygon", apiKey: env.POLYGON_API_KEY ?? "" });
    case "alpaca":
      return createOptionProvider({ name: "alpaca", keyId: env.ALPACA_API_KEY_ID ?? "", secretKey: env.ALPACA_API_SECRET_KEY ?? "" });
    default:
      return null;
  }
}

/** One instant of one underlying: the price comes from the stored bars through the market view's gate, at that instant. */
export async function fetchAndCacheOptionQuotes(db: Db, provider: OptionQuoteProvider, req: OptionFetchRequest): Promise<{ contracts: number; quotes: number; inserted: number }> {
  const view = createMarketView({ clock: { now: () => req.at }, universe: [req.underlying], source: createDbBarSource(db) });
  const spot = (await view.quote(req.underlying)).price;
  const range = req.strikeRange ?? DEFAULT_STRIKE_RANGE;
  const day = nyDayOf(req.at);
  const contracts = await provider.listContracts({
    underlying: req.underlying,
    asOf: day,
    expiryFrom: day,
    expiryTo: addDays(day, req.expiryDays ?? DEFAULT_EXPIRY_DAYS),
    strikeFrom: Math.floor(spot * (1 - range) * 100) / 100,
    strikeTo: Math.ceil(spot * (1 + range) * 100) / 100,
  });
  const bySymbol = new Map(contracts.map((c) => [c.symbol, c]));
  const quotes = await provider.quotesAt({ symbols: [...bySymbol.keys()], at: req.at });
  const rows: StoredOptionQuote[] = quotes.flatMap((q) => {
    const c = bySymbol.get(q.symbol);
    // A provider must answer only what was asked, stamped at or before the instant: anything else is not stored.
    if (!c || q.at.getTime() > req.at.getTime()) return [];
    return [{ ...c, at: q.at, bid: q.bid, ask: q.ask, source: provider.name }];
  });
  return { contracts: contracts.length, quotes: rows.length, inserted: await insertOptionQuotes(db, rows) };
}

/** The instants a session of `interval` decides at from `from` to `to` (New York days): each day's open, or each hour. */
export function decisionInstants(from: string, to: string, interval: Exclude<Interval, "minute">): Date[] {
  return tradingDays(from, to).flatMap((d) => (interval === "day" ? barStarts(d, "day").slice(0, 1) : barStarts(d, "hour")));
}
