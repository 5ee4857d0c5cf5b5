import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import type { OptionQuoteQuery, StoredOptionQuote } from "@/lib/market/option-quotes";

/** Option quotes a provider sent (drizzle/0035); a (symbol, time) already stored is left as it is. Returns how many were new. */
export async function insertOptionQuotes(tx: Executor, quotes: readonly StoredOptionQuote[]): Promise<number> {
  if (quotes.length === 0) return 0;
  const rows = quotes.map((q) => ({ ...q, at: q.at.toISOString() }));
  const [done] = await tx.execute<{ n: number }>(sql`
    with ins as (
      insert into option_quotes (symbol, underlying, expiry, "right", strike, at, bid, ask, source)
      select symbol, underlying, expiry, "right", strike, at, bid, ask, source
      from json_populate_recordset(null::option_quotes, ${JSON.stringify(rows)}::json)
      on conflict do nothing returning 1
    )
    select count(*)::int as n from ins`);
  return Number(done?.n ?? 0);
}

/** The newest quote of each contract that matches `q` (option-quotes.ts), by symbol: one index range of (underlying, at). */
export async function selectLatestOptionQuotes(tx: Executor, q: OptionQuoteQuery): Promise<StoredOptionQuote[]> {
  const expiryFrom = q.expiryFrom ? sql`and expiry >= ${q.expiryFrom}::date` : sql``;
  const expiryTo = q.expiryTo ? sql`and expiry <= ${q.expiryTo}::date` : sql``;
  const symbols = q.symbols ? sql`and symbol in (select json_array_elements_text(${JSON.stringify(q.symbols)}::json))` : sql``;
  const rows = await tx.execute<{ symbol: string; underlying: string; expiry: string; right: "call" | "put"; strike: number; at: string | Date; bid: number; ask: number; source: string }>(sql`
    select distinct on (symbol) symbol, underlying, to_char(expiry, 'YYYY-MM-DD') as expiry, "right", strike, at, bid, ask, source
    from option_quotes
    where underlying = ${q.underlying} and at >= ${q.since.toISOString()} and at <= ${q.at.toISOString()} ${expiryFrom} ${expiryTo} ${symbols}
    order by symbol, at desc`);
  return rows.map((r) => ({ ...r, strike: Number(r.strike), bid: Number(r.bid), ask: Number(r.ask), at: new Date(r.at) }));
}
