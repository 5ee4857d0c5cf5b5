import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";

/**
 * What a bar traded on its session book, written at the bar's commit in ONE statement, guarded by the
 * runner's fence: the session must still be running, at this bar, under this runner. When the guard fails
 * nothing is written and the statement raises BAR_NOT_OURS (bullpen_abort): the transaction rolls back,
 * whatever else it holds, because the bar is not this runner's to write.
 * Working orders placed earlier that moved on (filled, cancelled, expired, a trailing stop's water mark) are
 * updated in the same statement (a replaced one with the id of the order that replaced it, inserted here too), and the cancel requests of a person the bar applied are marked applied. Orders keep the order they were placed in (created_at steps by a microsecond: the order of their
 * events); a position is written as it stands after the bar's last fill in it; the account's cash, fees
 * and realized P&L as the book holds them.
 */
const WRITE_BAR_TRADES = `
with g as (
  update trading_sessions set heartbeat_at = now()
  where id = $1 and user_id = $2 and cursor = $3 and runner_id is not distinct from $4 and status = 'running'
  returning id
), o as (
  insert into orders (id, user_id, model_id, session_id, idempotency_key, decision_id, symbol, side, quantity, status,
                      filled_quantity, reference_price, reject_code, reject_message, request, placed_at, created_at,
                      type, time_in_force, order_class, leg, limit_price, stop_price, trail_price, trail_percent, water_mark,
                      filled_notional, triggered, triggered_at, ended_at, parent_order_id, oco_order_id, status_reason, replaces_order_id, replaced_by_order_id, strategy)
  select x.id, $2, $5, $1, x.key, x.decision_id, x.symbol, x.side::order_side, x.quantity, x.status::order_status,
         x.filled_quantity, x.reference_price, x.reject_code, x.reject_message,
         x.request::jsonb, x.placed_at, now() + make_interval(secs => x.k / 1e6),
         x.type::order_type, x.time_in_force::order_time_in_force, x.order_class::order_class, x.leg::order_leg, x.limit_price,
         x.stop_price, x.trail_price, x.trail_percent, x.water_mark, x.filled_notional, x.triggered, x.triggered_at, x.ended_at, x.parent_id, x.oco_id, x.status_reason,
         x.replaces_id, x.replaced_by, x.strategy::jsonb
  from jsonb_to_recordset($6::text::jsonb) as x(id uuid, key text, decision_id uuid, symbol text, side text, quantity bigint, status text,
    filled_quantity bigint, reference_price numeric, reject_code text, reject_message text, request text, placed_at timestamptz, k int,
    type text, time_in_force text, order_class text, leg text, limit_price numeric, stop_price numeric, trail_price numeric,
    trail_percent numeric, water_mark numeric, filled_notional numeric, triggered boolean, triggered_at timestamptz, ended_at timestamptz, parent_id uuid, oco_id uuid, status_reason text,
    replaces_id uuid, replaced_by uuid, strategy text)
  where exists (select 1 from g)
), u as (
  update orders set status = x.status::order_status, quantity = x.quantity, filled_quantity = x.filled_quantity,
         filled_notional = x.filled_notional, stop_price = x.stop_price, water_mark = x.water_mark, triggered = x.triggered,
         triggered_at = coalesce(orders.triggered_at, x.triggered_at), ended_at = coalesce(orders.ended_at, x.ended_at),
         oco_order_id = x.oco_id, status_reason = x.status_reason,
         replaced_by_order_id = coalesce(x.replaced_by, orders.replaced_by_order_id), updated_at = now()
  from jsonb_to_recordset($13::text::jsonb) as x(id uuid, status text, quantity bigint, filled_quantity bigint, filled_notional numeric,
    stop_price numeric, water_mark numeric, triggered boolean, triggered_at timestamptz, ended_at timestamptz, oco_id uuid, status_reason text, replaced_by uuid)
  where orders.id = x.id and orders.session_id = $1 and orders.user_id = $2 and exists (select 1 from g)
), f as (
  insert into fills (id, order_id, user_id, model_id, session_id, symbol, side, quantity, price, reference_price, fee,
                     cash_delta, cash_after, realized_pnl, quantity_after, filled_at, created_at)
  select x.id, x.order_id, $2, $5, $1, x.symbol, x.side::order_side, x.quantity, x.price, x.reference_price, x.fee,
         x.cash_delta, x.cash_after, x.realized_pnl, x.quantity_after, x.filled_at, now() + make_interval(secs => x.k / 1e6)
  from jsonb_to_recordset($7::text::jsonb) as x(id uuid, order_id uuid, symbol text, side text, quantity bigint, price numeric,
    reference_price numeric, fee numeric, cash_delta numeric, cash_after numeric, realized_pnl numeric, quantity_after bigint,
    filled_at timestamptz, k int)
  where exists (select 1 from g)
), p as (
  insert into positions (session_id, symbol, user_id, model_id, quantity, cost_basis, realized_pnl, fees_paid, last_fill_at)
  select $1, x.symbol, $2, $5, x.quantity, x.cost_basis, x.realized_pnl, x.fees_paid, x.last_fill_at
  from jsonb_to_recordset($8::text::jsonb) as x(symbol text, quantity bigint, cost_basis numeric, realized_pnl numeric, fees_paid numeric,
    last_fill_at timestamptz)
  where exists (select 1 from g)
  on conflict (session_id, symbol) do update
    set quantity = excluded.quantity, cost_basis = excluded.cost_basis, realized_pnl = excluded.realized_pnl,
        fees_paid = excluded.fees_paid, last_fill_at = excluded.last_fill_at, updated_at = now()
), r as (
  update order_cancel_requests set applied_at = now(), outcome = x.outcome
  from jsonb_to_recordset($14::text::jsonb) as x(order_id uuid, outcome text)
  where order_cancel_requests.order_id = x.order_id and order_cancel_requests.session_id = $1 and order_cancel_requests.user_id = $2
    and order_cancel_requests.applied_at is null and exists (select 1 from g)
), a as (
  update accounts set cash = $9, fees_paid = $10, realized_pnl = $11, updated_at = now()
  where session_id = $1 and user_id = $2 and $12::boolean and exists (select 1 from g)
)
select case when count(*) = 1 then 1 else bullpen_abort('BAR_NOT_OURS') end as guarded from g`;

export interface BarTrades {
  sessionId: string;
  userId: string;
  modelId: string;
  barIndex: number;
  /** The runner's fence token (null: a session run by hand, as tests do). */
  runnerId: string | null;
  /** Decimal dollars as numeric(20,6) prints them; instants as Dates. */
  orders: Record<string, unknown>[];
  /** Stored working orders that moved on this bar (status, filled quantity and notional, stop, water mark). */
  updates: Record<string, unknown>[];
  fills: Record<string, unknown>[];
  positions: Record<string, unknown>[];
  /** A person's cancel requests this bar applied (order_cancel_requests): `cancelled`, or `ended` when the order had ended. */
  cancelRequests: { order_id: string; outcome: "cancelled" | "ended" }[];
  /** The account after the bar's fills; null when nothing filled (left as it is). */
  account: { cash: string; feesPaid: string; realizedPnl: string } | null;
}

/** Writes a bar's trades (see WRITE_BAR_TRADES); raises BAR_NOT_OURS when the fence guard failed. */
export async function writeBarTrades(tx: Executor, t: BarTrades): Promise<void> {
  await runPrepared(tx, WRITE_BAR_TRADES, [
    t.sessionId,
    t.userId,
    t.barIndex,
    t.runnerId,
    t.modelId,
    JSON.stringify(t.orders),
    JSON.stringify(t.fills),
    JSON.stringify(t.positions),
    t.account?.cash ?? null,
    t.account?.feesPaid ?? null,
    t.account?.realizedPnl ?? null,
    t.account !== null,
    JSON.stringify(t.updates),
    JSON.stringify(t.cancelRequests),
  ]);
}
