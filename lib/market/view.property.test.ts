import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateDaily } from "./aggregate";
import { parseAlphaVantage } from "./alpha-vantage";
import { deriveMinuteBarsFromHours } from "./brownian-bridge";
import { MarketDataError } from "./errors";
import { sessionOf } from "./calendar";
import { barEnd, INTRADAY_MS } from "./intervals";
import { createMemoryBarSource, type BarSource } from "./source";
import { createSyntheticBarSource, SyntheticMarket } from "./synthetic";
import { HOURLY_FILE, readSharedData } from "@/tests/support/shared-data";
import { nyDayOf } from "./time";
import { INTERVALS, type Bar, type Interval } from "./types";
import { createMarketView, quotesInMemory } from "./view";

const realUniverse = ["AAPL", "MSFT", "NVDA"];
const hours = parseAlphaVantage(readSharedData(HOURLY_FILE), HOURLY_FILE).bars.filter((b) => realUniverse.includes(b.symbol));
const recentHours = hours.filter((b) => nyDayOf(b.start) >= "2025-11-06");
const realBars = [...hours, ...aggregateDaily(hours), ...deriveMinuteBarsFromHours(recentHours, { seed: 9 })];

const realByKey = new Map(realBars.map((b) => [`${b.symbol}|${b.interval}|${b.start.getTime()}`, b]));

const syntheticUniverse = ["ZZQBIT", "ZZBANK", "ZZSOLR"];
const synthetic = new SyntheticMarket(3);
const syntheticBars = synthetic.bars({ from: "2025-11-24", to: "2025-11-28", symbols: syntheticUniverse });

/** A source that ignores the query's bounds and limit: whatever leaks past it, the gate must stop. */
function faulty(bars: readonly Bar[]): BarSource {
  return { getBars: async (q) => bars.filter((b) => q.symbols.includes(b.symbol) && b.interval === q.interval) };
}

interface Market {
  name: string;
  universe: string[];
  bars: readonly Bar[];
  /** The market's bar of a symbol and interval starting at an instant, if any. */
  lookup: (symbol: string, interval: Interval, startMs: number) => Bar | undefined;
  sources: BarSource[];
  from: number;
  to: number;
}

const markets: Market[] = [
  {
    name: "imported NASDAQ-100 hours, derived minutes and days",
    universe: realUniverse,
    bars: realBars,
    lookup: (symbol, interval, startMs) => realByKey.get(`${symbol}|${interval}|${startMs}`),
    sources: [createMemoryBarSource(realBars), faulty(realBars)],
    from: Date.parse("2025-11-05T12:00:00Z"),
    to: Date.parse("2025-11-11T02:00:00Z"),
  },
  {
    name: "synthetic market",
    universe: syntheticUniverse,
    bars: syntheticBars,
    lookup: (symbol, interval, startMs) => synthetic.barsOfDay(nyDayOf(new Date(startMs)), interval, symbol).find((b) => b.start.getTime() === startMs),
    sources: [createSyntheticBarSource(synthetic), faulty(syntheticBars)],
    from: Date.parse("2025-11-24T13:00:00Z"),
    to: Date.parse("2025-11-28T20:00:00Z"),
  },
];

const OHLCV_KEYS = ["high", "low", "close", "volume"];

describe.each(markets)("no look-ahead on the $name", (market) => {
  /** The bar of an interval that closes at `endMs` (a day bar starts at its session open, or 10:00 when derived from hours). */
  const barEndingAt = (symbol: string, interval: Interval, endMs: number) => {
    if (interval !== "day") return market.lookup(symbol, interval, endMs - INTRADAY_MS[interval]);
    const open = sessionOf(nyDayOf(new Date(endMs)))?.open.getTime() ?? NaN;
    return market.lookup(symbol, interval, open) ?? market.lookup(symbol, interval, open + 30 * 60_000);
  };
  // Clocks cluster on bar boundaries, where off-by-one mistakes live.
  const clock = fc.oneof(
    fc.integer({ min: market.from, max: market.to }),
    fc.integer({ min: Math.ceil(market.from / 60_000), max: Math.floor(market.to / 60_000) }).chain((m) => fc.constantFrom(m * 60_000, m * 60_000 - 1, m * 60_000 + 1)),
  );
  const query = fc.record({
    t: clock,
    sourceIndex: fc.integer({ min: 0, max: market.sources.length - 1 }),
    symbol: fc.constantFrom(...market.universe),
    interval: fc.constantFrom(...INTERVALS),
    limit: fc.integer({ min: 1, max: 200 }),
    fromBack: fc.option(fc.integer({ min: 0, max: 3 * 86_400_000 }), { nil: undefined }),
    ahead: fc.integer({ min: 1, max: 86_400_000 }),
  });

  it("returns only closed bars and the open of the current bar, and refuses ranges past the clock", async () => {
    await fc.assert(
      fc.asyncProperty(query, async ({ t, sourceIndex, symbol, interval, limit, fromBack, ahead }) => {
        const source = market.sources[sourceIndex];
        if (!source) throw new Error("no source");
        const view = createMarketView({ clock: { now: () => new Date(t) }, universe: market.universe, source });
        const request = fromBack === undefined ? { limit } : { from: new Date(t - fromBack) };

        for (const bar of await view.bars(symbol, interval, request)) {
          expect(bar.start.getTime()).toBeLessThan(t);
          expect(barEnd(bar).getTime()).toBeLessThanOrEqual(t);
          expect(bar).toEqual(market.lookup(bar.symbol, bar.interval, bar.start.getTime()));
        }

        const quotes = await view.quotes().catch((e: unknown) => (e instanceof MarketDataError && e.code === "NO_DATA" ? [] : Promise.reject(e)));
        for (const q of quotes) {
          expect(Object.keys(q).filter((k) => OHLCV_KEYS.includes(k))).toEqual([]);
          expect(q.at.getTime()).toBeLessThanOrEqual(t);
          if (q.basis === "open") expect(q.price).toBe(market.lookup(q.symbol, q.interval, q.at.getTime())?.open);
          else expect(q.price).toBe(barEndingAt(q.symbol, q.interval, q.at.getTime())?.close);
        }

        const future = await view.bars(symbol, interval, { to: new Date(t + ahead) }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(future).toBeInstanceOf(MarketDataError);
        expect((future as MarketDataError).code).toBe("LOOKAHEAD");
      }),
      { numRuns: 150 },
    );
  }, 60_000); // a first long day-bar history makes the synthetic market simulate months of sessions

  it("quotes the open of the smallest bar in progress when there is one", async () => {
    await fc.assert(
      fc.asyncProperty(clock, fc.constantFrom(...market.universe), async (t, symbol) => {
        const view = createMarketView({ clock: { now: () => new Date(t) }, universe: market.universe, source: market.sources[0] as BarSource });
        const inProgress = INTERVALS.map((i) => market.bars.find((b) => b.symbol === symbol && b.interval === i && b.start.getTime() <= t && t < barEnd(b).getTime()));
        const [day, hour, minute] = inProgress;
        const expected = minute ?? hour ?? day;
        if (!expected) return;
        expect(await view.quote(symbol)).toMatchObject({ symbol, price: expected.open, at: expected.start, basis: "open", interval: expected.interval });
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it("quotesInMemory quotes what the market view quotes, symbol by symbol, at any clock and intervals", async () => {
    const memory = createMemoryBarSource(market.bars);
    await fc.assert(
      fc.asyncProperty(clock, fc.subarray([...INTERVALS], { minLength: 1 }), async (t, intervals) => {
        const view = createMarketView({ clock: { now: () => new Date(t) }, universe: market.universe, source: memory, intervals });
        const viaView = await Promise.all(market.universe.map((s) => view.quote(s).catch(() => null)));
        expect(quotesInMemory(memory, market.universe, intervals, new Date(t))).toEqual(viaView);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
