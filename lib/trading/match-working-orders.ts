import { isOccSymbol, matchBar, priceToMoney, type BarPrices, type FillBar } from "@/lib/engine";
import { createMarketView, nyDayOf, type BarSource, type Interval, type MarketView } from "@/lib/market";
import type { BookFill, SessionBook } from "./book";
import { applyEngineResult } from "./book-fills";
import type { SessionTradingRules } from "./trading-settings";

export interface MatchAt {
  sessionId: string;
  book: SessionBook;
  rules: SessionTradingRules;
  /** The market view at the bar about to be decided (bar i): the bar before it has closed. */
  market: MarketView;
  interval: Interval;
  schedule: readonly Date[];
  /** The bar about to be decided; the working orders are matched against bar index − 1. */
  index: number;
  /** The same clock over FINER_INTERVAL[interval]'s bars, to tell which leg of a pair a bar reached first. */
  finer?: { view: MarketView; interval: Interval };
}

/** The bars that split a session's bar: hours of a day, minutes of an hour (when stored; else the conservative rule). */
export const FINER_INTERVAL: Partial<Record<Interval, Interval>> = { day: "hour", hour: "minute" };

/** MatchAt's `finer`: the same clock and bars over the interval that splits `interval`'s bars (none for minutes). */
export function finerViewOf(o: { clock: { now(): Date }; universe: readonly string[]; source: BarSource; interval: Interval }): MatchAt["finer"] {
  const interval = FINER_INTERVAL[o.interval];
  return interval && { view: createMarketView({ clock: o.clock, universe: o.universe, source: o.source, intervals: [interval] }), interval };
}

/**
 * Before bar i's decision, the session's working orders are matched against the bar that has just closed,
 * bar i − 1 (the fill model, lib/engine/fill-model.ts): an order placed at bar t (at its open) is first
 * matched when bar t has closed, at bar t + 1, so it may fill at t's open or at a price t reached, never
 * earlier, and the model deciding at bar t + 1 sees its fills, as a trader would, without seeing bar t + 1
 * beyond its open. Fills go through the book like market fills; the bar's commit writes them and every
 * order that moved. A symbol without a closed bar at i − 1 (a halt, a hole in the data) is not matched.
 * Where a bar sits in its New York day comes from the schedule (day orders expire at a day's last bar).
 */
export async function matchWorkingOrders(m: MatchAt): Promise<BookFill[]> {
  if (m.index === 0 || m.book.working().length === 0) return [];
  const start = m.schedule[m.index - 1]!;
  const day = nyDayOf(start);
  const firstOfDay = m.index - 1 === 0 || nyDayOf(m.schedule[m.index - 2]!) !== day;
  const lastOfDay = nyDayOf(m.schedule[m.index]!) !== day;
  // Option contracts have no bars: their orders meet the modelled quotes instead (match-option-orders.ts).
  const symbols = [...new Set(m.book.working().filter((o) => !isOccSymbol(o.symbol)).map((o) => o.symbol))].sort();
  const fills: BookFill[] = [];
  for (const symbol of symbols) {
    const [bar] = await m.market.bars(symbol, m.interval, { from: start, limit: 1 });
    if (!bar || bar.start.getTime() !== start.getTime() || bar.high === null || bar.low === null || bar.close === null) continue;
    const fillBar: FillBar = {
      symbol,
      time: start.getTime(),
      volume: bar.volume ?? 0,
      open: priceToMoney(bar.open, symbol),
      high: priceToMoney(bar.high, symbol),
      low: priceToMoney(bar.low, symbol),
      close: priceToMoney(bar.close, symbol),
      firstOfDay,
      lastOfDay,
    };
    const before = m.book.working();
    const paired = before.some((o) => o.symbol === symbol && (o.ocoWith !== undefined || o.parentId !== undefined));
    const result = matchBar({
      orders: before,
      bar: fillBar,
      settings: { fees: m.rules.fees, slippageBps: m.rules.slippageBps, participationBps: m.rules.participationBps },
      finerBars: paired && m.finer ? await finerBarsOf(m.finer, fillBar, m.schedule[m.index]!) : undefined,
      account: { cash: m.book.cash, positions: m.book.positions },
    });
    fills.push(...applyEngineResult(m.book, m.sessionId, before, result));
  }
  return fills;
}

/**
 * The finer bars inside `bar` (which closed by `end`, the clock), in time order, when they account for the
 * whole bar (their highest high and lowest low are the bar's): else none, and the fill model's conservative
 * rule decides (the stop-loss first). Only for a symbol with a one-cancels-other pair working: a take-profit
 * and a stop-loss both inside one bar are the only thing the finer bars settle.
 */
async function finerBarsOf({ view, interval }: { view: MarketView; interval: Interval }, bar: FillBar, end: Date): Promise<BarPrices[] | undefined> {
  const bars = (await view.bars(bar.symbol, interval, { from: new Date(bar.time) })).filter((b) => b.start.getTime() < end.getTime());
  if (bars.length === 0) return undefined;
  const prices = bars.map((b) => ({
    open: priceToMoney(b.open, bar.symbol),
    high: priceToMoney(b.high!, bar.symbol),
    low: priceToMoney(b.low!, bar.symbol),
    close: priceToMoney(b.close!, bar.symbol),
    firstOfDay: false,
    lastOfDay: false,
  }));
  const high = prices.reduce((h, p) => (p.high > h ? p.high : h), prices[0]!.high);
  const low = prices.reduce((l, p) => (p.low < l ? p.low : l), prices[0]!.low);
  return high === bar.high && low === bar.low ? prices : undefined;
}
