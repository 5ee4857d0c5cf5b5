import {
  applyFillToPosition,
  EngineError,
  fillCashDelta,
  notional,
  flatPosition,
  isTerminalStatus,
  type ModelFill,
  type OrderBookEvent,
  type OrderStatus,
  type WorkingOrder,
} from "@/lib/engine";
import type { BookFill, SessionBook } from "./book";
import { uuidFrom } from "./ids";

/**
 * What the engine did to the book's working orders (the fill model's bar, a cancel) applied to the book:
 * fills first, in the order they happened (cash, fees, realized P&L, positions), then every order that
 * changed, still working or ended, so the bar's commit writes it as it stands. Fill ids are derived from the
 * session and the engine's fill id (`order@bar`): the same bar run again writes the same rows.
 */
export function applyEngineResult(
  book: SessionBook,
  sessionId: string,
  before: readonly WorkingOrder[],
  result: { orders: readonly WorkingOrder[]; events: readonly OrderBookEvent[]; fills?: readonly ModelFill[] },
): BookFill[] {
  const fills = (result.fills ?? []).map((f) => applyModelFill(book, sessionId, f));
  const was = new Map(before.map((o) => [o.id, o]));
  const after = new Map(result.orders.map((o) => [o.id, o]));
  const triggeredAt = new Map(result.events.flatMap((e) => (e.kind === "triggered" ? [[e.orderId, new Date(e.time)] as const] : [])));
  for (const o of result.orders) if (was.get(o.id) !== o) book.moveWorking(o, null, { triggeredAt: triggeredAt.get(o.id) });
  for (const o of before) {
    if (after.has(o.id)) continue;
    const { order, reason, at } = endedState(o, result.events);
    book.moveWorking(order, reason, { triggeredAt: triggeredAt.get(o.id), endedAt: new Date(at) });
  }
  return fills;
}

/** A fill of the fill model on the book, as a market fill is: the position after it, the cash after it. */
function applyModelFill(book: SessionBook, sessionId: string, f: ModelFill): BookFill {
  const id = uuidFrom(`fill:${sessionId}:${f.id}`);
  const before = book.positions.get(f.symbol) ?? flatPosition(f.symbol);
  const applied = applyFillToPosition(before, { id, symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price, fee: f.fee });
  if (!applied.ok) throw EngineError.from(applied.error, "halt"); // the fill model checked the shares: our bug
  const cashDelta = fillCashDelta(f.side, f.quantity, f.price, f.fee, f.symbol);
  const fill: BookFill = {
    id,
    orderId: f.orderId,
    symbol: f.symbol,
    side: f.side,
    quantity: f.quantity,
    referencePrice: f.referencePrice,
    price: f.price,
    fee: f.fee,
    cashDelta,
    cashAfter: book.cash + cashDelta,
    realizedPnl: applied.value.realizedPnl,
    quantityAfter: applied.value.position.quantity,
    filledAt: new Date(f.time),
  };
  book.applyFill(fill, applied.value.position);
  return fill;
}

/**
 * The last state of an order the engine ended (it returns only the orders still working): its events folded
 * onto it (activation, trigger, fills, water mark), then the end itself, with its reason and time (ms).
 */
export function endedState(o: WorkingOrder, events: readonly OrderBookEvent[]): { order: WorkingOrder; reason: string | null; at: number } {
  let order = o;
  let status: OrderStatus | null = null;
  let reason: string | null = null;
  let at = 0;
  for (const e of events) {
    if (e.orderId !== o.id) continue;
    at = e.time;
    switch (e.kind) {
      case "activated":
        order = { ...order, quantity: e.quantity, status: "accepted" };
        break;
      case "triggered":
        order = { ...order, triggered: true, status: "triggered" };
        break;
      case "partially_filled":
      case "filled":
        order = {
          ...order,
          filledQuantity: e.filledQuantity,
          filledNotional: order.filledNotional + notional(e.fill.quantity, e.fill.price, e.fill.symbol),
          status: e.kind,
        };
        if (e.kind === "filled") status = "filled";
        break;
      case "water_mark_moved":
        order = { ...order, waterMark: e.waterMark, stopPrice: e.stopPrice };
        break;
      case "cancelled":
        status = "cancelled";
        reason = e.reason;
        break;
      case "expired":
        status = "expired";
        reason = e.reason;
        break;
    }
  }
  if (status === null || !isTerminalStatus(status)) throw new EngineError("ILLEGAL_TRANSITION", `order ${o.id} left the working orders without an end`);
  return { order: { ...order, status }, reason, at };
}
