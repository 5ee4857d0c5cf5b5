import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { orderEventsAfter } from "./order-event-payload";

/**
 * A person's cancels of working orders (drizzle/0029; docs/trading.md, "A person cancels a working order").
 * Every query names the owner and the session in its WHERE, under RLS on the owner: two walls.
 */

export interface OrderToCancel {
  id: string;
  modelId: string;
  status: string;
  /** A request for it not applied yet (a second one changes nothing). */
  requested: boolean;
}

const ORDER_TO_CANCEL = `
select o.id, o.model_id as "modelId", o.status,
       exists (select 1 from order_cancel_requests r where r.order_id = o.id and r.user_id = $3 and r.applied_at is null) as requested
from orders o where o.id = $1 and o.session_id = $2 and o.user_id = $3`;

/** The order `orderId` of the owner's session, or undefined (another session's, another user's, none). */
export async function getOrderToCancel(tx: Executor, { orderId, sessionId, userId }: { orderId: string; sessionId: string; userId: string }): Promise<OrderToCancel | undefined> {
  const [row] = await runPrepared<OrderToCancel>(tx, ORDER_TO_CANCEL, [orderId, sessionId, userId]);
  return row;
}

const REQUEST_CANCEL = `
insert into order_cancel_requests (order_id, session_id, user_id, model_id)
values ($1, $2, $3, $4)
on conflict (order_id) do nothing
returning requested_at as "requestedAt"`;

/** Records a person's cancel for the runner's next bar; a request already pending is left as it is. */
export async function requestOrderCancel(tx: Executor, r: { orderId: string; sessionId: string; userId: string; modelId: string }): Promise<void> {
  await runPrepared(tx, REQUEST_CANCEL, [r.orderId, r.sessionId, r.userId, r.modelId]);
}

/**
 * A person's cancel applied at once, where no runner holds the book (the session row locked by the caller):
 * the orders the cancel moved on (the order itself, its held legs) updated as the book left them, an `order`
 * event each, numbered under the session row, and the request recorded as applied. One statement.
 */
const APPLY_CANCEL = `
with x as (
  select * from jsonb_to_recordset($3::text::jsonb) as x(id uuid, status text, quantity bigint, filled_quantity bigint, filled_notional numeric,
    stop_price numeric, water_mark numeric, triggered boolean, oco_id uuid, status_reason text)
), u as (
  update orders set status = x.status::order_status, quantity = x.quantity, filled_quantity = x.filled_quantity,
         filled_notional = x.filled_notional, stop_price = x.stop_price, water_mark = x.water_mark, triggered = x.triggered,
         oco_order_id = x.oco_id, status_reason = x.status_reason, updated_at = now()
  from x where orders.id = x.id and orders.session_id = $1 and orders.user_id = $2
  returning orders.*
), ${orderEventsAfter("u")}, r as (
  insert into order_cancel_requests (order_id, session_id, user_id, model_id, applied_at, outcome)
  select u.id, $1, $2, u.model_id, now(), 'cancelled' from u where u.id = $4
  on conflict (order_id) do update set applied_at = excluded.applied_at, outcome = excluded.outcome
)
select count(*)::int as moved from u`;

export async function applyOrderCancel(
  tx: Executor,
  a: { sessionId: string; userId: string; orderId: string; updates: readonly Record<string, unknown>[] },
): Promise<number> {
  const [row] = await runPrepared<{ moved: number }>(tx, APPLY_CANCEL, [a.sessionId, a.userId, JSON.stringify(a.updates), a.orderId]);
  return row?.moved ?? 0;
}
