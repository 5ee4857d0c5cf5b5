import "server-only";
import { z } from "zod";
import { getDb, type Db, type Executor } from "@/lib/db/client";
import { getBarRanges, hasClosedBarBetween, type BarRange } from "@/lib/db/queries/bar-coverage";
import { listEquityBySession } from "@/lib/db/queries/equity";
import { listFillsBySession } from "@/lib/db/queries/fills";
import { listWorkingOrdersBySession } from "@/lib/db/queries/working-orders";
import {
  countDecisionsBySession,
  getLastMarks,
  getSessionCardById,
  listDataSourcesOfRange,
  listDecisionSummariesBySession,
  listPricesOfRange,
  listSessionCardsByUser,
  listMarginCallEventsBySession,
  listSettlementOrdersBySession,
  type SessionCardRow,
} from "@/lib/db/queries/session-view";
import { getTradingSessionById } from "@/lib/db/queries/sessions";
import { withUser } from "@/lib/db/rls";
import { notFound } from "@/lib/errors";
import { assertId } from "./ids";
import { barStarts, nyDayOf, previousTradingDay, sessionOf } from "@/lib/market";
import { startDefaultsOf, tradingDayAtOrBefore, type IntervalCoverage, type StartDefaults, type StoredCoverage } from "./sessions/start-range";
import { downsample } from "@/lib/viewer/derive";
import { applyFill, benchmarkNameOf, PREVIEW_CHARS, preview, withMarks } from "@/lib/viewer/fold";
import { workingOrderFromEvent } from "@/lib/viewer/working-orders";
import { settlementFromPayload } from "@/lib/viewer/expiries";
import { marginCallFromPayload } from "@/lib/viewer/margin-calls";
import type {
  DataLabel,
  DecisionSummary,
  EquitySample,
  FillView,
  MetricsView,
  OrderSide,
  PositionView,
  SessionStatus,
  SessionView,
  ViewerState,
} from "@/lib/viewer/types";
import { DECISION_PAGE, FIRST_DECISIONS } from "@/lib/viewer/types";
import { SESSION_CARDS_PER_PAGE, type TradingDefaults } from "@/lib/schemas/session";
import type { UserContext } from "./context";
import { computeBenchmark } from "./sessions/results";

/**
 * What the session pages read (docs/ui.md): the viewer's whole state in one transaction as the user, a
 * decision in full, a symbol's prices over the session. Writes (start, pause, resume, cancel) are the
 * sessions services'. Another user's id answers exactly like a missing one.
 */

/** Points of a finished session's equity curve the viewer page ships (the chart draws 500). */
const FINISHED_CURVE = 2_000;
const iso = (t: string | Date | null) => (t === null ? null : new Date(t).toISOString());

function metricsView(v: unknown): MetricsView | null {
  return v && typeof v === "object" && "totalReturn" in v ? (v as MetricsView) : null;
}

export function sessionView(row: SessionCardRow, data: DataLabel = { synthetic: false, derived: false, sources: [] }): SessionView {
  const bench = row.benchmark as { metrics?: unknown } | null;
  return {
    id: row.id,
    modelId: row.modelId,
    modelName: row.modelName,
    label: row.label,
    llm: row.llm,
    drivenBy: row.drivenBy ?? null,
    instructions: row.instructions ?? null,
    kind: row.kind,
    interval: row.interval,
    status: row.status,
    symbols: row.symbols,
    rangeStart: row.rangeStart,
    rangeEnd: row.rangeEnd,
    decideEvery: row.decideEvery,
    paceMs: row.paceMs,
    trading: row.settings as TradingDefaults,
    borrowFeesPaid: Number(row.borrowFeesPaid ?? 0),
    cursor: row.cursor,
    totalBars: row.totalBars,
    startingCash: Number(row.startingCash),
    createdAt: iso(row.createdAt)!,
    startedAt: iso(row.startedAt),
    heartbeatAt: iso(row.heartbeatAt),
    finishedAt: iso(row.finishedAt),
    error: row.error,
    errorCode: row.errorCode,
    metrics: metricsView(row.metrics),
    benchmarkMetrics: metricsView(bench?.metrics),
    benchmarkName: benchmarkNameOf(row.benchmark),
    data,
  };
}

/** A session card of the dashboard: the session and its return so far (from the account's last mark). */
export interface SessionCard {
  session: SessionView;
  equity: number | null;
  lastSeq: number;
}

/** The dashboard's sessions: a page of those matching the filter, newest first, and how many match in all. */
export async function listSessionCards(
  ctx: UserContext,
  { modelId, status, offset = 0, limit = SESSION_CARDS_PER_PAGE }: { modelId?: string; status?: SessionStatus; offset?: number; limit?: number } = {},
  db?: Db,
): Promise<{ cards: SessionCard[]; total: number }> {
  const { rows, total } = await withUser(ctx.claims, (tx) => listSessionCardsByUser(tx, { userId: ctx.userId, modelId, status, offset, limit }), db);
  return { cards: rows.map((r) => ({ session: sessionView(r), equity: r.equity === null ? null : Number(r.equity), lastSeq: r.eventSeq })), total };
}

function dataLabel(rows: { source: string; derived: boolean }[], symbols: readonly string[]): DataLabel {
  const sources = rows.map((r) => r.source);
  const syntheticSymbols = symbols.length > 0 && symbols.every((s) => /^ZZ[A-Z]{4}$/.test(s));
  return {
    synthetic: sources.includes("synthetic") || syntheticSymbols,
    derived: rows.some((r) => r.derived),
    sources,
  };
}

export const fillView = (f: Awaited<ReturnType<typeof listFillsBySession>>[number]): FillView => ({
  id: f.id,
  orderId: f.orderId,
  symbol: f.symbol,
  side: f.side as OrderSide,
  quantity: f.quantity,
  price: Number(f.price),
  fee: Number(f.fee),
  cashAfter: Number(f.cashAfter),
  realizedPnl: f.realizedPnl === null ? null : Number(f.realizedPnl),
  quantityAfter: f.quantityAfter,
  filledAt: f.filledAt.toISOString(),
});

/**
 * Positions folded from the fills and priced at the last bar's marks (the same fold and marks the live
 * stream uses, so the two never disagree).
 */
export function positionsFromFills(fills: readonly FillView[], marks: unknown = null): PositionView[] {
  const map = new Map<string, PositionView>();
  for (const f of fills) map.set(f.symbol, applyFill(map.get(f.symbol), f));
  withMarks(map, marks);
  return [...map.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
}


const summaryView = (d: Awaited<ReturnType<typeof listDecisionSummariesBySession>>[number]): DecisionSummary => ({
  ...d,
  clock: new Date(d.clock).toISOString(),
  text: preview(d.text),
});

/** Decisions at positions [offset, offset + limit) of the session, oldest first. */
export async function getDecisionSummaries(ctx: UserContext, sessionId: string, { offset, limit }: { offset: number; limit: number }, db?: Db): Promise<DecisionSummary[]> {
  assertId(sessionId, "Session");
  const page = z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(DECISION_PAGE) }).parse({ offset, limit });
  const rows = await withUser(
    ctx.claims,
    (tx) => listDecisionSummariesBySession(tx, { sessionId, userId: ctx.userId, previewChars: PREVIEW_CHARS + 1, ...page }),
    db,
  );
  return rows.map(summaryView);
}

/**
 * The viewer's initial state. The event seq is read FIRST: every row read after it is at least as new,
 * so the stream resumes from it and the fold skips rows it already has (lib/viewer/fold.ts).
 */
export async function getViewerState(ctx: UserContext, id: string, db?: Db): Promise<ViewerState> {
  assertId(id, "Session");
  const loaded = await withUser(
    ctx.claims,
    async (tx) => {
      const card = await getSessionCardById(tx, { id, userId: ctx.userId });
      if (!card) return null;
      const args = { sessionId: id, userId: ctx.userId };
      const total = await countDecisionsBySession(tx, args);
      const offset = Math.max(0, total - FIRST_DECISIONS);
      const [decisions, fills, equity, marks, sources, working, settlements, marginCalls] = await Promise.all([
        listDecisionSummariesBySession(tx, { ...args, previewChars: PREVIEW_CHARS + 1, offset, limit: FIRST_DECISIONS }),
        listFillsBySession(tx, args),
        listEquityBySession(tx, args),
        getLastMarks(tx, args),
        card.firstBar && card.lastBar
          ? listDataSourcesOfRange(tx, { symbols: card.symbols, interval: card.interval, from: card.firstBar, to: card.lastBar })
          : Promise.resolve([]),
        listWorkingOrdersBySession(tx, args),
        listSettlementOrdersBySession(tx, args),
        listMarginCallEventsBySession(tx, args),
      ]);
      return { card, decisions, offset, fills, equity, marks, sources, working, settlements, marginCalls };
    },
    db,
  );
  if (!loaded) throw notFound("Session");
  const { card, decisions, offset, fills, equity, marks, sources, working, settlements, marginCalls } = loaded;
  const curve = await benchmarkCurve(ctx, card, db);
  const fillViews = fills.map(fillView);
  // A completed session's curve only feeds the chart (its metrics are stored): ship at most FINISHED_CURVE
  // points of it. Any other ships whole, since the metrics shown are computed from it in the browser.
  const final = card.status === "completed" && card.metrics !== null;
  const points: EquitySample[] = (final ? downsample(equity, FINISHED_CURVE, [(p) => Number(p.equity), (p) => curve?.[p.barIndex] ?? null]) : equity).map((p) => ({
    barIndex: p.barIndex,
    t: p.at.toISOString(),
    equity: Number(p.equity),
    cash: Number(p.cash),
    benchmark: curve?.[p.barIndex] ?? null,
  }));
  return {
    session: sessionView(card, dataLabel(sources, card.symbols)),
    lastSeq: card.eventSeq,
    equity: points,
    decisions: decisions.map(summaryView),
    olderDecisions: offset,
    fills: fillViews,
    workingOrders: working.flatMap((w) => {
      const o = workingOrderFromEvent({ seq: 0, type: "order", at: null, payload: w.payload });
      return o ? [{ ...o, cancelRequested: w.cancelRequested }] : [];
    }),
    positions: positionsFromFills(fillViews, marks),
    cash: points.at(-1)?.cash ?? fillViews.at(-1)?.cashAfter ?? Number(card.startingCash),
    benchmark: curve,
    settlements: settlements.flatMap((o) => settlementFromPayload(o.payload) ?? []),
    marginCalls: marginCalls.flatMap((e) => marginCallFromPayload(e.payload) ?? []),
  };
}

/**
 * The benchmark's value at each bar of the schedule: stored when the session finished, else computed
 * now with the same function the runner stores it with (prices at bar times only, so the part past the
 * clock is never shown: the viewer pairs it with the equity points run so far).
 */
export async function getBenchmarkCurve(ctx: UserContext, id: string, db?: Db): Promise<{ name: string | null; curve: number[] } | null> {
  assertId(id, "Session");
  const card = await withUser(ctx.claims, (tx) => getSessionCardById(tx, { id, userId: ctx.userId }), db);
  if (!card) throw notFound("Session");
  const curve = await benchmarkCurve(ctx, card, db);
  return curve ? { name: benchmarkNameOf(card.benchmark), curve } : null;
}

const benchmarkCache = new Map<string, { kind: string; curve: number[] }>();

async function benchmarkCurve(ctx: UserContext, card: SessionCardRow, db?: Db): Promise<number[] | null> {
  const stored = (card.benchmark as { curve?: unknown } | null)?.curve;
  if (Array.isArray(stored)) return stored.map(Number);
  const hit = benchmarkCache.get(card.id);
  if (hit) return hit.curve;
  const computed = await withUser(
    ctx.claims,
    async (tx) => {
      const row = await getTradingSessionById(tx, { id: card.id, userId: ctx.userId });
      return row ? computeBenchmark(tx, row) : null;
    },
    db,
  ).catch((err: unknown) => {
    console.error("[session-view] benchmark", err instanceof Error ? err.message : err);
    return null;
  });
  if (!computed) return null;
  if (benchmarkCache.size > 200) benchmarkCache.clear();
  benchmarkCache.set(card.id, { kind: computed.kind, curve: computed.curve });
  return computed.curve;
}

export interface SymbolPrices {
  symbol: string;
  interval: "day" | "hour" | "minute";
  /** Bar start and close (the open when the bar has no close yet), oldest first, over the session's schedule. */
  points: { t: string; close: number }[];
}

/** A symbol's bars over the session's schedule (the viewer shows only those before the session's clock). */
export async function getSessionPrices(ctx: UserContext, sessionId: string, symbol: string, db?: Db): Promise<SymbolPrices> {
  assertId(sessionId, "Session");
  return withUser(
    ctx.claims,
    async (tx) => {
      const card = await getSessionCardById(tx, { id: sessionId, userId: ctx.userId });
      if (!card || !card.symbols.includes(symbol)) throw notFound("Symbol");
      if (!card.firstBar || !card.lastBar) return { symbol, interval: card.interval, points: [] };
      const rows = await listPricesOfRange(tx, { symbol, interval: card.interval, from: card.firstBar, to: card.lastBar });
      return { symbol, interval: card.interval, points: rows.map((r) => ({ t: new Date(r.t).toISOString(), close: r.close ?? r.open })) };
    },
    db,
  );
}

/** How many trading days back from the last one to look for a day whose bars run to the close. */
const FULL_DAY_LOOKBACK = 5;

/**
 * What the Start-session dialog suggests (startDefaultsOf): a replay day and a backtest range per interval
 * inside the stored bars a session without symbols would run on, ending on the last full day.
 */
export async function getStartDefaults(db: Db = getDb()): Promise<StartDefaults> {
  // Market data only, the same for every user: read as the server. Under the user's row-level security the
  // planner gives up the primary key's order for getBarRanges' probes (a sort of every bar of each symbol).
  const coverage: StoredCoverage = { imported: {}, synthetic: {} };
  const ranges = await getBarRanges(db);
  const found = await Promise.all(ranges.map((r) => intervalCoverage(db, r)));
  ranges.forEach((r, i) => (coverage[r.synthetic ? "synthetic" : "imported"][r.interval] = found[i]));
  return startDefaultsOf(coverage);
}

/** The days the bars of one interval cover, and the last of the recent days whose bars reach the close. */
async function intervalCoverage(tx: Executor, range: BarRange): Promise<IntervalCoverage> {
  const { interval, synthetic } = range;
  const first = nyDayOf(range.first);
  const last = nyDayOf(range.last);
  let day = tradingDayAtOrBefore(last);
  for (let i = 0; i < FULL_DAY_LOOKBACK && day >= first; i++) {
    const session = safeCalendar(() => sessionOf(day));
    if (!session) break;
    // A day bar has its close; an intraday day has its last bar (15:00, or 15:59 for minutes; earlier on early closes).
    const from = interval === "day" ? session.open : (barStarts(day, interval).at(-1) ?? session.open);
    if (await hasClosedBarBetween(tx, { interval, synthetic, from, to: session.close })) return { first, last, lastFull: day };
    const before = safeCalendar(() => previousTradingDay(day));
    if (!before) break;
    day = before;
  }
  return { first, last, lastFull: tradingDayAtOrBefore(last) };
}

/** A calendar answer, or null outside the calendar's years. */
function safeCalendar<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
