import { sessionAt } from "./calendar";
import { MarketDataError } from "./errors";
import { compareBars } from "./parsed-bars";
import type { Bar } from "./types";

/**
 * Daily bars aggregated from hour or minute bars, per symbol per NYSE session: open of the first bar,
 * highest high, lowest low, close of the last bar, summed volume; derived: true; source kept.
 *
 * Decisions:
 * - start = the start of the first bar of the day. That is the session open (09:30) when the input
 *   covers it; with Alpha Vantage hourly bars (10:00 … 15:00) it is 10:00, because the day's open IS
 *   the 10:00 price: a 09:30 start would show that price half an hour before it existed. The bar
 *   still closes at the session close (see barEnd). Its volume misses 09:30–10:00.
 * - Only bars that start inside a regular session count (extended-hours bars are ignored).
 * - A session that contains an open-only bar (the source's bar still in progress) is skipped: its
 *   close and volume are not known yet, and a partial day bar would look final.
 */
export function aggregateDaily(bars: readonly Bar[]): Bar[] {
  const groups = new Map<string, Bar[]>();
  const sessionCache = new Map<number, string | null>();
  for (const bar of bars) {
    if (bar.interval === "day") {
      throw new MarketDataError("INVALID_REQUEST", `aggregateDaily takes hour or minute bars, got a day bar of ${bar.symbol}`);
    }
    const ms = bar.start.getTime();
    let day = sessionCache.get(ms);
    if (day === undefined) {
      day = sessionAt(bar.start)?.day ?? null;
      sessionCache.set(ms, day);
    }
    if (day === null) continue;
    const key = `${bar.symbol}\u0000${day}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(bar);
  }

  const out: Bar[] = [];
  for (const dayBars of groups.values()) {
    const intervals = new Set(dayBars.map((b) => b.interval));
    const first = dayBars[0];
    if (!first) continue;
    if (intervals.size > 1) {
      throw new MarketDataError("INVALID_REQUEST", `aggregateDaily got mixed intervals for ${first.symbol}; pass hour bars or minute bars, not both`);
    }
    const day = aggregateSession(dayBars);
    if (day) out.push(day);
  }
  return out.sort(compareBars);
}

function aggregateSession(dayBars: Bar[]): Bar | null {
  dayBars.sort((a, b) => a.start.getTime() - b.start.getTime());
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  for (const b of dayBars) {
    if (b.high === null || b.low === null || b.close === null || b.volume === null) return null;
    if (b.high > high) high = b.high;
    if (b.low < low) low = b.low;
    volume += b.volume;
  }
  const first = dayBars[0];
  const last = dayBars[dayBars.length - 1];
  if (!first || !last || last.close === null) return null;
  return {
    symbol: first.symbol,
    interval: "day",
    start: new Date(first.start.getTime()),
    open: first.open,
    high,
    low,
    close: last.close,
    volume,
    source: first.source,
    derived: true,
  };
}
