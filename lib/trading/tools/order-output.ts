import type { OrderOutput } from "@/lib/agent/tool-contract";
import type { SessionOrderRow } from "@/lib/db/queries/session-orders";
import { isOccSymbol, type OrderClass, type OrderSide, type OrderStatus, type OrderType, type PositionIntent, type TimeInForce } from "@/lib/engine";
import type { BookFill, BookOrder } from "../book";
import { dollarsText } from "./format";

type FillOut = OrderOutput["fills"][number];

const iso = (d: Date | string) => new Date(d).toISOString();
/** numeric(20,6) text → the contract's decimal dollars ("97.500000" → "97.50"). */
const decText = (v: string | null) => (v === null ? undefined : v.replace(/(\.\d\d\d*?)0+$/, "$1"));

/** An order on the book (placed or moved this bar, or working), with the fills the caller knows of. */
export function bookOrderOutput(o: BookOrder, fills: readonly (BookFill | FillOut)[]): OrderOutput {
  const w = o.working?.order;
  const filled = w ? w.filledQuantity : o.status === "filled" ? (o.quantity ?? 0) : 0;
  return clean({
    orderId: o.id,
    symbol: o.symbol,
    side: o.side,
    positionIntent: intentOf(o.symbol, o.side),
    quantity: o.quantity,
    type: w?.type ?? o.combo?.type ?? o.type ?? "market",
    timeInForce: w?.timeInForce ?? o.combo?.timeInForce ?? "day",
    orderClass: o.combo || o.comboParentId ? "mleg" : (o.working?.orderClass ?? "simple"),
    leg: w?.role ?? "entry",
    status: o.status,
    limitPrice: w?.limitPrice !== undefined ? dollarsText(w.limitPrice) : o.combo?.netLimit ? dollarsText(o.combo.netLimit) : undefined,
    stopPrice: w?.stopPrice === undefined ? undefined : dollarsText(w.stopPrice),
    trailPrice: w?.trail?.kind === "price" ? dollarsText(w.trail.amount) : undefined,
    trailPercent: w?.trail?.kind === "percent" ? w.trail.bps / 100 : undefined,
    filledQuantity: filled,
    parentId: w?.parentId ?? o.comboParentId ?? null,
    fills: fills.map((f) => ("orderId" in f ? fillOutput(f) : f)),
    strategy: o.combo?.strategy as OrderOutput["strategy"],
    rejectCode: o.rejectCode ?? undefined,
    reason: o.working?.statusReason ?? o.reason ?? undefined,
    replacesOrderId: o.replacesId,
    replacedByOrderId: o.replacedById,
    placedAt: iso(o.placedAt),
  });
}

const INTENT_OF: Record<OrderSide, PositionIntent> = { buy: "buy_to_open", sell: "sell_to_close", sell_short: "sell_to_open", buy_to_cover: "buy_to_close" };
/** An option order's side as Alpaca names it (absent for stock: its side says it all). */
const intentOf = (symbol: string | null, side: OrderSide | null) => (symbol !== null && side !== null && isOccSymbol(symbol) ? INTENT_OF[side] : undefined);

export function fillOutput(f: BookFill): FillOut {
  return { fillId: f.id, quantity: f.quantity, price: dollarsText(f.price), fee: dollarsText(f.fee), filledAt: iso(f.filledAt) };
}

/** A stored order (get_orders' read), with its stored fills. */
export function storedOrderOutput(r: SessionOrderRow): OrderOutput {
  return clean({
    orderId: r.id,
    symbol: r.symbol,
    side: r.side as OrderSide | null,
    positionIntent: intentOf(r.symbol, r.side as OrderSide | null),
    quantity: r.quantity,
    type: r.type as OrderType,
    timeInForce: r.timeInForce as TimeInForce,
    orderClass: r.orderClass as OrderClass,
    leg: r.leg,
    status: r.status as OrderStatus,
    limitPrice: decText(r.limitPrice),
    stopPrice: decText(r.stopPrice),
    trailPrice: decText(r.trailPrice),
    trailPercent: r.trailPercent === null ? undefined : Number(r.trailPercent),
    filledQuantity: r.filledQuantity,
    parentId: r.parentId,
    fills: r.fills.map((f) => ({ fillId: f.id, quantity: f.quantity, price: decText(f.price)!, fee: decText(f.fee)!, filledAt: iso(f.filledAt) })),
    rejectCode: r.rejectCode ?? undefined,
    reason: r.statusReason ?? undefined,
    replacesOrderId: r.replacesId ?? undefined,
    replacedByOrderId: r.replacedById ?? undefined,
    placedAt: iso(r.placedAt),
  });
}

/** Without the keys whose value is undefined (a model reads less). */
function clean(o: OrderOutput): OrderOutput {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as OrderOutput;
}
