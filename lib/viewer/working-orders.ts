import { isTerminalStatus, ORDER_STATUSES, type OrderStatus } from "@/lib/engine/order-state";
import type { OrderSide, SessionEvent, WorkingOrderView } from "./types";
import { num, str } from "./payload-values";

/**
 * The viewer's working orders (docs/ui.md, "Working orders"): folded from the `order` events (each carries the
 * order as it stands: lib/db/queries/order-event-payload.ts), described in words, and drawn as levels on the
 * price chart. Pure: the server and the browser share it.
 */
/** Still working: a status the engine's transition table does not end (new, held, accepted, triggered, partially filled). */
export const isWorkingStatus = (status: string) => (ORDER_STATUSES as readonly string[]).includes(status) && !isTerminalStatus(status as OrderStatus);

/** An `order` event's order as the table shows it; null when it names no order. */
export function workingOrderFromEvent(e: SessionEvent): WorkingOrderView | null {
  const p = e.payload;
  if (typeof p.id !== "string" || typeof p.symbol !== "string") return null;
  const placed = new Date(str(p.placedAt) ?? e.at ?? 0);
  return {
    id: p.id,
    symbol: p.symbol,
    side: (str(p.side) ?? "buy") as OrderSide,
    type: str(p.type) ?? "market",
    timeInForce: str(p.timeInForce) ?? "day",
    orderClass: str(p.orderClass) ?? "simple",
    leg: str(p.leg) ?? "entry",
    parentId: str(p.parentId),
    quantity: num(p.quantity) ?? 0,
    filledQuantity: num(p.filledQuantity) ?? 0,
    status: str(p.status) ?? "unknown",
    limitPrice: num(p.limitPrice),
    stopPrice: num(p.stopPrice),
    trailPrice: num(p.trailPrice),
    trailPercent: num(p.trailPercent),
    waterMark: num(p.waterMark),
    triggered: p.triggered === true,
    statusReason: str(p.statusReason),
    placedAt: Number.isNaN(placed.getTime()) ? new Date(0).toISOString() : placed.toISOString(),
    cancelRequested: false,
  };
}

/**
 * The working orders after one `order` event: an order still working replaces its row (or joins the end, in
 * the order placed), one that ended leaves. Returns the same list when nothing changes.
 */
export function applyOrderEvent(list: readonly WorkingOrderView[], order: WorkingOrderView): readonly WorkingOrderView[] {
  const at = list.findIndex((o) => o.id === order.id);
  if (!isWorkingStatus(order.status)) return at < 0 ? list : list.filter((o) => o.id !== order.id);
  if (at < 0) return [...list, order];
  const next = [...list];
  next[at] = { ...order, cancelRequested: list[at]!.cancelRequested };
  return next;
}

/** The cancel a person asked for, shown on its row until the runner's event ends it. */
export const markCancelRequested = (list: readonly WorkingOrderView[], id: string): WorkingOrderView[] =>
  list.map((o) => (o.id === id ? { ...o, cancelRequested: true } : o));

const SIDE: Record<string, string> = { buy: "Buy", sell: "Sell", sell_short: "Short", buy_to_cover: "Cover" };
const TYPE: Record<string, string> = { market: "market", limit: "limit", stop: "stop", stop_limit: "stop-limit", trailing_stop: "trailing stop" };
export const LEG_LABEL: Record<string, string> = { entry: "entry", take_profit: "take-profit", stop_loss: "stop-loss" };
export const TIF_LABEL: Record<string, string> = { day: "Day", gtc: "GTC", ioc: "IOC", fok: "FOK", opg: "At the open", cls: "At the close" };

const price = (v: number) => v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** What describeOrder reads of an order (a working one, or one in a decision's details). */
export type DescribedOrder = Pick<WorkingOrderView, "side" | "quantity" | "symbol" | "type" | "orderClass" | "leg" | "limitPrice" | "stopPrice" | "trailPrice" | "trailPercent">;

/** "Buy 10 AAA limit 97.00", "Sell 10 AAA trailing stop 5% (stop 95.00)": what a row's Cancel button names. */
export function describeOrder(o: DescribedOrder): string {
  const head = `${SIDE[o.side] ?? o.side} ${o.quantity.toLocaleString("en-US")} ${o.symbol} ${TYPE[o.type] ?? o.type}`;
  const leg = o.orderClass !== "simple" && o.leg !== "entry" ? ` (${LEG_LABEL[o.leg] ?? o.leg})` : "";
  switch (o.type) {
    case "limit":
      return `${head} ${o.limitPrice === null ? "" : price(o.limitPrice)}${leg}`.trim();
    case "stop":
      return `${head} ${o.stopPrice === null ? "" : price(o.stopPrice)}${leg}`.trim();
    case "stop_limit":
      return `${head} ${o.stopPrice === null ? "" : price(o.stopPrice)} / ${o.limitPrice === null ? "" : price(o.limitPrice)}${leg}`;
    case "trailing_stop": {
      const trail = o.trailPercent !== null ? `${o.trailPercent}%` : o.trailPrice !== null ? price(o.trailPrice) : "";
      return `${head} ${trail}${o.stopPrice === null ? "" : ` (stop ${price(o.stopPrice)})`}${leg}`;
    }
    default:
      return `${head}${leg}`;
  }
}

/** The status in words: "Working", "Held until its entry fills", "Triggered", "Partially filled 3 of 10", "Cancel requested". */
export function describeStatus(o: WorkingOrderView): string {
  if (o.cancelRequested) return "Cancel requested";
  switch (o.status) {
    case "held":
      return "Held until its entry fills";
    case "triggered":
      return "Triggered";
    case "partially_filled":
      return `Partially filled ${o.filledQuantity.toLocaleString("en-US")} of ${o.quantity.toLocaleString("en-US")}`;
    default:
      return "Working";
  }
}

export interface OrderLevel {
  orderId: string;
  /** Dollars. */
  price: number;
  kind: "limit" | "stop" | "trailing";
  /** "Buy limit 97.00", "Sell stop 95.00", "Trailing stop 95.00". */
  label: string;
}

/**
 * The levels of the working orders of `symbol` that the price chart draws: each limit, each stop (a stop-limit
 * has both) and each trailing stop where it stands now. A held exit leg shows too (it waits for its entry).
 */
export function orderLevels(orders: readonly WorkingOrderView[], symbol: string): OrderLevel[] {
  const levels: OrderLevel[] = [];
  for (const o of orders) {
    if (o.symbol !== symbol) continue;
    const side = SIDE[o.side] ?? o.side;
    if (o.type === "trailing_stop") {
      if (o.stopPrice !== null) levels.push({ orderId: o.id, price: o.stopPrice, kind: "trailing", label: `${side} trailing stop ${price(o.stopPrice)}` });
      continue;
    }
    if ((o.type === "stop" || o.type === "stop_limit") && o.stopPrice !== null && !o.triggered) {
      levels.push({ orderId: o.id, price: o.stopPrice, kind: "stop", label: `${side} stop ${price(o.stopPrice)}` });
    }
    if ((o.type === "limit" || o.type === "stop_limit") && o.limitPrice !== null) {
      levels.push({ orderId: o.id, price: o.limitPrice, kind: "limit", label: `${side} limit ${price(o.limitPrice)}` });
    }
  }
  return levels;
}
