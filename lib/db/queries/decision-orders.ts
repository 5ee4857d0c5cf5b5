import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";

/** An order a decision placed (its bracket legs too), as it stands now. */
export interface DecisionOrderRow {
  id: string;
  decisionId: string | null;
  symbol: string | null;
  side: string | null;
  quantity: number | null;
  status: string;
  filledQuantity: number;
  referencePrice: string | null;
  rejectCode: string | null;
  rejectMessage: string | null;
  placedAt: string;
  type: string;
  timeInForce: string;
  orderClass: string;
  leg: string;
  parentId: string | null;
  limitPrice: string | null;
  stopPrice: string | null;
  trailPrice: string | null;
  trailPercent: string | null;
  triggeredAt: string | null;
  endedAt: string | null;
  statusReason: string | null;
  /** Session clock of the order that replaced this one (replace_order), when it was. */
  replacedAt: string | null;
  /** A multi-leg order (the parent): the strategy recognised and its profile (drizzle/0036). */
  strategy: Record<string, unknown> | null;
}

const DECISION_ORDERS = `
select o.id, o.decision_id as "decisionId", o.symbol, o.side, o.quantity::float8 as quantity, o.status,
       o.filled_quantity::float8 as "filledQuantity", o.reference_price::text as "referencePrice",
       o.reject_code as "rejectCode", o.reject_message as "rejectMessage", o.placed_at as "placedAt",
       o.type, o.time_in_force as "timeInForce", o.order_class as "orderClass", o.leg, o.parent_order_id as "parentId",
       o.limit_price::text as "limitPrice", o.stop_price::text as "stopPrice", o.trail_price::text as "trailPrice",
       o.trail_percent::text as "trailPercent", o.triggered_at as "triggeredAt", o.ended_at as "endedAt",
       o.status_reason as "statusReason", r.placed_at as "replacedAt", o.strategy
from orders o
left join orders r on r.id = o.replaced_by_order_id and r.user_id = $2
where o.session_id = $1 and o.user_id = $2 and o.decision_id = $3
order by o.placed_at, o.created_at, o.id`;

/** The orders one decision placed (its bracket legs carry its id too), as they stand now. As the user: RLS applies. */
export function listDecisionOrders(
  tx: Executor,
  { sessionId, userId, decisionId }: { sessionId: string; userId: string; decisionId: string },
): Promise<DecisionOrderRow[]> {
  return runPrepared<DecisionOrderRow>(tx, DECISION_ORDERS, [sessionId, userId, decisionId]);
}
