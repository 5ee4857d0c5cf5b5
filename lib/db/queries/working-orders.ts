import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";

/**
 * A session's end (completed, failed, cancelled): its working orders still open are cancelled with the
 * reason `session_end`, each with its `order` event, numbered under the session row like every event.
 * One statement, sent with the end's other statements (the session row is already locked by then, or
 * is locked here). Returns how many it cancelled.
 */
const CANCEL_OPEN_ORDERS = `
with c as (
  update orders set status = 'cancelled', status_reason = 'session_end', updated_at = now()
  where session_id = $1 and user_id = $2 and status in ('held', 'accepted', 'triggered', 'partially_filled')
  returning id, decision_id, symbol, side, quantity, filled_quantity, status, type, time_in_force, order_class, leg, parent_order_id,
            limit_price, stop_price, reference_price, placed_at, created_at, replaces_order_id
), n as (
  select row_number() over (order by c.created_at, c.id) as k, c.* from c
), s as (
  update trading_sessions set event_seq = event_seq + (select count(*) from n), updated_at = now()
  where id = $1 and user_id = $2 and exists (select 1 from n)
  returning event_seq - (select count(*) from n) as base
), e as (
  insert into session_events (session_id, user_id, seq, type, at, payload)
  select $1, $2, s.base + n.k, 'order', null, jsonb_build_object(
    'id', n.id, 'decisionId', n.decision_id, 'symbol', n.symbol, 'side', n.side, 'quantity', n.quantity,
    'status', n.status, 'filledQuantity', n.filled_quantity, 'referencePrice', n.reference_price::text, 'placedAt', n.placed_at,
    'type', n.type, 'timeInForce', n.time_in_force, 'orderClass', n.order_class, 'leg', n.leg, 'parentId', n.parent_order_id,
    'limitPrice', n.limit_price::text, 'stopPrice', n.stop_price::text, 'statusReason', 'session_end',
    'replacesId', n.replaces_order_id)
  from s cross join n
)
select count(*)::int as cancelled from c`;

export async function cancelOpenOrdersAtSessionEnd(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<number> {
  const [row] = await runPrepared<{ cancelled: number }>(tx, CANCEL_OPEN_ORDERS, [sessionId, userId]);
  return row?.cancelled ?? 0;
}
