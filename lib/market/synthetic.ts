import { sessionOf, tradingDays } from "./calendar";
import { MarketDataError } from "./errors";
import type { Instrument } from "./instrument";
import { compareByStartThenSymbol, selectFromSeries, type BarSource } from "./source";
import { SYNTHETIC_EPOCH, SyntheticDailyPath } from "./synthetic-daily";
import { sessionBars, simulateSyntheticSession } from "./synthetic-day";
import { SYNTHETIC_INSTRUMENTS } from "./synthetic-instruments";
import { nyDayOf } from "./time";
import { INTERVALS, type Bar, type Interval } from "./types";

const MINUTE_DAYS_KEPT = 8;

function copy(bar: Bar): Bar {
  return { ...bar, start: new Date(bar.start.getTime()) };
}

type BySymbol = Map<string, Bar[]>;

/**
 * The offline default market: ~30 fictional "ZZ…" equities (exchange "SYNTH"), correlated through a
 * market factor and sector factors, in regimes (calm bull, volatile, bear) that switch by a seeded
 * Markov chain; minute, hour and day bars on NYSE sessions with source "synthetic".
 * Deterministic: the same seed gives the same bar for the same symbol, interval and start, whatever
 * range is asked for and in whatever order. Day and hour bars are kept once made; minute bars for
 * the last few sessions asked for.
 */
export class SyntheticMarket {
  readonly instruments: readonly Instrument[] = SYNTHETIC_INSTRUMENTS;
  private readonly daily: SyntheticDailyPath;
  private readonly summaries = new Map<string, { hour: BySymbol; day: BySymbol }>();
  private readonly minutes = new Map<string, BySymbol>();

  constructor(readonly seed: number) {
    this.daily = new SyntheticDailyPath(seed);
  }

  /** One instrument's bars of one interval on one day, oldest first ([] when closed or unknown). Shared: do not mutate. */
  barsOfDay(day: string, interval: Interval, symbol: string): readonly Bar[] {
    const session = day >= SYNTHETIC_EPOCH ? sessionOf(day) : null;
    if (!session) return [];
    const cached = interval === "minute" ? this.minutes.get(day) : this.summaries.get(day)?.[interval];
    if (cached) return cached.get(symbol) ?? [];
    const sim = simulateSyntheticSession(this.seed, this.daily.get(day), session);
    const group = (i: Interval): BySymbol => new Map(sim.symbols.map((m) => [m.symbol, sessionBars(sim, m, i)]));
    if (!this.summaries.has(day)) this.summaries.set(day, { hour: group("hour"), day: group("day") });
    if (interval === "minute") {
      this.minutes.set(day, group("minute"));
      if (this.minutes.size > MINUTE_DAYS_KEPT) {
        const oldest = this.minutes.keys().next().value;
        if (oldest !== undefined) this.minutes.delete(oldest);
      }
    }
    return this.barsOfDay(day, interval, symbol);
  }

  /** Copies of the bars of the given days (inclusive 'YYYY-MM-DD'), ordered by start then symbol. */
  bars(options: { from: string; to: string; intervals?: readonly Interval[]; symbols?: readonly string[] }): Bar[] {
    const symbols = options.symbols ?? this.instruments.map((i) => i.symbol);
    const out: Bar[] = [];
    for (const interval of options.intervals ?? INTERVALS) {
      for (const day of tradingDays(options.from < SYNTHETIC_EPOCH ? SYNTHETIC_EPOCH : options.from, options.to)) {
        for (const symbol of symbols) for (const b of this.barsOfDay(day, interval, symbol)) out.push(copy(b));
      }
    }
    return out.sort(compareByStartThenSymbol);
  }
}

/** All synthetic bars of a range of days; see SyntheticMarket. */
export function generateSyntheticBars(options: { seed: number; from: string; to: string; intervals?: readonly Interval[]; symbols?: readonly string[] }): Bar[] {
  return new SyntheticMarket(options.seed).bars(options);
}

/**
 * A BarSource over the synthetic market that generates days on demand. A query without `from`
 * walks back day by day from `to` until `limit` bars per symbol are found (or to the epoch).
 */
export function createSyntheticBarSource(market: SyntheticMarket): BarSource {
  const known = new Set(market.instruments.map((i) => i.symbol));
  return {
    async getBars(query) {
      if (!query.to) throw new MarketDataError("INVALID_REQUEST", "the synthetic source needs query.to (the market view always sets it)");
      const symbols = [...new Set(query.symbols)].filter((s) => known.has(s));
      const lastDay = nyDayOf(query.to);
      const firstDay = query.from && nyDayOf(query.from) > SYNTHETIC_EPOCH ? nyDayOf(query.from) : SYNTHETIC_EPOCH;
      if (symbols.length === 0 || firstDay > lastDay) return [];
      const chunks = new Map<string, Bar[][]>(symbols.map((s) => [s, []]));
      const counts = new Map<string, number>(symbols.map((s) => [s, 0]));
      for (const day of tradingDays(firstDay, lastDay).reverse()) {
        for (const symbol of symbols) {
          const matched = selectFromSeries(market.barsOfDay(day, query.interval, symbol), { from: query.from, to: query.to });
          chunks.get(symbol)?.push(matched);
          counts.set(symbol, (counts.get(symbol) ?? 0) + matched.length);
        }
        if (query.limit !== undefined && symbols.every((s) => (counts.get(s) ?? 0) >= (query.limit ?? 0))) break;
      }
      const out: Bar[] = [];
      for (const symbolChunks of chunks.values()) {
        const series = symbolChunks.reverse().flat();
        out.push(...(query.limit !== undefined ? series.slice(Math.max(0, series.length - query.limit)) : series));
      }
      return out.map(copy).sort(compareByStartThenSymbol);
    },
  };
}
