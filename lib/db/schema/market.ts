import { sql } from "drizzle-orm";
import { boolean, doublePrecision, index, pgEnum, pgPolicy, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
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
