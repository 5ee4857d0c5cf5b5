import { failure } from "./errors";
import type { OrderBookEvent } from "./fill-model-events";
import { transition } from "./order-state";
import { err, ok, type Result } from "./result";
import type { WorkingOrder } from "./working-orders";

export interface CancelledWorkingOrder {
  /** The working orders left, in their order. What the cancelled ones reserved is free again (reservations.ts). */
  readonly orders: WorkingOrder[];
  readonly events: OrderBookEvent[];
}

/**
 * The owner cancels working order `id`: its model (reason "requested"), or a person (`by: "requested_by_user"`). Its held exits follow the rule for an entry that
 * ends (as when one expires in the fill model): if it filled part of its quantity they become active for that
 * part, else they are cancelled with it. The other leg of a one-cancels-other pair keeps working on its own:
 * cancelling a take-profit leaves the stop-loss. UNKNOWN_ORDER when no working order has that id (filled,
 * ended, never placed, or another account's: `orders` is one account's book).
 */
export function cancelWorkingOrder(
  orders: readonly WorkingOrder[],
  id: string,
  time: number,
  by: "requested" | "requested_by_user" = "requested",
): Result<CancelledWorkingOrder> {
  const target = orders.find((o) => o.id === id);
  if (target === undefined) {
    return err(failure("UNKNOWN_ORDER", `no working order ${id}: it has filled, ended or never existed; get_orders shows the working ones`));
  }
  const events: OrderBookEvent[] = [];
  const next = new Map(orders.map((o) => [o.id, o]));
  const cancel = (o: WorkingOrder, message: string, reason: "requested" | "requested_by_user" | "parent_ended") => {
    const to = transition(o.status, "cancel");
    if (!to.ok) return to;
    next.delete(o.id);
    events.push({ kind: "cancelled", orderId: o.id, reason, message, time });
    return ok(null);
  };
  const done = cancel(target, by === "requested" ? `cancelled by request` : `cancelled by a person`, by);
  if (!done.ok) return done;
  for (const o of orders) {
    if (o.parentId !== id || o.status !== "held") continue;
    if (target.filledQuantity > 0) {
      const to = transition(o.status, "activate");
      if (!to.ok) return to;
      next.set(o.id, { ...o, status: to.value, quantity: target.filledQuantity });
      events.push({ kind: "activated", orderId: o.id, parentId: id, quantity: target.filledQuantity, time });
    } else {
      const gone = cancel(o, `its entry ${id} was cancelled before any fill`, "parent_ended");
      if (!gone.ok) return gone;
    }
  }
  for (const [key, o] of next) {
    if (o.ocoWith === id) next.set(key, { ...o, ocoWith: undefined });
  }
  return ok({ orders: [...next.values()], events });
}
