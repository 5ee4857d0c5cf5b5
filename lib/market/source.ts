import { latestOptionQuotes, type OptionQuoteQuery, type StoredOptionQuote } from "./option-quotes";
import type { Bar, Interval } from "./types";

/** What the market view asks a bar store for. Bounds apply to the bar START and are inclusive. */
export interface BarQuery {
  symbols: readonly string[];
  interval: Interval;
  from?: Date;
  to?: Date;
  /** Keep only the latest `limit` bars of EACH symbol within the bounds. */
  limit?: number;
}

/**
 * A store of bars (Postgres in production, memory or the synthetic generator here). It knows
 * nothing about the clock: only the market view may decide what is visible, so it always passes `to`.
 */
export interface BarSource {
  /** Bars matching the query, ordered by start, then symbol. */
  getBars(query: BarQuery): Promise<Bar[]>;
  /** Quoted options, when the store has any (option-quotes.ts); without it every chain is modelled. */
  getOptionQuotes?(query: OptionQuoteQuery): Promise<StoredOptionQuote[]>;
}

function firstIndexAtOrAfter(series: readonly Bar[], ms: number): number {
  let lo = 0;
  let hi = series.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((series[mid]?.start.getTime() ?? Infinity) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bars of one series (sorted by start) that match the query's bounds and limit. */
export function selectFromSeries(series: readonly Bar[], query: Omit<BarQuery, "symbols" | "interval">): Bar[] {
  const lo = query.from ? firstIndexAtOrAfter(series, query.from.getTime()) : 0;
  const hi = query.to ? firstIndexAtOrAfter(series, query.to.getTime() + 1) : series.length;
  const start = query.limit !== undefined ? Math.max(lo, hi - query.limit) : lo;
  return series.slice(start, Math.max(start, hi));
}

export function compareByStartThenSymbol(a: Bar, b: Bar): number {
  return a.start.getTime() - b.start.getTime() || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);
}

/** A BarSource over bars held in memory, which also answers synchronously. */
export interface MemoryBarSource extends BarSource {
  select(query: BarQuery): Bar[];
}

/** An in-memory BarSource over a fixed list of bars (tests, imported files, the synthetic market). */
export function createMemoryBarSource(bars: readonly Bar[], optionQuotes?: readonly StoredOptionQuote[]): MemoryBarSource {
  const index = new Map<string, Bar[]>();
  for (const bar of bars) {
    const key = `${bar.symbol}\u0000${bar.interval}`;
    let series = index.get(key);
    if (!series) index.set(key, (series = []));
    series.push(bar);
  }
  for (const series of index.values()) series.sort((a, b) => a.start.getTime() - b.start.getTime());
  const select = (query: BarQuery): Bar[] => {
    const out: Bar[] = [];
    for (const symbol of new Set(query.symbols)) {
      const series = index.get(`${symbol}\u0000${query.interval}`);
      if (series) out.push(...selectFromSeries(series, query));
    }
    return out.sort(compareByStartThenSymbol);
  };
  return {
    select,
    getBars: async (query) => select(query),
    ...(optionQuotes && { getOptionQuotes: async (query: OptionQuoteQuery) => latestOptionQuotes(optionQuotes, query) }),
  };
}
