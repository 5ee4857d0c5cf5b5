import { MarketDataError } from "./errors";
import { barEnd, requireInterval } from "./intervals";
import { parseDay } from "./time";
import { QUOTE_MAX_AGE_MS, type StoredOptionQuote } from "./option-quotes";
import type { BarQuery, BarSource, MemoryBarSource } from "./source";
import { INTERVALS, type Bar, type Interval } from "./types";
import type { BarsRequest, Clock, MarketView, OpenOnly, OptionQuotesRequest, Quote } from "./view-types";

export interface MarketViewOptions {
  clock: Clock;
  /** The symbols this session may read; anything else is NOT_IN_UNIVERSE. */
  universe: readonly string[];
  source: BarSource;
  /** Intervals the source has (default: all three). quote() looks at the smallest first. */
  intervals?: readonly Interval[];
}

export const DEFAULT_BARS_LIMIT = 100;
export const MAX_BARS_LIMIT = 10_000;
const ORDER: Readonly<Record<Interval, number>> = { minute: 0, hour: 1, day: 2 };

const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");

interface Visible {
  closed: Bar[];
  opens: OpenOnly[];
}

/**
 * THE MARKET VIEW: the only way agents and services read prices. At clock t it returns bars that
 * closed at or before t (barEnd ≤ t, close known) and, of any other bar that started at or before t,
 * only its open. Every method goes through `gate`, the only caller of the source.
 */
export function createMarketView(options: MarketViewOptions): MarketView {
  const { clock, source } = options;
  const universe = [...new Set(options.universe)];
  const members = new Set(universe);
  const intervals = [...new Set(options.intervals ?? INTERVALS)].sort((a, b) => ORDER[a] - ORDER[b]);

  function assertInUniverse(symbols: readonly string[]): void {
    const outside = symbols.filter((s) => !members.has(s));
    if (outside.length === 0) return;
    const listed = universe.length > 40 ? `${universe.slice(0, 40).join(", ")}, … (${universe.length} in all)` : universe.join(", ");
    const hint = outside.map((s) => s.toUpperCase()).filter((s) => members.has(s));
    throw new MarketDataError(
      "NOT_IN_UNIVERSE",
      `${outside.join(", ")} ${outside.length === 1 ? "is" : "are"} not in this session's universe: ${listed}.` +
        (hint.length > 0 ? ` Symbols are case-sensitive: did you mean ${hint.join(", ")}?` : " Use one of these symbols."),
    );
  }

  /** THE GATE. Nothing reaches a caller without passing through here. */
  async function gate(symbols: readonly string[], interval: Interval, now: Date, range: Range): Promise<Visible> {
    assertInUniverse(symbols);
    for (const [name, d] of [["to", range.to], ["from", range.from]] as const) {
      if (d && d.getTime() > now.getTime()) {
        throw new MarketDataError(
          "LOOKAHEAD",
          `bars after ${iso(now)} are in the future at this point of the session (you asked for ${name} = ${iso(d)}); ask for data up to ${iso(now)}`,
        );
      }
    }
    return visibleAt(await source.getBars(sourceQuery(symbols, interval, now, range)), symbols, interval, now, range);
  }

  async function quotes(symbols: readonly string[] = universe): Promise<Quote[]> {
    assertInUniverse(symbols);
    const now = clock.now();
    const seen = await Promise.all(intervals.map((interval) => gate(symbols, interval, now, { limit: 1 })));
    const missing: string[] = [];
    const result = symbols.map((symbol) => {
      const q = pickQuote(symbol, seen);
      if (!q) missing.push(symbol);
      return q;
    });
    if (missing.length > 0) {
      throw new MarketDataError("NO_DATA", `no price for ${missing.join(", ")} at or before ${iso(now)}: the market data has no bars for ${missing.length === 1 ? "it" : "them"} yet`);
    }
    return result.filter((q): q is Quote => q !== null);
  }

  return {
    universe,
    now: () => clock.now(),
    quotes,
    async quote(symbol) {
      const [q] = await quotes([symbol]);
      if (!q) throw new MarketDataError("NO_DATA", `no price for ${symbol}`);
      return q;
    },
    async bars(symbol, interval, request: BarsRequest = {}) {
      requireInterval(interval);
      const { from, to } = request;
      for (const d of [from, to]) if (d !== undefined && (!(d instanceof Date) || Number.isNaN(d.getTime()))) {
        throw new MarketDataError("INVALID_REQUEST", "from and to must be valid dates");
      }
      if (from && to && from.getTime() > to.getTime()) throw new MarketDataError("INVALID_REQUEST", `from ${iso(from)} is after to ${iso(to)}`);
      const limit = request.limit ?? (from ? undefined : DEFAULT_BARS_LIMIT);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_BARS_LIMIT)) {
        throw new MarketDataError("INVALID_REQUEST", `limit must be a whole number from 1 to ${MAX_BARS_LIMIT}, got ${limit}`);
      }
      return (await gate([symbol], interval, clock.now(), { from, to, limit })).closed;
    },
    async optionQuotes(underlying, request: OptionQuotesRequest = {}) {
      assertInUniverse([underlying]);
      for (const day of [request.expiryFrom, request.expiryTo]) {
        if (day !== undefined && !parseDay(day)) throw new MarketDataError("INVALID_REQUEST", `the expiry ${JSON.stringify(day)} is not a calendar day (an expiry is "YYYY-MM-DD", e.g. "2025-10-17")`);
      }
      if (!source.getOptionQuotes) return [];
      const now = clock.now();
      const since = new Date(now.getTime() - QUOTE_MAX_AGE_MS);
      const fetched = await source.getOptionQuotes({ ...request, underlying, at: now, since });
      // The gate for quotes: whatever the store sends, nothing stamped after the clock, nothing stale, nothing else asked.
      const wanted = request.symbols ? new Set(request.symbols) : null;
      return fetched.filter(
        (q: StoredOptionQuote) =>
          q.underlying === underlying &&
          q.at.getTime() <= now.getTime() &&
          q.at.getTime() >= since.getTime() &&
          (!wanted || wanted.has(q.symbol)) &&
          (!request.expiryFrom || q.expiry >= request.expiryFrom) &&
          (!request.expiryTo || q.expiry <= request.expiryTo),
      );
    },
  };
}

/**
 * The quote of each symbol at `now` (null where there is none yet), read synchronously from bars in
 * memory: what a market view over `source` with these intervals quotes, without an await per bar time.
 * For curves over thousands of bar times (the benchmark), where an await per quote is pure overhead.
 */
export function quotesInMemory(source: MemoryBarSource, symbols: readonly string[], intervals: readonly Interval[], now: Date): (Quote | null)[] {
  const seen = [...new Set(intervals)].map((interval) => visibleAt(source.select(sourceQuery(symbols, interval, now, { limit: 1 })), symbols, interval, now, { limit: 1 }));
  return symbols.map((symbol) => pickQuote(symbol, seen));
}

type Range = { from?: Date; to?: Date; limit?: number };

function sourceQuery(symbols: readonly string[], interval: Interval, now: Date, range: Range): BarQuery {
  return {
    symbols,
    interval,
    from: range.from,
    to: range.to ?? now,
    // the newest bar or two may be in progress or lack a close: fetch a little more than asked
    limit: range.limit === undefined ? undefined : range.limit + 2,
  };
}

/** Of the bars fetched, what the clock lets a caller see: closed bars, and of the others only their open. */
function visibleAt(fetched: readonly Bar[], symbols: readonly string[], interval: Interval, now: Date, range: Range): Visible {
  const cutoff = range.to ?? now;
  const wanted = new Set(symbols);
  const nowMs = now.getTime();
  const closedBySymbol = new Map<string, Bar[]>();
  const opens: OpenOnly[] = [];
  for (const bar of fetched) {
    const startMs = bar.start.getTime();
    if (bar.interval !== interval || !wanted.has(bar.symbol) || startMs > nowMs) continue;
    if (range.from && startMs < range.from.getTime()) continue;
    const endMs = barEnd(bar).getTime();
    const complete = bar.high !== null && bar.low !== null && bar.close !== null && bar.volume !== null;
    if (endMs <= cutoff.getTime() && complete) {
      let list = closedBySymbol.get(bar.symbol);
      if (!list) closedBySymbol.set(bar.symbol, (list = []));
      list.push({ ...bar, start: new Date(startMs) });
    } else if (endMs > nowMs || !complete) {
      const { symbol, open, source, derived } = bar;
      opens.push({ symbol, interval, start: new Date(startMs), open, source, derived, inProgress: endMs > nowMs });
    }
  }
  const closed: Bar[] = [];
  for (const list of closedBySymbol.values()) {
    list.sort((a, b) => a.start.getTime() - b.start.getTime());
    closed.push(...(range.limit === undefined ? list : list.slice(Math.max(0, list.length - range.limit))));
  }
  return { closed, opens };
}

/**
 * The most recent price the clock allows: the open of the bar in progress (at its start), a close
 * (at its bar's end) or the bare open of a newest bar whose close the source lacks. Latest wins; on
 * a tie the open of a bar in progress beats a close, and a smaller interval beats a larger one. So
 * normally the quote is the open of the minute (or hour, or day) bar in progress, and a gap in
 * minute data falls back to the last minute close rather than an older hour open.
 */
function pickQuote(symbol: string, seen: readonly Visible[]): Quote | null {
  const candidates: { quote: Quote; rank: number }[] = [];
  for (const v of seen) {
    for (const o of v.opens) if (o.symbol === symbol) candidates.push({ quote: openQuote(o), rank: o.inProgress ? 0 : 2 });
    for (const b of v.closed) {
      if (b.symbol !== symbol || b.close === null) continue;
      const quote: Quote = { symbol, price: b.close, at: barEnd(b), basis: "close", interval: b.interval, source: b.source, derived: b.derived };
      candidates.push({ quote, rank: 1 });
    }
  }
  candidates.sort(
    (a, b) => b.quote.at.getTime() - a.quote.at.getTime() || a.rank - b.rank || ORDER[a.quote.interval] - ORDER[b.quote.interval],
  );
  return candidates[0]?.quote ?? null;
}

function openQuote(o: OpenOnly): Quote {
  return { symbol: o.symbol, price: o.open, at: o.start, basis: "open", interval: o.interval, source: o.source, derived: o.derived };
}
