import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import type { Interval } from "@/lib/market/types";

/**
 * What market data a session may run on (lib/services/sessions/plan.ts): which symbols exist, which have
 * bars in a window, and the bar times to decide at. Bars and instruments are readable by every user.
 */
const list = (symbols: readonly string[]) => sql`(select json_array_elements_text(${JSON.stringify(symbols)}::json))`;

/** The symbols among `symbols` that the instruments table knows. */
export async function listKnownSymbols(tx: Executor, { symbols }: { symbols: readonly string[] }): Promise<string[]> {
  const rows = await tx.execute<{ symbol: string }>(sql`select symbol from instruments where symbol in ${list(symbols)}`);
  return rows.map((r) => r.symbol);
}

export type SymbolWithBars = {
  symbol: string;
  source: string;
  bars: number;
};

/** Symbols with bars of `interval` starting in [from, to), with their instrument's source; all symbols or those given. */
export async function listSymbolsWithBarsBetween(
  tx: Executor,
  { interval, from, to, symbols }: { interval: string; from: Date; to: Date; symbols?: readonly string[] },
): Promise<SymbolWithBars[]> {
  const only = symbols ? sql`and b.symbol in ${list(symbols)}` : sql``;
  return tx.execute<SymbolWithBars>(sql`
    select b.symbol, coalesce(min(i.source), min(b.source)) as source, count(*)::int as bars
    from bars b left join instruments i on i.symbol = b.symbol
    where b.interval = ${interval} and b.start >= ${from.toISOString()} and b.start < ${to.toISOString()} ${only}
    group by b.symbol order by b.symbol`);
}

/** First and last bar start of `interval` (among `symbols` when given); null when there is none. */
export async function getBarRange(tx: Executor, { interval, symbols }: { interval: string; symbols?: readonly string[] }) {
  const only = symbols ? sql`and symbol in ${list(symbols)}` : sql``;
  const [row] = await tx.execute<{ first: string | null; last: string | null }>(
    sql`select min(start) as first, max(start) as last from bars where interval = ${interval} ${only}`,
  );
  return { first: row?.first ? new Date(row.first) : null, last: row?.last ? new Date(row.last) : null };
}

/**
 * The distinct bar starts of `symbols` in [from, to), oldest first. Day bars: one time per New York day,
 * the latest start that day, so every symbol's day bar has opened by then (file day bars start at
 * 09:30, day bars derived from hours at 10:00).
 */
export async function listBarStarts(
  tx: Executor,
  { interval, symbols, from, to }: { interval: string; symbols: readonly string[]; from: Date; to: Date },
): Promise<Date[]> {
  const where = sql`interval = ${interval} and symbol in ${list(symbols)} and start >= ${from.toISOString()} and start < ${to.toISOString()}`;
  const rows =
    interval === "day"
      ? await tx.execute<{ start: string }>(
          sql`select max(start) as start from bars where ${where} group by (start at time zone 'America/New_York')::date order by 1`,
        )
      : await tx.execute<{ start: string }>(sql`select distinct start from bars where ${where} order by 1`);
  return rows.map((r) => new Date(r.start));
}

const ofKind = (synthetic: boolean) => (synthetic ? sql`source = 'synthetic'` : sql`source <> 'synthetic'`);

/**
 * First and last bar start of each interval in the synthetic market's bars and in all the others
 * (imported, fetched); minute bars derived from hour bars are left out (they exist only for days replayed
 * already). Two primary-key probes per instrument and interval, whatever the number of bars: a min/max over
 * the (interval, start) index filtered by source would read every bar of an interval that has none of a kind.
 * An instrument's bars are of its kind (the synthetic market's instruments have only synthetic bars).
 */
export interface BarRange {
  interval: Interval;
  synthetic: boolean;
  first: Date;
  last: Date;
}

export async function getBarRanges(tx: Executor): Promise<BarRange[]> {
  const rows = await tx.execute<{ interval: Interval; synthetic: boolean; first: string; last: string }>(sql`
    select iv.interval::text as interval, s.source = 'synthetic' as synthetic, min(r.first) as first, max(r.last) as last
    from instruments s
    cross join unnest(enum_range(null::bar_interval)) as iv(interval)
    cross join lateral (
      select
        (select b.start from bars b
          where b.symbol = s.symbol and b.interval = iv.interval and (b.source = 'synthetic') = (s.source = 'synthetic')
            and not (b.derived and iv.interval = 'minute')
          order by b.start limit 1) as first,
        (select b.start from bars b
          where b.symbol = s.symbol and b.interval = iv.interval and (b.source = 'synthetic') = (s.source = 'synthetic')
            and not (b.derived and iv.interval = 'minute')
          order by b.start desc limit 1) as last
    ) r
    where r.first is not null
    group by 1, 2`);
  return rows.map((r) => ({ interval: r.interval, synthetic: r.synthetic, first: new Date(r.first), last: new Date(r.last) }));
}

/** Whether a closed bar (its close known) of `interval` starts in [from, to), among the synthetic market's bars or the others. */
export async function hasClosedBarBetween(tx: Executor, { interval, synthetic, from, to }: { interval: string; synthetic: boolean; from: Date; to: Date }): Promise<boolean> {
  const [row] = await tx.execute<{ found: boolean }>(
    sql`select exists (select 1 from bars where interval = ${interval} and ${ofKind(synthetic)} and start >= ${from.toISOString()} and start < ${to.toISOString()} and close is not null) as found`,
  );
  return row?.found === true;
}
