import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { bars, instruments } from "@/lib/db/schema";
import type { Bar } from "@/lib/market/types";

type BarRow = typeof bars.$inferInsert;
type InstrumentRow = typeof instruments.$inferInsert;

const CHUNK = 50_000; // rows per statement: one JSON parameter, however many rows

/**
 * Inserts bars that are not there yet; an existing (symbol, interval, start) is left as it is. One
 * statement per CHUNK rows, the rows as one JSON parameter (a day of minutes for 30 symbols is 11,700).
 */
export async function insertBars(tx: Executor, rows: readonly BarRow[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ ...r, derived: r.derived ?? false }));
    const [done] = await tx.execute<{ n: number }>(sql`
      with ins as (
        insert into bars select * from json_populate_recordset(null::bars, ${JSON.stringify(chunk)}::json)
        on conflict do nothing returning 1
      )
      select count(*)::int as n from ins`);
    inserted += Number(done?.n ?? 0);
  }
  return inserted;
}

/** How many bars each symbol has of one interval with start in [from, to]; symbols without any are absent. */
export async function countBarsBySymbol(tx: Executor, q: { symbols: readonly string[]; interval: string; from: Date; to: Date }): Promise<Map<string, number>> {
  const rows = await tx.execute<{ symbol: string; n: number }>(sql`
    select symbol, count(*)::int as n from bars
    where interval = ${q.interval} and start >= ${q.from.toISOString()} and start <= ${q.to.toISOString()}
      and symbol in (select json_array_elements_text(${JSON.stringify(q.symbols)}::json))
    group by symbol`);
  return new Map(rows.map((r) => [r.symbol, Number(r.n)]));
}

export async function insertInstruments(tx: Executor, rows: readonly InstrumentRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const done = await tx.insert(instruments).values([...rows]).onConflictDoNothing().returning({ symbol: instruments.symbol });
  return done.length;
}

/**
 * Bars of `symbols` and `interval` from `from` to `to` (by start), oldest first; `limit`: only each
 * symbol's newest that many. `withPrior`: also each symbol's newest bar before `from`, so a quote at any
 * time in the range is what an unbounded read would give, without reading days of history to find it.
 * "Newest n of a symbol" is a backward walk of the primary key (symbol, interval, start) that stops after n
 * rows, however long the history behind them.
 */
export async function selectBars(
  tx: Executor,
  q: { symbols: readonly string[]; interval: string; from?: Date; to?: Date; limit?: number; withPrior?: boolean },
): Promise<Bar[]> {
  const from = q.from ? sql`and start >= ${q.from.toISOString()}` : sql``;
  const to = q.to ? sql`and start <= ${q.to.toISOString()}` : sql``;
  const symbolList = sql`select json_array_elements_text(${JSON.stringify(q.symbols)}::json)`;
  const cols = sql`symbol, interval, start, open, high, low, close, volume, source, derived`;
  const range = sql`select ${cols} from bars where symbol in (${symbolList}) and interval = ${q.interval} ${from} ${to}`;
  const newest = (n: number, bounds: SQL) => sql`select p.* from (${symbolList}) s(sym) cross join lateral (
      select ${cols} from bars where symbol = s.sym and interval = ${q.interval} ${bounds} order by start desc limit ${n}
    ) p`;
  const rowsOf =
    q.limit !== undefined
      ? newest(q.limit, sql`${from} ${to}`)
      : q.withPrior && q.from
        ? sql`${range} union all ${newest(1, sql`and start < ${q.from.toISOString()}`)}`
        : range;
  const rows = await tx.execute<Omit<Bar, "start"> & { start: string | Date }>(sql`select * from (${rowsOf}) b order by start, symbol`);
  return rows.map((r) => ({ ...r, start: new Date(r.start) }));
}

export async function countBars(tx: Executor, where: { source?: string } = {}): Promise<number> {
  const filter = where.source ? sql`where source = ${where.source}` : sql``;
  const [row] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from bars ${filter}`);
  return row?.n ?? 0;
}

/** Symbols with bars of an interval, and how many each. */
export function listSymbolsWithBars(tx: Executor, { interval }: { interval: string }) {
  return tx.execute<{ symbol: string; n: number; first: string; last: string }>(sql`
    select symbol, count(*)::int as n, min(start) as first, max(start) as last
    from bars where interval = ${interval} group by symbol order by symbol`);
}

/** Drops derived day bars of the (symbol, New York day) pairs given: a source's own day bar replaces them. */
export async function deleteDerivedDays(tx: Executor, pairs: readonly { symbol: string; day: string }[]): Promise<number> {
  if (pairs.length === 0) return 0;
  const rows = await tx.execute(sql`
    delete from bars b
    using json_to_recordset(${JSON.stringify(pairs)}::json) as x(symbol text, day date)
    where b.interval = 'day' and b.derived and b.symbol = x.symbol
      and (b.start at time zone 'America/New_York')::date = x.day
    returning 1`);
  return rows.length;
}
