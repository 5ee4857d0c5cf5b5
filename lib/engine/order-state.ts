import { failure } from "./errors";
import { err, ok, type Result } from "./result";

/**
 * Order lifecycle as an explicit transition table (after nautilus_trader's orders/mod.rs).
 * A (status, event) pair missing from the table is illegal and returns ILLEGAL_TRANSITION.
 *
 *   new ──accept──▶ accepted ──fill──▶ filled
 *    │  │              │  ├─partial_fill─▶ partially_filled ──fill──▶ filled
 *    │  │              │  ├─trigger─▶ triggered ──fill / partial_fill──▶ …   (stop, stop_limit, trailing_stop)
 *    │  │              │  └─cancel / expire / replace─▶ cancelled / expired / replaced
 *    │  └─hold─▶ held ──activate─▶ accepted          (a bracket's or oto's exit waiting for its entry's fill)
 *    └─reject─▶ rejected
 *
 * "accepted" is a working order; for stops it is the untriggered stop. "triggered": a stop or stop-limit whose
 * stop was reached and that now works as a market or limit order. "replaced" is terminal: a replace creates a
 * new order (new id) and ends the old one, as Alpaca's replace does. A triggered order cannot be replaced.
 */
export const ORDER_STATUSES = [
  "new",
  "held",
  "accepted",
  "triggered",
  "partially_filled",
  "filled",
  "cancelled",
  "rejected",
  "expired",
  "replaced",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_EVENTS = [
  "accept",
  "reject",
  "hold",
  "activate",
  "trigger",
  "partial_fill",
  "fill",
  "cancel",
  "expire",
  "replace",
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

export const ORDER_TRANSITIONS: {
  readonly [S in OrderStatus]: Readonly<Partial<Record<OrderEvent, OrderStatus>>>;
} = {
  new: { accept: "accepted", reject: "rejected", hold: "held" },
  held: { activate: "accepted", cancel: "cancelled", expire: "expired", replace: "replaced" },
  accepted: {
    trigger: "triggered",
    partial_fill: "partially_filled",
    fill: "filled",
    cancel: "cancelled",
    expire: "expired",
    replace: "replaced",
  },
  triggered: {
    partial_fill: "partially_filled",
    fill: "filled",
    cancel: "cancelled",
    expire: "expired",
  },
  partially_filled: {
    partial_fill: "partially_filled",
    fill: "filled",
    cancel: "cancelled",
    expire: "expired",
    replace: "replaced",
  },
  filled: {},
  cancelled: {},
  rejected: {},
  expired: {},
  replaced: {},
};

export function isTerminalStatus(status: OrderStatus): boolean {
  return Object.keys(ORDER_TRANSITIONS[status]).length === 0;
}

/** The status after `event`, or ILLEGAL_TRANSITION when the table has no such move. */
export function transition(from: OrderStatus, event: OrderEvent): Result<OrderStatus> {
  const to = ORDER_TRANSITIONS[from][event];
  if (to !== undefined) return ok(to);
  const allowed = Object.keys(ORDER_TRANSITIONS[from]);
  const hint = allowed.length === 0 ? `"${from}" is terminal` : `from "${from}" only ${allowed.join(", ")} are allowed`;
  return err(failure("ILLEGAL_TRANSITION", `an order that is "${from}" cannot take event "${event}": ${hint}`));
}

/** Which fill event a fill produces: "fill" once the cumulative filled quantity reaches the order's. */
export function fillEvent(filledSoFar: number, orderQuantity: number): "fill" | "partial_fill" {
  return filledSoFar >= orderQuantity ? "fill" : "partial_fill";
}
