import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { drivenBySql } from "./driven-by";
import { orderEventPayload } from "./order-event-payload";

/**
 * Read-side queries of the session pages (viewer, dashboard, leaderboard): lean columns, one statement
 * each, as the user (RLS applies) with the owner in every WHERE. Timestamps come back as text.
 */

export interface SessionCardRow {
  id: string;
  modelId: string;
  modelName: string;
  /** The user's name for this run ("prompt v2"), or null. */
  label: string | null;
  llm: string;
  /** A session an outside agent drives: its token's name ("driven by: …"); null for a session its model runs. */
  drivenBy: string | null;
  kind: "backtest" | "replay" | "paper";
  interval: "day" | "hour" | "minute";
  status: "queued" | "pending" | "running" | "paused" | "completed" | "failed" | "cancelled";
  symbols: string[];
  rangeStart: string | null;
  rangeEnd: string | null;
  decideEvery: number;
  paceMs: number;
  cursor: number;
  totalBars: number;
  startingCash: string;
  createdAt: string;
  startedAt: string | null;
  heartbeatAt: string | null;
  finishedAt: string | null;
  error: string | null;
  errorCode: string | null;
  metrics: Record<string, unknown> | null;
  benchmark: Record<string, unknown> | null;
  /** Its trading rules as stored (lib/services/trading-settings.ts). */
  settings: Record<string, unknown>;
  eventSeq: number;
  equity: string | null;
  borrowFeesPaid: string | null;
  firstBar: string | null;
  lastBar: string | null;
  /** The strategy prompt the session runs with: read by id only (the viewer), not for lists of cards. */
  instructions?: string;
}

const SESSION_COLUMNS = `
  s.id, s.model_id as "modelId", m.name as "modelName", s.label, s.llm, s.kind, s.interval, s.status, s.symbols,
  s.range_start::text as "rangeStart", s.range_end::text as "rangeEnd", s.decide_every as "decideEvery", s.pace_ms as "paceMs",
  s.cursor, s.total_bars as "totalBars", s.starting_cash::text as "startingCash",
  s.created_at::text as "createdAt", s.started_at::text as "startedAt", s.heartbeat_at::text as "heartbeatAt",
  s.finished_at::text as "finishedAt", s.error, s.error_code as "errorCode", s.metrics, s.benchmark, s.settings,
  s.event_seq::float8 as "eventSeq", a.equity::text as equity, a.borrow_fees_paid::text as "borrowFeesPaid",
  s.schedule->>0 as "firstBar", s.schedule->>-1 as "lastBar",
  ${drivenBySql("s")} as "drivenBy"`;

const SESSION_BY_ID = `
select ${SESSION_COLUMNS}, s.instructions
from trading_sessions s
join models m on m.id = s.model_id
left join accounts a on a.session_id = s.id and a.user_id = s.user_id
where s.id = $1 and s.user_id = $2`;

export async function getSessionCardById(tx: Executor, { id, userId }: { id: string; userId: string }): Promise<SessionCardRow | undefined> {
  const [row] = await runPrepared<SessionCardRow>(tx, SESSION_BY_ID, [id, userId]);
  return row;
}

/** $2 a model id or null, $3 a status or null: one prepared statement for every filter. */
const SESSIONS_OF_USER_WHERE = `
where s.user_id = $1 and ($2::uuid is null or s.model_id = $2::uuid) and ($3::trading_session_status is null or s.status = $3::trading_session_status)`;

const SESSIONS_OF_USER = `
select ${SESSION_COLUMNS}
from trading_sessions s
join models m on m.id = s.model_id
left join accounts a on a.session_id = s.id and a.user_id = s.user_id
${SESSIONS_OF_USER_WHERE}
order by s.created_at desc, s.id desc
offset $4 limit $5`;

const SESSIONS_OF_USER_COUNT = `select count(*)::int as n from trading_sessions s ${SESSIONS_OF_USER_WHERE}`;

export interface SessionCardQuery {
  userId: string;
  modelId?: string;
  status?: SessionCardRow["status"];
  offset: number;
  limit: number;
}

/** A page of the user's sessions, newest first, with their model and current equity, and how many match in all. */
export async function listSessionCardsByUser(tx: Executor, q: SessionCardQuery): Promise<{ rows: SessionCardRow[]; total: number }> {
  const filter = [q.userId, q.modelId ?? null, q.status ?? null];
  const [rows, [count]] = await Promise.all([
    runPrepared<SessionCardRow>(tx, SESSIONS_OF_USER, [...filter, q.offset, q.limit]),
    runPrepared<{ n: number }>(tx, SESSIONS_OF_USER_COUNT, filter),
  ]);
  return { rows, total: count!.n };
}

export interface DecisionSummaryRow {
  id: string;
  clock: string;
  outcome: "traded" | "held" | "failed";
  text: string;
  toolCalls: number;
  filledOrders: number;
  rejectedOrders: number;
  toolErrors: number;
  error: string | null;
  latencyMs: number;
}

const DECISION_SUMMARIES = `
select id, clock::text as clock, outcome, left(text, $3) as text, jsonb_array_length(tool_calls) as "toolCalls",
       filled_orders as "filledOrders", rejected_orders as "rejectedOrders", tool_errors as "toolErrors",
       left(error, 500) as error, latency_ms as "latencyMs"
from decisions
where session_id = $1 and user_id = $2
order by clock, created_at, id
offset $4 limit $5`;

/**
 * Decisions of a session, oldest first, from position `offset` (decisions are append-only and ordered by
 * clock, so a position never changes), without the prompt and tool calls (they load on expand).
 */
export function listDecisionSummariesBySession(
  tx: Executor,
  { sessionId, userId, previewChars, offset, limit }: { sessionId: string; userId: string; previewChars: number; offset: number; limit: number },
): Promise<DecisionSummaryRow[]> {
  return runPrepared<DecisionSummaryRow>(tx, DECISION_SUMMARIES, [sessionId, userId, previewChars, offset, limit]);
}

export async function countDecisionsBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<number> {
  const [row] = await runPrepared<{ n: number }>(tx, "select count(*)::int as n from decisions where session_id = $1 and user_id = $2", [sessionId, userId]);
  return row?.n ?? 0;
}

export interface DataSourceRow {
  source: string;
  derived: boolean;
}

const DATA_SOURCES = `
select source, bool_or(derived) as derived
from bars
where symbol = any($1::text[]) and interval = $2::bar_interval and start >= $3::timestamptz and start <= $4::timestamptz
group by source
order by source`;

/** Which sources (and whether derived bars) make up the session's bars. */
export function listDataSourcesOfRange(
  tx: Executor,
  { symbols, interval, from, to }: { symbols: readonly string[]; interval: string; from: string; to: string },
): Promise<DataSourceRow[]> {
  return runPrepared<DataSourceRow>(tx, DATA_SOURCES, [`{${symbols.map((s) => `"${s}"`).join(",")}}`, interval, from, to]);
}

export interface PriceRow {
  t: string;
  open: number;
  close: number | null;
}

const PRICES = `
select start::text as t, open, close
from bars
where symbol = $1 and interval = $2::bar_interval and start >= $3::timestamptz and start <= $4::timestamptz
order by start`;

export function listPricesOfRange(
  tx: Executor,
  { symbol, interval, from, to }: { symbol: string; interval: string; from: string; to: string },
): Promise<PriceRow[]> {
  return runPrepared<PriceRow>(tx, PRICES, [symbol, interval, from, to]);
}

export interface EquityRow {
  sessionId: string;
  barIndex: number;
  at: string;
  equity: string;
  cash: string;
}

const EQUITY_OF_SESSIONS = `
select e.session_id as "sessionId", e.bar_index as "barIndex", e.at::text as at, e.equity::text as equity, e.cash::text as cash,
       s.starting_cash::text as "startingCash"
from session_equity e join trading_sessions s on s.id = e.session_id
where e.session_id = any($1::uuid[]) and e.user_id = $2
order by e.session_id, e.bar_index`;

export type EquityOfSessionRow = EquityRow & { startingCash: string };

/** Ids as a PostgreSQL array literal, for a `$n::uuid[]` parameter (a uuid needs no quoting). */
const uuidArray = (ids: readonly string[]) => `{${ids.join(",")}}`;

/** The equity curves of some of the user's sessions, with their starting cash (one statement; ids not theirs give nothing). */
export function listEquityOfSessions(tx: Executor, { sessionIds, userId }: { sessionIds: readonly string[]; userId: string }): Promise<EquityOfSessionRow[]> {
  return runPrepared<EquityOfSessionRow>(tx, EQUITY_OF_SESSIONS, [uuidArray(sessionIds), userId]);
}

/** The stored benchmarks (kind, symbols, value at each bar) of some of the user's sessions; null: none stored. */
export function listBenchmarksOfSessions(
  tx: Executor,
  { sessionIds, userId }: { sessionIds: readonly string[]; userId: string },
): Promise<{ sessionId: string; benchmark: { kind: string; symbols: string[]; curve: number[] } | null }[]> {
  return runPrepared(
    tx,
    `select id as "sessionId",
            case when benchmark ? 'curve' then jsonb_build_object('kind', benchmark->'kind', 'symbols', benchmark->'symbols', 'curve', benchmark->'curve') end as benchmark
     from trading_sessions where id = any($1::uuid[]) and user_id = $2`,
    [uuidArray(sessionIds), userId],
  );
}

/** The marks (symbol → price) of the session's newest `equity` event: what its open positions were valued at. */
export async function getLastMarks(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<Record<string, string>> {
  const [row] = await runPrepared<{ marks: Record<string, string> | null }>(
    tx,
    `select payload->'marks' as marks from session_events where session_id = $1 and user_id = $2 and type = 'equity' order by seq desc limit 1`,
    [sessionId, userId],
  );
  return row?.marks ?? {};
}

/**
 * The orders the session placed itself to settle option expiries (decision null; the reason says how:
 * lib/trading/settle-expiries.ts), oldest first, each as its `order` event's payload: the viewer's feed shows them
 * (lib/viewer/expiries.ts) as the live stream does.
 */
export async function listSettlementOrdersBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<{ payload: Record<string, unknown> }[]> {
  return runPrepared<{ payload: Record<string, unknown> }>(
    tx,
    `select ${orderEventPayload("o")} as payload from orders o
     where o.session_id = $1 and o.user_id = $2 and o.decision_id is null
       and o.status_reason in ('exercised', 'assigned', 'expired_worthless', 'closed_at_intrinsic')
     order by o.created_at, o.id`,
    [sessionId, userId],
  );
}

/** The session's margin_call events (lib/trading/margin-call.ts), oldest first, as their payloads: the feed's margin-call rows. */
export async function listMarginCallEventsBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<{ payload: Record<string, unknown> }[]> {
  return runPrepared<{ payload: Record<string, unknown> }>(
    tx,
    `select payload from session_events where session_id = $1 and user_id = $2 and type = 'margin_call' order by seq`,
    [sessionId, userId],
  );
}
