import "server-only";
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { orderEventPayload } from "./order-event-payload";
import { tradingSessions } from "@/lib/db/schema";

/**
 * Trading sessions (one run of a model; docs/sessions.md). Every query names the owner in its WHERE;
 * row-level security is the second wall. The runner's hot-path statements are prepared (lib/db/prepared).
 */
export type TradingSessionRow = typeof tradingSessions.$inferSelect;
export type SessionStatus = TradingSessionRow["status"];
type TradingSessionValues = Omit<typeof tradingSessions.$inferInsert, "id" | "userId" | "createdAt" | "updatedAt">;

export const FINISHED_STATUSES = ["completed", "failed", "cancelled"] as const satisfies readonly SessionStatus[];

export async function insertTradingSession(tx: Executor, { userId, values }: { userId: string; values: TradingSessionValues }) {
  const [row] = await tx
    .insert(tradingSessions)
    .values({ ...values, userId })
    .returning();
  return row!;
}

export async function getTradingSessionById(tx: Executor, { id, userId }: { id: string; userId: string }) {
  const [row] = await tx
    .select()
    .from(tradingSessions)
    .where(and(eq(tradingSessions.id, id), eq(tradingSessions.userId, userId)));
  return row;
}

/** Renames the user's session (label null: none); undefined when it is not theirs. */
export async function setTradingSessionLabel(tx: Executor, { id, userId, label }: { id: string; userId: string; label: string | null }) {
  const [row] = await tx
    .update(tradingSessions)
    .set({ label, updatedAt: new Date() })
    .where(and(eq(tradingSessions.id, id), eq(tradingSessions.userId, userId)))
    .returning();
  return row;
}

/** Newest first, from position `offset` (ties on createdAt ordered by id, so pages neither repeat nor skip one). */
export function listTradingSessionsByUser(
  tx: Executor,
  { userId, status, modelId, offset = 0, limit }: { userId: string; status?: SessionStatus; modelId?: string; offset?: number; limit: number },
) {
  const where: (SQL | undefined)[] = [eq(tradingSessions.userId, userId)];
  if (status) where.push(eq(tradingSessions.status, status));
  if (modelId) where.push(eq(tradingSessions.modelId, modelId));
  return tx
    .select()
    .from(tradingSessions)
    .where(and(...where))
    .orderBy(desc(tradingSessions.createdAt), desc(tradingSessions.id))
    .offset(offset)
    .limit(limit);
}

/** The newest session of the model that `tokenId` drives (an unbound token acts in the session it started), if any. */
export async function lastSessionDrivenBy(tx: Executor, { userId, modelId, tokenId }: { userId: string; modelId: string; tokenId: string }) {
  const [row] = await tx
    .select()
    .from(tradingSessions)
    .where(and(eq(tradingSessions.userId, userId), eq(tradingSessions.modelId, modelId), eq(tradingSessions.driverTokenId, tokenId)))
    .orderBy(desc(tradingSessions.createdAt), desc(tradingSessions.id))
    .limit(1);
  return row;
}

/** The user's sessions that count against the concurrency limit (pending or running), and those queued behind it. */
export async function countAdmissionsOfUser(tx: Executor, { userId }: { userId: string }): Promise<{ active: number; queued: number }> {
  const [row] = await runPrepared<{ active: number; queued: number }>(
    tx,
    `select (count(*) filter (where status in ('pending', 'running')))::int as active, (count(*) filter (where status = 'queued'))::int as queued
     from trading_sessions where user_id = $1 and status in ('queued', 'pending', 'running')`,
    [userId],
  );
  return row ?? { active: 0, queued: 0 };
}

/** The user's `n` oldest queued sessions, locked (one being paused or cancelled right now is skipped). */
export async function lockOldestQueuedSessions(tx: Executor, { userId, n }: { userId: string; n: number }): Promise<string[]> {
  const rows = await runPrepared<{ id: string }>(
    tx,
    `select id from trading_sessions where user_id = $1 and status = 'queued' order by created_at, id limit $2 for update skip locked`,
    [userId, n],
  );
  return rows.map((r) => r.id);
}

/**
 * Serializes a user's session admissions (create, resume, and every session leaving pending or running)
 * until the transaction ends, so two cannot both take the last slot. A transaction-level advisory lock: any
 * role may take one. Taken after the row of the session being changed, never before (admission.ts: lock order).
 */
export async function lockSessionAdmissionsOfUser(tx: Executor, { userId }: { userId: string }): Promise<void> {
  await runPrepared(tx, "select pg_advisory_xact_lock(hashtextextended('session-admission:' || $1, 0))", [userId]);
}

/**
 * Locks the session row FOR UPDATE when it is `running` under `runnerId` with every bar recorded, and raises
 * NOT_OURS (bullpen_abort) otherwise: the guard of a runner's last write, for a transaction sent in one trip.
 */
export async function refuseUnlessFinishing(tx: Executor, { id, userId, runnerId }: { id: string; userId: string; runnerId: string }): Promise<void> {
  await runPrepared(
    tx,
    `with s as (select id from trading_sessions where id = $1 and user_id = $2 and status = 'running' and runner_id = $3 and cursor >= total_bars for update)
     select case when not exists (select 1 from s) then bullpen_abort('NOT_OURS') end`,
    [id, userId, runnerId],
  );
}

/** Raises ADMISSION_NEEDED (bullpen_abort) when the user has a queued session; under the admission lock, nobody queues one meanwhile. */
export async function refuseIfQueued(tx: Executor, { userId }: { userId: string }): Promise<void> {
  await runPrepared(
    tx,
    "select case when exists (select 1 from trading_sessions where user_id = $1 and status = 'queued') then bullpen_abort('ADMISSION_NEEDED') end",
    [userId],
  );
}

/** The state the runner and the control actions need, locked FOR UPDATE until the transaction ends. */
export interface LockedSession {
  id: string;
  userId: string;
  modelId: string;
  status: SessionStatus;
  cursor: number;
  totalBars: number;
  eventSeq: number;
  runnerId: string | null;
}

const LOCK_SESSION = `
select id, user_id as "userId", model_id as "modelId", status, cursor, total_bars as "totalBars",
       event_seq::float8 as "eventSeq", runner_id as "runnerId"
from trading_sessions where id = $1 and user_id = $2
for update`;

export async function lockTradingSession(tx: Executor, { id, userId }: { id: string; userId: string }): Promise<LockedSession | undefined> {
  const [row] = await runPrepared<LockedSession>(tx, LOCK_SESSION, [id, userId]);
  return row;
}

/**
 * Who owns a session, read by the worker as the server role: a job carries only the session id, and the
 * identity the runner acts as comes from this row (never from the job, the environment or a cache).
 */
export async function getSessionOwnerById(
  db: Executor,
  { id }: { id: string },
): Promise<{ userId: string; modelId: string; status: SessionStatus; driver: "model" | "external" } | undefined> {
  const [row] = await runPrepared<{ userId: string; modelId: string; status: SessionStatus; driver: "model" | "external" }>(
    db,
    `select user_id as "userId", model_id as "modelId", status, driver from trading_sessions where id = $1`,
    [id],
  );
  return row;
}

/** Status change + its `status` event in one statement, under the row lock the caller holds. */
const SET_STATUS = `
with s as (
  update trading_sessions
  set status = $3::trading_session_status, event_seq = event_seq + 1, updated_at = now(),
      runner_id = case when $4::boolean then $5 else runner_id end,
      started_at = case when $3 = 'running' then coalesce(started_at, now()) else started_at end,
      finished_at = case when $3 in ('completed', 'failed', 'cancelled') then now() else finished_at end,
      error_code = coalesce($6, error_code), error = coalesce($7, error),
      metrics = coalesce($8::text::jsonb, metrics), benchmark = coalesce($9::text::jsonb, benchmark)
  where id = $1 and user_id = $2
  returning event_seq
), e as (
  insert into session_events (session_id, user_id, seq, type, at, payload)
  select $1, $2, s.event_seq, 'status', $10, $11::text::jsonb from s
  returning seq
)
-- At commit the session's runner hears it (LISTEN session_control) and stops a decision in flight.
select seq::float8 as seq, pg_notify('session_control', $1::text || ':' || $3::text) from e`;

export interface StatusChange {
  id: string;
  userId: string;
  status: SessionStatus;
  /** Replace the runner token (claim, or clear with null). */
  runnerId?: string | null;
  errorCode?: string | null;
  error?: string | null;
  metrics?: unknown;
  benchmark?: unknown;
  /** Session clock when it happened, if any. */
  at?: Date | null;
  payload: Record<string, unknown>;
}

/** Sets the status and appends the `status` event; returns its seq (undefined: no such session of the user). */
export async function setTradingSessionStatus(tx: Executor, c: StatusChange): Promise<number | undefined> {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  const [row] = await runPrepared<{ seq: number }>(tx, SET_STATUS, [
    c.id,
    c.userId,
    c.status,
    c.runnerId !== undefined,
    c.runnerId ?? null,
    c.errorCode ?? null,
    c.error ?? null,
    json(c.metrics),
    json(c.benchmark),
    c.at ?? null,
    JSON.stringify({ status: c.status, ...c.payload }),
  ]);
  return row?.seq;
}

/*
 * The end of a bar, in ONE statement: the account marked to `prices` (cash − borrow fee + Σ quantity ×
 * price over open positions, exact numeric); the `decision` (payload given), `order` and `fill` events
 * (the `equity` event carries the open positions' marks: the prices they were valued at)
 * (read only when the decision placed orders: $9) and the `equity` event, numbered after the session's
 * event_seq in that order (the decision, then each order followed by its fill); the equity point; the
 * account's mark; the cursor. Guarded by the cursor, so a bar is recorded once: when the cursor moved the
 * statement raises CURSOR_MOVED, and MISSING_PRICE (the symbols as its detail) when an open position has
 * no price (bullpen_abort: its transaction rolls back). Orders are this bar's (placed_at = the clock; orders_session_placed_idx).
 */
const RECORD_BAR = `
with pos as (
  select p.symbol, p.quantity, px.value::numeric as price
  from positions p left join json_each_text($7::text::json) px on px.key = p.symbol
  where p.session_id = $1 and p.user_id = $2 and p.quantity <> 0
), acct as (
  select a.cash - $6::numeric as cash, a.borrow_fees_paid + $6::numeric as borrow,
         a.cash - $6::numeric + coalesce((select sum(pos.quantity * pos.price * contract_multiplier(pos.symbol)) from pos), 0) as equity,
         (select string_agg(pos.symbol, ', ') from pos where pos.price is null) as missing
  from accounts a where a.session_id = $1 and a.user_id = $2
), o as (
  select o.*, row_number() over (order by o.created_at, o.id) as rn
  from orders o where o.id in (select value::uuid from jsonb_array_elements_text($9::text::jsonb)) and o.session_id = $1 and o.user_id = $2
), f as (
  select f.*, o.rn from fills f join o on f.order_id = o.id where f.id in (select value::uuid from jsonb_array_elements_text($10::text::jsonb))
), ev as (
  select 0::bigint as rn, -1 as sub, 'margin_call'::session_event_type as type, $11::text::jsonb as payload where $11::text is not null
  union all
  select 0::bigint, 0, 'decision', $8::text::jsonb where $8::text is not null
  union all
  select o.rn, 0, 'order', ${orderEventPayload("o")} from o
  union all
  select f.rn, 1, 'fill', jsonb_build_object(
    'id', f.id, 'orderId', f.order_id, 'symbol', f.symbol, 'side', f.side, 'quantity', f.quantity,
    'price', f.price::text, 'fee', f.fee::text, 'cashAfter', f.cash_after::text, 'realizedPnl', f.realized_pnl::text,
    'quantityAfter', f.quantity_after, 'filledAt', f.filled_at) from f
  union all
  select 9223372036854775807, 0, 'equity', jsonb_build_object(
    'barIndex', $3::int, 'at', $4::timestamptz, 'equity', acct.equity::text, 'cash', acct.cash::text,
    'borrowFeesPaid', acct.borrow::text, 'done', $3::int + 1, 'total', $5::int,
    'marks', coalesce((select jsonb_object_agg(pos.symbol, pos.price::text) from pos), '{}'::jsonb)) from acct
), n as (
  select row_number() over (order by rn, sub) as k, type, payload from ev
), s as (
  update trading_sessions
  set cursor = cursor + 1, event_seq = event_seq + (select count(*) from n), heartbeat_at = now(), updated_at = now()
  where id = $1 and user_id = $2 and cursor = $3 and (select missing from acct) is null
  returning event_seq - (select count(*) from n) as base
), e as (
  insert into session_events (session_id, user_id, seq, type, at, payload)
  select $1, $2, s.base + n.k, n.type, $4, n.payload from s cross join n
  returning seq
), q as (
  insert into session_equity (session_id, user_id, bar_index, at, equity, cash)
  select $1, $2, $3, $4, acct.equity, acct.cash from s cross join acct
), a as (
  update accounts
  set equity = acct.equity, equity_at = $4, cash = acct.cash, borrow_fees_paid = borrow_fees_paid + $6::numeric, updated_at = now()
  from acct
  where accounts.session_id = $1 and accounts.user_id = $2 and exists (select 1 from s)
)
select (select base::float8 from s) as base, (select max(seq)::float8 from e) as "lastSeq", (select equity::text from acct) as equity,
       (select coalesce(json_agg(r.order_id order by r.requested_at, r.order_id), '[]'::json) from order_cancel_requests r
        where r.session_id = $1 and r.user_id = $2 and r.applied_at is null) as "cancelRequests",
       case when (select missing from acct) is not null then bullpen_abort('MISSING_PRICE', (select missing from acct))
            when not exists (select 1 from s) then bullpen_abort('CURSOR_MOVED') end as refused`;

export interface BarRecord {
  sessionId: string;
  userId: string;
  /** The `decision` event's payload; null on a bar without a decision. */
  decision: Record<string, unknown> | null;
  /** The bar's margin_call event's payload (lib/trading/margin-call.ts), written before the decision; null: none. */
  marginCall?: object | null;
  /** The orders the bar placed or moved on, and the bar's fills: read into `order` and `fill` events. */
  orderIds: readonly string[];
  fillIds: readonly string[];
  barIndex: number;
  totalBars: number;
  at: Date;
  /** Borrow fee charged at this bar (decimal dollars; "0" mostly). */
  borrowFee: string;
  /** Price per symbol at the clock (decimal dollars, 6 decimals), at least for every open position. */
  prices: Record<string, string>;
}

export interface BarRecorded {
  firstSeq: number;
  lastSeq: number;
  equity: string;
  /** Orders a person asked to cancel that no bar has applied yet (order_cancel_requests): the next bar applies them. */
  cancelRequests: string[];
}

/** Records a bar (see RECORD_BAR); raises CURSOR_MOVED or MISSING_PRICE instead of writing half of it. */
export async function recordBar(tx: Executor, b: BarRecord): Promise<BarRecorded> {
  const [row] = await runPrepared<{ base: number; lastSeq: number; equity: string; cancelRequests: string[] }>(tx, RECORD_BAR, [
    b.sessionId,
    b.userId,
    b.barIndex,
    b.at,
    b.totalBars,
    b.borrowFee,
    JSON.stringify(b.prices),
    b.decision === null ? null : JSON.stringify(b.decision),
    JSON.stringify(b.orderIds),
    JSON.stringify(b.fillIds),
    b.marginCall ? JSON.stringify(b.marginCall) : null,
  ]);
  return { firstSeq: row!.base + 1, lastSeq: row!.lastSeq, equity: row!.equity, cancelRequests: row!.cancelRequests };
}

