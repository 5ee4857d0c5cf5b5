import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";

/** An order of a session with its fills, as get_orders shows it (money as text). */
export interface SessionOrderRow {
  id: string;
  symbol: string | null;
  side: string | null;
  quantity: number | null;
  type: string;
  timeInForce: string;
  orderClass: string;
  leg: string;
  status: string;
  limitPrice: string | null;
  stopPrice: string | null;
  trailPrice: string | null;
  trailPercent: string | null;
  filledQuantity: number;
  parentId: string | null;
  rejectCode: string | null;
  statusReason: string | null;
  replacesId: string | null;
  replacedById: string | null;
  placedAt: string;
  fills: { id: string; quantity: number; price: string; fee: string; filledAt: string }[];
}

/**
 * The latest orders of a session (the owner's: user id in the WHERE and under RLS), newest first, each with
 * its fills; `ids` adds these orders whatever their age (the working ones the book holds).
 */
const SESSION_ORDERS = `
with o as (
  (select * from orders where session_id = $1 and user_id = $2 order by placed_at desc, created_at desc, id desc limit $3)
  union
  (select * from orders where session_id = $1 and user_id = $2 and id in (select value::uuid from jsonb_array_elements_text($4::text::jsonb)))
)
select o.id, o.symbol, o.side, o.quantity::float8 as quantity, o.type, o.time_in_force as "timeInForce", o.order_class as "orderClass",
       o.leg, o.status, o.limit_price::text as "limitPrice", o.stop_price::text as "stopPrice", o.trail_price::text as "trailPrice",
       o.trail_percent::text as "trailPercent", o.filled_quantity::float8 as "filledQuantity", o.parent_order_id as "parentId",
       o.reject_code as "rejectCode", o.status_reason as "statusReason", o.replaces_order_id as "replacesId",
       o.replaced_by_order_id as "replacedById", o.placed_at as "placedAt",
       coalesce((select json_agg(json_build_object('id', f.id, 'quantity', f.quantity::float8, 'price', f.price::text, 'fee', f.fee::text,
                 'filledAt', f.filled_at) order by f.filled_at, f.created_at)
                 from fills f where f.order_id = o.id and f.user_id = $2), '[]'::json) as fills
from o
order by o.placed_at desc, o.created_at desc, o.id desc`;

export function listSessionOrders(
  tx: Executor,
  { sessionId, userId, limit, ids }: { sessionId: string; userId: string; limit: number; ids: readonly string[] },
): Promise<SessionOrderRow[]> {
  return runPrepared<SessionOrderRow>(tx, SESSION_ORDERS, [sessionId, userId, limit, JSON.stringify(ids)]);
}
