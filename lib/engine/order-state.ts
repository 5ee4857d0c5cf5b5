import { failure } from "./errors";
import { err, ok, type Result } from "./result";

/**
 * Order lifecycle as an explicit transition table (after nautilus_trader's orders/mod.rs).
 * A (status, event) pair missing from the table is illegal and returns ILLEGAL_TRANSITION.
 *
 *   new ──accept──▶ accepted ──fill──▶ filled
 *    │                 │  └─partial_fill─▶ partially_filled ──fill──▶ filled
 *    └─reject─▶ rejected   └─cancel / expire─▶ cancelled / expired ◀── (also from partially_filled)
 */
export const ORDER_STATUSES = [
  "new",
  "accepted",
  "partially_filled",
  "filled",
  "cancelled",
  "rejected",
  "expired",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_EVENTS = ["accept", "reject", "partial_fill", "fill", "cancel", "expire"] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

export const ORDER_TRANSITIONS: {
  readonly [S in OrderStatus]: Readonly<Partial<Record<OrderEvent, OrderStatus>>>;
} = {
  new: { accept: "accepted", reject: "rejected" },
  accepted: {
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
  },
  filled: {},
  cancelled: {},
  rejected: {},
  expired: {},
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
