import { matchBar, priceToMoney, type FillBar } from "@/lib/engine";
import { nyDayOf, type Interval, type MarketView } from "@/lib/market";
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
  const symbols = [...new Set(m.book.working().map((o) => o.symbol))].sort();
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
    const result = matchBar({
      orders: before,
      bar: fillBar,
      settings: { fees: m.rules.fees, slippageBps: m.rules.slippageBps },
      account: { cash: m.book.cash, positions: m.book.positions },
    });
    fills.push(...applyEngineResult(m.book, m.sessionId, before, result));
  }
  return fills;
}
