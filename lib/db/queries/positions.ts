import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { positions } from "@/lib/db/schema";

/** Positions per session and symbol, written only by placeOrder under the account lock. */
export type PositionRow = typeof positions.$inferSelect;

export function listPositionsBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }) {
  return tx
    .select()
    .from(positions)
    .where(and(eq(positions.sessionId, sessionId), eq(positions.userId, userId)))
    .orderBy(asc(positions.symbol));
}

/** A position as the engine needs it; money as decimal strings. */
export interface PositionState {
  symbol: string;
  quantity: number;
  costBasis: string;
  realizedPnl: string;
  feesPaid: string;
}

const POSITIONS_FOR_ORDER = `
select symbol, quantity::float8 as quantity, cost_basis as "costBasis", realized_pnl as "realizedPnl", fees_paid as "feesPaid"
from positions
where session_id = $1 and user_id = $2 and (symbol = $3 or quantity < 0)`;

/** The position in `symbol` plus every open short (the margin check values them all). */
export function listPositionsForOrder(
  tx: Executor,
  { sessionId, userId, symbol }: { sessionId: string; userId: string; symbol: string },
): Promise<PositionState[]> {
  return runPrepared<PositionState>(tx, POSITIONS_FOR_ORDER, [sessionId, userId, symbol]);
}

/** What a session's book starts from: the account, every position (flat ones keep realized P&L), the order keys. */
export interface SessionBookRow {
  modelId: string;
  cash: string;
  feesPaid: string;
  borrowFeesPaid: string;
  realizedPnl: string;
  positions: PositionState[];
  keys: string[];
  /** The working orders (held, accepted, triggered, partially filled), oldest first; money as text. */
  working: WorkingOrderRow[];
  /** Orders a person asked to cancel that no bar has applied yet (order_cancel_requests), oldest first. */
  cancelRequests?: string[];
  /** The session's last margin_call event's payload (lib/trading/margin-call.ts), if any. */
  marginCall?: Record<string, unknown> | null;
}

/** A stored working order as the book loads it (lib/trading/load-book.ts). */
export interface WorkingOrderRow {
  id: string;
  key: string;
  decisionId: string | null;
  symbol: string;
  side: string;
  type: string;
  leg: string;
  quantity: number;
  filledQuantity: number;
  filledNotional: string;
  limitPrice: string | null;
  stopPrice: string | null;
  trailPrice: string | null;
  trailPercent: string | null;
  waterMark: string | null;
  timeInForce: string;
  orderClass: string;
  status: string;
  triggered: boolean;
  parentId: string | null;
  ocoId: string | null;
  referencePrice: string | null;
  placedAt: string;
}

/** $1 session id, $2 user id; composed into the runner's one-statement load (session-run.ts). */
export const SESSION_BOOK = `
select a.model_id as "modelId", a.cash, a.fees_paid as "feesPaid", a.borrow_fees_paid as "borrowFeesPaid", a.realized_pnl as "realizedPnl",
  coalesce((select json_agg(json_build_object('symbol', p.symbol, 'quantity', p.quantity::float8, 'costBasis', p.cost_basis::text,
              'realizedPnl', p.realized_pnl::text, 'feesPaid', p.fees_paid::text) order by p.symbol)
            from positions p where p.session_id = a.session_id and p.user_id = a.user_id), '[]'::json) as positions,
  coalesce((select json_agg(o.idempotency_key) from orders o where o.session_id = a.session_id and o.user_id = a.user_id), '[]'::json) as keys,
  coalesce((select json_agg(json_build_object('id', o.id, 'key', o.idempotency_key, 'decisionId', o.decision_id, 'symbol', o.symbol,
              'side', o.side, 'type', o.type, 'leg', o.leg, 'quantity', o.quantity::float8, 'filledQuantity', o.filled_quantity::float8,
              'filledNotional', o.filled_notional::text, 'limitPrice', o.limit_price::text, 'stopPrice', o.stop_price::text,
              'trailPrice', o.trail_price::text, 'trailPercent', o.trail_percent::text, 'waterMark', o.water_mark::text,
              'timeInForce', o.time_in_force, 'orderClass', o.order_class, 'status', o.status, 'triggered', o.triggered,
              'parentId', o.parent_order_id, 'ocoId', o.oco_order_id, 'referencePrice', o.reference_price::text,
              'placedAt', o.placed_at) order by o.created_at, o.id)
            from orders o where o.session_id = a.session_id and o.user_id = a.user_id
              and o.status in ('held', 'accepted', 'triggered', 'partially_filled')), '[]'::json) as working,
  coalesce((select json_agg(r.order_id order by r.requested_at, r.order_id) from order_cancel_requests r
            where r.session_id = a.session_id and r.user_id = a.user_id and r.applied_at is null), '[]'::json) as "cancelRequests",
  (select e.payload from session_events e where e.session_id = a.session_id and e.user_id = a.user_id and e.type = 'margin_call'
   order by e.seq desc limit 1) as "marginCall"
from accounts a
where a.session_id = $1 and a.user_id = $2`;

/** A session's book as stored, in one prepared statement (the runner loads it once per claim). */
export async function getSessionBook(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<SessionBookRow | undefined> {
  const [row] = await runPrepared<SessionBookRow>(tx, SESSION_BOOK, [sessionId, userId]);
  return row;
}
