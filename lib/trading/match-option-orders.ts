import { EngineError, isBuySide, isOccSymbol, matchBar, remainingQuantity, type FillBar, type Money, type OrderBookEvent, type WorkingOrder } from "@/lib/engine";
import { lastPricesFor, reservedOnBook } from "./book-prices";
import { checkOptionFill } from "./place-option-order";
import { nyDayOf, type MarketView } from "@/lib/market";
import type { BookFill, SessionBook } from "./book";
import { applyEngineResult } from "./book-fills";
import { optionQuoteOn } from "./option-prices";
import { expiredBy } from "./option-prices";
import type { SessionTradingRules } from "./trading-settings";

/**
 * Limit orders on option contracts working across bars (place-option-order.ts). Contracts have no bars of their own,
 * only the modelled quote at each bar's clock, so before each decision (after the stock orders' match) each working
 * option order meets the quote NOW, from the bar after it was placed: a buy (buy_to_open, buy_to_close) fills when the
 * ask is at or below its limit, at the ask; a sale (sell_to_close) when the bid is at or above it, at the bid; whole,
 * no slippage, the fee per contract, the cash and contracts checked at the fill (the engine's fill model, matchBar, on
 * a bar made of that one quote). A write (sell_to_open) the bid reaches is first checked as a market write at that bid
 * would be (Reg-T, against what the other working orders hold back): one the account cannot carry then is cancelled
 * (reason `insufficient_margin`) instead of filling. Day orders end with their New York day: one from an earlier day is expired before
 * the match, and one still working at the last bar of its day after it. An order on a contract past its expiry's
 * close is expired (reason `contract_expired`): the contract itself was settled (settle-expiries.ts).
 */
const UNQUOTED: ReadonlySet<string> = new Set(["INVALID_REQUEST", "NO_DATA", "NOT_ENOUGH_BARS"]);

export interface OptionMatchAt {
  readonly sessionId: string;
  readonly book: SessionBook;
  readonly rules: SessionTradingRules;
  readonly market: MarketView;
  readonly schedule: readonly Date[];
  readonly index: number;
}

export async function matchOptionOrders(m: OptionMatchAt): Promise<BookFill[]> {
  const options = m.book.working().filter((o) => isOccSymbol(o.symbol));
  if (options.length === 0) return [];
  const now = m.schedule[m.index]!;
  const today = nyDayOf(now);
  const lastOfDay = m.index + 1 >= m.schedule.length || nyDayOf(m.schedule[m.index + 1]!) !== today;

  const ended = options.flatMap((o): OrderBookEvent[] => {
    if (expiredBy(o.symbol, now)) return [{ kind: "expired", orderId: o.id, reason: "contract_expired", time: now.getTime() }];
    if (o.timeInForce === "day" && nyDayOf(new Date(o.placedAt)) !== today) return [{ kind: "expired", orderId: o.id, reason: "day", time: now.getTime() }];
    return [];
  });
  if (ended.length > 0) {
    const before = m.book.working();
    const gone = new Set(ended.map((e) => e.orderId));
    applyEngineResult(m.book, m.sessionId, before, { orders: before.filter((o) => !gone.has(o.id)), events: ended });
  }

  const fills: BookFill[] = [];
  const symbols = [...new Set(m.book.working().filter((o) => isOccSymbol(o.symbol)).map((o) => o.symbol))].sort();
  for (const symbol of symbols) {
    // A contract the chain cannot quote now (its underlying has no price at this bar): its orders wait for the next.
    const quote = await optionQuoteOn(m.market, symbol).catch((e: unknown) => {
      if (UNQUOTED.has(String((e as { code?: unknown }).code))) return null;
      throw e;
    });
    if (!quote) continue;
    await refuseWritesBeyondMargin(m, symbol, quote.bid, quote.mid);
    // Buys meet the ask, sales the bid: one match for each side, on a bar that is that one price.
    for (const [buys, price] of [[true, quote.ask], [false, quote.bid]] as const) {
      const before = m.book.working();
      const mine = (o: WorkingOrder) => o.symbol === symbol && isBuySide(o.side) === buys;
      if (!before.some(mine) || price <= 0n) continue;
      const bar: FillBar = { symbol, time: now.getTime(), volume: Number.MAX_SAFE_INTEGER, open: price, high: price, low: price, close: price, firstOfDay: false, lastOfDay };
      const result = matchBar({
        orders: before.filter(mine),
        bar,
        settings: { fees: m.rules.fees, slippageBps: 0 },
        account: { cash: m.book.cash, positions: m.book.positions },
      });
      const others = before.filter((o) => !mine(o));
      fills.push(...applyEngineResult(m.book, m.sessionId, before, { ...result, orders: [...others, ...result.orders] }));
    }
  }
  return fills;
}

/** Cancels each working write of `symbol` that the bid reaches but the account's margin could not carry filled now. */
async function refuseWritesBeyondMargin(m: OptionMatchAt, symbol: string, bid: Money, mid: Money): Promise<void> {
  const writes = m.book.working().filter((o) => o.symbol === symbol && o.side === "sell_short" && o.limitPrice !== undefined && bid > 0n && bid >= o.limitPrice);
  if (writes.length === 0) return;
  // The writes the bid reaches all fill together: each is checked with those before it that passed, against what the
  // other working orders hold back.
  let ahead = 0;
  const reached = new Set(writes.map((w) => w.id));
  const others = m.book.working().filter((o) => !reached.has(o.id));
  const held = reservedOnBook(m.book, others.length > 0 ? await lastPricesFor(m.market, m.book, null, null) : new Map(), m.rules, others);
  for (const w of writes) {
    const checked = await checkOptionFill({ book: m.book, rules: m.rules, market: m.market }, { symbol, side: "sell_short", quantity: ahead + remainingQuantity(w) }, bid, mid, held);
    if (checked.ok) {
      ahead += remainingQuantity(w);
      continue;
    }
    if (EngineError.from(checked.error).kind === "halt") throw EngineError.from(checked.error);
    const before = m.book.working();
    const time = m.schedule[m.index]!.getTime();
    applyEngineResult(m.book, m.sessionId, before, {
      orders: before.filter((o) => o.id !== w.id),
      events: [{ kind: "cancelled", orderId: w.id, reason: "insufficient_margin", message: checked.error.message, time }],
    });
  }
}
