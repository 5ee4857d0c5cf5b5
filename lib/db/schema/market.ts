import { sql } from "drizzle-orm";
import { boolean, check, date, doublePrecision, index, pgEnum, pgPolicy, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { authenticatedRole } from "drizzle-orm/supabase";

/** Market data is shared by all users and read-only to them; only the server's importers write it. */
export const intervalEnum = pgEnum("bar_interval", ["day", "hour", "minute"]);

export const instruments = pgTable(
  "instruments",
  {
    symbol: text().primaryKey(),
    name: text().notNull().default(""),
    exchange: text().notNull().default(""),
    assetClass: text().notNull().default("equity"),
    source: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  () => [pgPolicy("instruments_read", { for: "select", to: authenticatedRole, using: sql`true` })],
).enableRLS();

/**
 * OHLCV bars. Prices are doubles: market data is analytics; the engine converts a price to exact money
 * when it fills. The newest bar of a source may carry only its open (high/low/close/volume null).
 */
export const bars = pgTable(
  "bars",
  {
    symbol: text().notNull(),
    interval: intervalEnum().notNull(),
    start: timestamp({ withTimezone: true }).notNull(),
    open: doublePrecision().notNull(),
    high: doublePrecision(),
    low: doublePrecision(),
    close: doublePrecision(),
    volume: doublePrecision(),
    source: text().notNull(),
    derived: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.interval, t.start] }),
    index("bars_interval_start_idx").on(t.interval, t.start),
    pgPolicy("bars_read", { for: "select", to: authenticatedRole, using: sql`true` }),
  ],
).enableRLS();

/**
 * Option quotes from a market-data provider (drizzle/0035; docs/market-data.md, "Quoted option chains"): one bid/ask
 * of one contract at the provider's own time. Shared and read-only to users like bars; the server's fetcher writes it.
 */
export const optionQuotes = pgTable(
  "option_quotes",
  {
    symbol: text().notNull(),
    underlying: text().notNull(),
    expiry: date({ mode: "string" }).notNull(),
    right: text().notNull(),
    strike: doublePrecision().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    bid: doublePrecision().notNull(),
    ask: doublePrecision().notNull(),
    source: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.at] }),
    index("option_quotes_underlying_at_idx").on(t.underlying, t.at),
    check("option_quotes_right", sql`${t.right} in ('call', 'put')`),
    check("option_quotes_prices", sql`${t.bid} >= 0 and ${t.ask} > 0 and ${t.ask} >= ${t.bid} and ${t.strike} > 0`),
    pgPolicy("option_quotes_read", { for: "select", to: authenticatedRole, using: sql`true` }),
  ],
).enableRLS();
