import "server-only";
import type { Executor } from "@/lib/db/client";
import { selectBars } from "@/lib/db/queries/bars";
import { createMemoryBarSource, type Bar, type BarQuery, type BarSource, type Interval } from "@/lib/market";

/** Closed bars a tool may ask for (get_bars limit ≤ 500, get_indicators' lookback of 500) plus the two the market view's gate adds. */
export const LOOKBACK_BARS = 502;

/**
 * A session's bars, loaded ONCE when its run starts: every bar of the universe at the session interval
 * from LOOKBACK_BARS before the first bar time to the last one. The market view built over it each bar
 * still enforces the clock (its gate filters whatever a source returns). A query the memory cannot answer
 * exactly (another interval, or older history than was loaded) goes to `fallback` (the bars table).
 */
export async function preloadSessionBars(
  db: Executor,
  { symbols, interval, from, to, fallback }: { symbols: readonly string[]; interval: Interval; from: Date; to: Date; fallback: BarSource },
): Promise<BarSource> {
  const { before, bars } = await readOnce(db, { symbols, interval, from, to });
  // Per symbol: the oldest bar held, or null when the whole history up to `to` is held.
  const countBefore = new Map<string, number>();
  const oldest = new Map<string, number>();
  for (const b of before) {
    countBefore.set(b.symbol, (countBefore.get(b.symbol) ?? 0) + 1);
    const ms = b.start.getTime();
    if (ms < (oldest.get(b.symbol) ?? Infinity)) oldest.set(b.symbol, ms);
  }
  const coveredFrom = new Map<string, number | null>();
  for (const s of symbols) coveredFrom.set(s, (countBefore.get(s) ?? 0) >= LOOKBACK_BARS ? (oldest.get(s) ?? null) : null);
  return createCachedBarSource({ bars, interval, coveredFrom, loadedTo: to.getTime(), fallback });
}

/**
 * The preload's two reads, shared by the runs of this process that start at the same moment with the same
 * universe, interval and range (a batch of sessions created together: their claims come at once): one read
 * while it is in flight, none kept after it. What each run gets is what it would have read itself at that
 * moment; the bars are not changed by anyone who reads them.
 */
const inFlightByDb = new WeakMap<Executor, Map<string, Promise<{ before: Bar[]; bars: Bar[] }>>>();

function readOnce(db: Executor, q: { symbols: readonly string[]; interval: Interval; from: Date; to: Date }): Promise<{ before: Bar[]; bars: Bar[] }> {
  let inFlight = inFlightByDb.get(db);
  if (!inFlight) inFlightByDb.set(db, (inFlight = new Map()));
  const key = JSON.stringify([q.interval, q.from.getTime(), q.to.getTime(), [...q.symbols].sort()]);
  const known = inFlight.get(key);
  if (known) return known;
  const read = (async () => {
    const [before, inRange] = await Promise.all([
      selectBars(db, { symbols: q.symbols, interval: q.interval, to: new Date(q.from.getTime() - 1), limit: LOOKBACK_BARS }),
      selectBars(db, { symbols: q.symbols, interval: q.interval, from: q.from, to: q.to }),
    ]);
    return { before: before as Bar[], bars: [...before, ...inRange] as Bar[] };
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, read);
  return read;
}

/** Exported for tests: the routing between memory and `fallback`. */
export function createCachedBarSource({
  bars,
  interval,
  coveredFrom,
  loadedTo,
  fallback,
}: {
  bars: readonly Bar[];
  interval: Interval;
  /** Per symbol: oldest bar start held (ms), or null when everything before `loadedTo` is held. */
  coveredFrom: ReadonlyMap<string, number | null>;
  loadedTo: number;
  fallback: BarSource;
}): BarSource {
  const memory = createMemoryBarSource(bars);
  const perSymbol = new Map<string, number[]>();
  for (const b of bars) {
    let list = perSymbol.get(b.symbol);
    if (!list) perSymbol.set(b.symbol, (list = []));
    list.push(b.start.getTime());
  }
  for (const list of perSymbol.values()) list.sort((a, b) => a - b);

  const answerable = (q: BarQuery): boolean => {
    if (q.interval !== interval) return false;
    if (q.to !== undefined && q.to.getTime() > loadedTo) return false;
    if (q.to === undefined) return false;
    return q.symbols.every((s) => {
      if (!coveredFrom.has(s)) return false;
      const from = coveredFrom.get(s) ?? null;
      if (from === null) return true;
      if (q.from !== undefined && q.from.getTime() >= from) return true;
      if (q.limit === undefined) return false;
      // enough bars held at or before `to` to serve the latest `limit`
      const starts = perSymbol.get(s) ?? [];
      return countAtOrBefore(starts, q.to!.getTime()) >= q.limit;
    });
  };

  return {
    getBars: (q) => (answerable(q) ? memory.getBars(q) : fallback.getBars(q)),
    // Quotes are not preloaded: a chain asks for them when it is read (a session with no options asks nothing).
    ...(fallback.getOptionQuotes && { getOptionQuotes: fallback.getOptionQuotes }),
  };
}

function countAtOrBefore(sorted: readonly number[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
