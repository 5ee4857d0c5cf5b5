import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { orderEventPayload, orderEventsAfter } from "./order-event-payload";

/**
 * A session's end (completed, failed, cancelled): its working orders still open are cancelled with the
 * reason `session_end`, each with its `order` event, numbered under the session row like every event.
 * One statement, sent with the end's other statements (the session row is already locked by then, or
 * is locked here). A person's cancel requests not applied yet are closed as `ended` (the end cancelled their orders).
 * Returns how many orders it cancelled.
 */
const CANCEL_OPEN_ORDERS = `
with c as (
  update orders set status = 'cancelled', status_reason = 'session_end', updated_at = now()
  where session_id = $1 and user_id = $2 and status in ('held', 'accepted', 'triggered', 'partially_filled')
  returning *
), ${orderEventsAfter("c")}, r as (
  update order_cancel_requests set applied_at = now(), outcome = 'ended'
  where session_id = $1 and user_id = $2 and applied_at is null
)
select count(*)::int as cancelled from c`;

export async function cancelOpenOrdersAtSessionEnd(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<number> {
  const [row] = await runPrepared<{ cancelled: number }>(tx, CANCEL_OPEN_ORDERS, [sessionId, userId]);
  return row?.cancelled ?? 0;
}

const WORKING_ORDERS = `
select ${orderEventPayload("o")} as payload,
       exists (select 1 from order_cancel_requests r where r.order_id = o.id and r.user_id = $2 and r.applied_at is null) as "cancelRequested"
from orders o
where o.session_id = $1 and o.user_id = $2 and o.status in ('new', 'held', 'accepted', 'triggered', 'partially_filled')
order by o.created_at, o.id`;

/**
 * A session's orders still working, oldest first, each as its `order` event carries it (so the viewer reads the
 * page and the stream the same way), and whether a person's cancel of it is pending.
 */
export function listWorkingOrdersBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }) {
  return runPrepared<{ payload: Record<string, unknown>; cancelRequested: boolean }>(tx, WORKING_ORDERS, [sessionId, userId]);
}
