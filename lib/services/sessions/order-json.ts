import { divRound, parseMoney, toDecimalString } from "@/lib/engine";
import type { FillRow } from "@/lib/db/queries/fills";
import type { OrderRow } from "@/lib/db/queries/orders";

/**
 * A session's order as the orders API and its CSV give it (docs/api.md, "Orders"): what was asked (type, time in
 * force, class, leg, parent, prices), where it stands (status, why it ended, when its stop triggered), and what
 * filled (quantity, average price, each fill). Money is numeric(20,6) text, as stored.
 */
export type OrderWithFills = OrderRow & { fills: FillRow[] };

/** Σ quantity × price of the fills / Σ quantity, to the micro (half away from zero); null without a fill. */
export function averageFillPrice(fills: readonly Pick<FillRow, "quantity" | "price">[]): string | null {
  const quantity = fills.reduce((q, f) => q + BigInt(f.quantity), 0n);
  if (quantity === 0n) return null;
  const notional = fills.reduce((n, f) => n + BigInt(f.quantity) * parseMoney(f.price), 0n);
  return toDecimalString(divRound(notional, quantity, "half_away"));
}

export function orderJson(o: OrderWithFills) {
  return {
    id: o.id,
    decisionId: o.decisionId,
    parentId: o.parentOrderId,
    ocoId: o.ocoOrderId,
    symbol: o.symbol,
    side: o.side,
    quantity: o.quantity,
    type: o.type,
    timeInForce: o.timeInForce,
    orderClass: o.orderClass,
    leg: o.leg,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    trailPrice: o.trailPrice,
    trailPercent: o.trailPercent,
    status: o.status,
    reason: o.statusReason,
    triggered: o.triggered,
    triggeredAt: o.triggeredAt?.toISOString() ?? null,
    endedAt: o.endedAt?.toISOString() ?? null,
    filledQuantity: o.filledQuantity,
    averageFillPrice: averageFillPrice(o.fills),
    referencePrice: o.referencePrice,
    rejectCode: o.rejectCode,
    rejectMessage: o.rejectMessage,
    placedAt: o.placedAt.toISOString(),
    fills: o.fills.map((f) => ({
      id: f.id,
      quantity: f.quantity,
      price: f.price,
      referencePrice: f.referencePrice,
      fee: f.fee,
      cashAfter: f.cashAfter,
      realizedPnl: f.realizedPnl,
      quantityAfter: f.quantityAfter,
      filledAt: f.filledAt.toISOString(),
    })),
  };
}

export const SESSION_ORDERS_CSV_COLUMNS = [
  "placed_at", "order_id", "decision_id", "parent_id", "symbol", "side", "quantity", "type", "time_in_force", "order_class", "leg",
  "limit_price", "stop_price", "trail_price", "trail_percent", "status", "reason", "triggered_at", "filled_quantity", "average_fill_price",
  "reject_code", "reject_message", "reference_price", "fill_id", "fill_quantity", "fill_price", "fee", "filled_at", "cash_after",
  "realized_pnl", "position_after",
] as const;

/** An order's CSV rows: one per fill, or one with the fill columns empty. */
export function orderCsvRows(o: OrderWithFills): unknown[][] {
  const j = orderJson(o);
  const order = [
    j.placedAt, j.id, j.decisionId, j.parentId, j.symbol, j.side, j.quantity, j.type, j.timeInForce, j.orderClass, j.leg,
    j.limitPrice, j.stopPrice, j.trailPrice, j.trailPercent, j.status, j.reason, j.triggeredAt, j.filledQuantity, j.averageFillPrice,
    j.rejectCode, j.rejectMessage, j.referencePrice,
  ];
  if (j.fills.length === 0) return [[...order, null, null, null, null, null, null, null, null]];
  return j.fills.map((f) => [...order, f.id, f.quantity, f.price, f.fee, f.filledAt, f.cashAfter, f.realizedPnl, f.quantityAfter]);
}
