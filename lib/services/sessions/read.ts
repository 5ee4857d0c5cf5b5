import "server-only";
import { toCsv } from "@/lib/csv";
import { getDb, type Db, type Page, type Tx } from "@/lib/db/client";
import { getAccountBySessionId } from "@/lib/db/queries/accounts";
import { listDecisionsBySession } from "@/lib/db/queries/decisions";
import { listEquityBySession } from "@/lib/db/queries/equity";
import { listFillsByOrderIds, listFillsBySession } from "@/lib/db/queries/fills";
import { listOrdersBySession } from "@/lib/db/queries/orders";
import { getTradingSessionById, listTradingSessionsByUser, type SessionStatus, type TradingSessionRow } from "@/lib/db/queries/sessions";
import { withUser } from "@/lib/db/rls";
import { notFound } from "@/lib/errors";
import { assertId } from "@/lib/services/ids";
import type { UserContext } from "@/lib/services/context";
import type { MetricsJson } from "./benchmark";
import { orderCsvRows, orderJson, SESSION_ORDERS_CSV_COLUMNS } from "./order-json";
import { computeSessionMetrics, type BenchmarkJson } from "./results";
import type { DecisionKind } from "@/lib/schemas/session";

/** Reads of sessions and their results, as the user (RLS) and filtered by owner. JSON shapes: docs/api.md. */

async function ownSession<T>(ctx: UserContext, id: string, db: Db, fn: (tx: Parameters<Parameters<typeof withUser>[1]>[0], s: TradingSessionRow) => Promise<T>): Promise<T> {
  assertId(id, "Session");
  return withUser(
    ctx.claims,
    async (tx) => {
      const s = await getTradingSessionById(tx, { id, userId: ctx.userId });
      if (!s) throw notFound("Session");
      return fn(tx, s);
    },
    db,
  );
}

export function sessionJson(s: TradingSessionRow, extra: { metrics?: MetricsJson | null; account?: Awaited<ReturnType<typeof getAccountBySessionId>> } = {}, now = Date.now()) {
  const benchmark = s.benchmark as BenchmarkJson | null;
  return {
    id: s.id,
    modelId: s.modelId,
    /** The model's llm and strategy prompt when the session started (what it runs with). */
    llm: s.llm,
    instructions: s.instructions,
    /** The user's name for this run, or null. */
    label: s.label,
    /** "model" (its model decides, in process) or "external" (an outside agent with a model API token: docs/sessions.md). */
    driver: s.driver,
    kind: s.kind,
    interval: s.interval,
    status: s.status,
    symbols: s.symbols,
    start: s.rangeStart,
    end: s.rangeEnd,
    decideEvery: s.decideEvery,
    startingCash: s.startingCash,
    settings: { ...(s.settings as object), maxSteps: s.maxSteps, decisionTimeoutSeconds: s.decisionTimeoutMs / 1000, seed: s.seed, paceMs: s.paceMs },
    progress: { done: s.cursor, total: s.totalBars, etaSeconds: etaSeconds(s, now) },
    account: extra.account
      ? { cash: extra.account.cash, equity: extra.account.equity, equityAt: extra.account.equityAt?.toISOString() ?? null, feesPaid: extra.account.feesPaid, borrowFeesPaid: extra.account.borrowFeesPaid, realizedPnl: extra.account.realizedPnl }
      : undefined,
    metrics: extra.metrics !== undefined ? extra.metrics : ((s.metrics as MetricsJson | null) ?? null),
    benchmark: benchmark ? { kind: benchmark.kind, symbols: benchmark.symbols, metrics: benchmark.metrics } : null,
    error: s.errorCode ? { code: s.errorCode, message: s.error ?? "" } : null,
    lastEventId: s.eventSeq,
    createdAt: s.createdAt.toISOString(),
    startedAt: s.startedAt?.toISOString() ?? null,
    finishedAt: s.finishedAt?.toISOString() ?? null,
    heartbeatAt: s.heartbeatAt?.toISOString() ?? null,
  };
}

/** Seconds left at the rate bars have gone since the run started; null when not running or unknown. */
function etaSeconds(s: TradingSessionRow, now: number): number | null {
  if (s.status !== "running" || !s.startedAt || s.cursor === 0) return null;
  const perBar = (now - s.startedAt.getTime()) / 1000 / s.cursor;
  return Math.max(0, Math.round(perBar * (s.totalBars - s.cursor)));
}

export async function listSessions(ctx: UserContext, q: { status?: SessionStatus; modelId?: string; offset?: number; limit: number }, db: Db = getDb()) {
  const rows = await withUser(ctx.claims, (tx) => listTradingSessionsByUser(tx, { userId: ctx.userId, ...q }), db);
  return rows.map((s) => sessionJson(s));
}

/** One of the caller's sessions, as stored; another user's id or a missing one is NOT_FOUND. */
export function getSession(ctx: UserContext, id: string, db: Db = getDb()): Promise<TradingSessionRow> {
  return ownSession(ctx, id, db, async (_tx, s) => s);
}

/** One session with progress, account and metrics (stored when completed, computed so far otherwise). */
export function getSessionDetail(ctx: UserContext, id: string, db: Db = getDb()) {
  return ownSession(ctx, id, db, async (tx, s) => {
    const account = await getAccountBySessionId(tx, { sessionId: s.id, userId: ctx.userId });
    const metrics = s.status === "completed" && s.metrics ? (s.metrics as MetricsJson) : await computeSessionMetrics(tx, s);
    return sessionJson(s, { metrics, account });
  });
}

export function listSessionDecisions(ctx: UserContext, id: string, page: Page & { show?: DecisionKind }, db: Db = getDb()) {
  return ownSession(ctx, id, db, async (tx) => {
    const rows = await listDecisionsBySession(tx, { sessionId: id, userId: ctx.userId, show: page.show }, page);
    return rows.map((d) => ({
      id: d.id,
      clock: d.clock.toISOString(),
      llm: d.llm,
      outcome: d.outcome,
      text: d.text,
      prompt: d.prompt,
      toolCalls: d.toolCalls,
      steps: d.steps,
      finishReason: d.finishReason,
      error: d.error ? { code: d.errorCode, message: d.error } : null,
      filledOrders: d.filledOrders,
      rejectedOrders: d.rejectedOrders,
      toolErrors: d.toolErrors,
      inputTokens: d.inputTokens,
      outputTokens: d.outputTokens,
      costUsd: d.costUsd,
      latencyMs: d.latencyMs,
    }));
  });
}

/**
 * The session's orders in placement order, each with its fills: a page of them (and only that page's
 * fills), or all of them (with the session's fills, read alongside).
 */
async function ordersWithFills(tx: Tx, args: { sessionId: string; userId: string }, page?: Page) {
  const [orders, sessionFills] = await Promise.all([listOrdersBySession(tx, args, page), page ? null : listFillsBySession(tx, args)]);
  const fills = sessionFills ?? (await listFillsByOrderIds(tx, { orderIds: orders.map((o) => o.id), userId: args.userId }));
  const byOrder = new Map<string, typeof fills>();
  for (const f of fills) byOrder.set(f.orderId, [...(byOrder.get(f.orderId) ?? []), f]);
  return orders.map((o) => ({ ...o, fills: byOrder.get(o.id) ?? [] }));
}

export function listSessionOrders(ctx: UserContext, id: string, page: Page, db: Db = getDb()) {
  return ownSession(ctx, id, db, async (tx) => (await ordersWithFills(tx, { sessionId: id, userId: ctx.userId }, page)).map(orderJson));
}

export { SESSION_ORDERS_CSV_COLUMNS };

/** Every order of the session as CSV, in placement order: a row per fill, or one with empty fill columns (order-json.ts). */
export function sessionOrdersCsv(ctx: UserContext, id: string, db: Db = getDb()): Promise<string> {
  return ownSession(ctx, id, db, async (tx) => {
    const orders = await ordersWithFills(tx, { sessionId: id, userId: ctx.userId });
    return toCsv(SESSION_ORDERS_CSV_COLUMNS, orders.flatMap(orderCsvRows));
  });
}

/** The equity curve and, once completed, the benchmark's value at the same bars. */
export function getSessionEquity(ctx: UserContext, id: string, db: Db = getDb()) {
  return ownSession(ctx, id, db, async (tx, s) => {
    const points = await listEquityBySession(tx, { sessionId: id, userId: ctx.userId });
    const benchmark = s.benchmark as BenchmarkJson | null;
    return {
      points: points.map((p) => ({ barIndex: p.barIndex, at: p.at.toISOString(), equity: p.equity, cash: p.cash })),
      benchmark: benchmark ? { kind: benchmark.kind, symbols: benchmark.symbols, values: benchmark.curve } : null,
    };
  });
}
