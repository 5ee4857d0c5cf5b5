import { marginCallFromPayload, type MarginCallRow } from "./margin-calls";
import { multiplierOf } from "@/lib/engine/cash-ledger";
import type {
  DecisionOutcome,
  DecisionSummary,
  EquitySample,
  FillView,
  MetricsView,
  OrderSide,
  OrderView,
  PositionView,
  SessionEvent,
  SessionStatus,
  ViewerState,
  SettlementOrderView,
  WorkingOrderView,
} from "./types";
import { applyOrderEvent, workingOrderFromEvent } from "./working-orders";
import { settlementFromPayload } from "./expiries";
import { num, str } from "./payload-values";

/**
 * Folds session events (the SSE stream's, or a page of GET …/events) into the viewer's state. Pure:
 * returns a new state and never mutates the old one. Events at or below `lastSeq` are skipped, so a
 * reconnect that replays a few events changes nothing; a batch is applied in seq order.
 */
export const PREVIEW_CHARS = 160;

/** One ISO form for every instant ("…+00:00" from jsonb and "….000Z" from the page must match as chart categories). */
const iso = (v: unknown, fallback: string): string => {
  const d = typeof v === "string" || v instanceof Date ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : fallback;
};

export const preview = (text: string) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text);

export function decisionFromEvent(e: SessionEvent): DecisionSummary {
  const p = e.payload;
  const calls = p.toolCalls;
  return {
    id: String(p.id),
    clock: iso(p.clock ?? e.at, new Date(0).toISOString()),
    outcome: (str(p.outcome) ?? "held") as DecisionOutcome,
    text: preview(str(p.text) ?? ""),
    toolCalls: Array.isArray(calls) ? calls.length : (num(calls) ?? 0),
    filledOrders: num(p.filledOrders) ?? 0,
    rejectedOrders: num(p.rejectedOrders) ?? 0,
    toolErrors: num(p.toolErrors) ?? 0,
    error: str(p.error),
    latencyMs: num(p.latencyMs) ?? 0,
  };
}

export function orderFromEvent(e: SessionEvent): OrderView {
  const p = e.payload;
  return {
    id: String(p.id),
    decisionId: str(p.decisionId),
    symbol: str(p.symbol),
    side: str(p.side) as OrderSide | null,
    quantity: num(p.quantity),
    status: str(p.status) ?? "unknown",
    filledQuantity: num(p.filledQuantity) ?? 0,
    referencePrice: num(p.referencePrice),
    rejectCode: str(p.rejectCode),
    rejectMessage: str(p.rejectMessage),
    placedAt: iso(p.placedAt ?? e.at, new Date(0).toISOString()),
  };
}

export function fillFromEvent(e: SessionEvent): FillView {
  const p = e.payload;
  return {
    id: String(p.id),
    orderId: String(p.orderId),
    symbol: String(p.symbol),
    side: String(p.side) as OrderSide,
    quantity: num(p.quantity) ?? 0,
    price: num(p.price) ?? 0,
    fee: num(p.fee) ?? 0,
    cashAfter: num(p.cashAfter) ?? 0,
    realizedPnl: num(p.realizedPnl),
    quantityAfter: num(p.quantityAfter) ?? 0,
    filledAt: iso(p.filledAt ?? e.at, new Date(0).toISOString()),
  };
}

export function equityFromEvent(e: SessionEvent, fallbackIndex: number, benchmark: readonly number[] | null = null): EquitySample | null {
  const p = e.payload;
  const equity = num(p.equity);
  if (equity === null) return null;
  const barIndex = num(p.barIndex) ?? fallbackIndex;
  return {
    barIndex,
    t: iso(p.at ?? e.at, new Date(0).toISOString()),
    equity,
    cash: num(p.cash) ?? 0,
    benchmark: num(p.benchmark) ?? benchmark?.[barIndex] ?? null,
  };
}

/**
 * A position after a fill: the quantity is the fill's `quantityAfter` (the ledger's truth); the cost
 * basis follows the engine's rule (docs/engine.md): adding keeps the basis plus quantity × price,
 * reducing removes the closed share of the basis, crossing zero restarts it at the fill price.
 */
export function applyFill(prev: PositionView | undefined, f: FillView): PositionView {
  const q0 = prev?.quantity ?? 0;
  const b0 = prev?.costBasis ?? 0;
  const signed = f.side === "buy" || f.side === "buy_to_cover" ? f.quantity : -f.quantity;
  const q1 = f.quantityAfter;
  const m = multiplierOf(f.symbol); // a contract's price is per share of its 100
  let basis: number;
  if (q0 === 0 || Math.sign(q0) === Math.sign(signed)) basis = b0 + signed * f.price * m;
  else if (Math.abs(signed) <= Math.abs(q0)) basis = q1 === 0 ? 0 : b0 * (q1 / q0);
  else basis = q1 * f.price * m;
  return {
    symbol: f.symbol,
    quantity: q1,
    costBasis: basis,
    realizedPnl: (prev?.realizedPnl ?? 0) + (f.realizedPnl ?? 0),
    lastPrice: f.price,
  };
}

/** Positions priced at a bar's marks (symbol → price, from its `equity` event); others keep their price. */
export function withMarks(positions: Map<string, PositionView>, marks: unknown): void {
  if (!marks || typeof marks !== "object") return;
  for (const [symbol, v] of Object.entries(marks)) {
    const p = positions.get(symbol);
    const price = num(v);
    if (p && price !== null) positions.set(symbol, { ...p, lastPrice: price });
  }
}

/** "QQQ buy-and-hold" or "Equal-weight basket (buy-and-hold)" from a stored benchmark's `kind`. */
export function benchmarkNameOf(v: unknown): string | null {
  const kind = (v as { kind?: unknown } | null)?.kind;
  if (kind === "QQQ") return "QQQ buy-and-hold";
  if (kind === "equal-weight") return "Equal-weight basket (buy-and-hold)";
  return null;
}

function metricsOf(v: unknown): MetricsView | null {
  return v && typeof v === "object" && "totalReturn" in v ? (v as MetricsView) : null;
}

/**
 * The snapshot a page loads is read after its `lastSeq`, so it may already hold the rows of the first
 * events replayed after it: those can only be the newest, so looking at the tail is enough.
 */
const TAIL = 256;
function inTail(list: readonly { id: string }[], id: string): boolean {
  for (let i = list.length - 1; i >= 0 && i >= list.length - TAIL; i--) if (list[i]!.id === id) return true;
  return false;
}

/** Older decisions loaded into the state (a page that ends where `decisions` begins). */
export function prependDecisions(state: ViewerState, page: readonly DecisionSummary[], offset: number): ViewerState {
  if (offset + page.length !== state.olderDecisions) return state; // not the page that is missing (already loaded)
  return { ...state, decisions: [...page, ...state.decisions], olderDecisions: offset };
}

/**
 * A Pause/Resume/Cancel answer: the status its transaction committed, as the event at `seq`. Applied only while the
 * stream has not delivered that event yet (the buttons never lag behind a click); once the stream is past it, its
 * status is newer (a resumed session the runner already claimed is "running", not the answer's "pending").
 * lastSeq stays: the stream still delivers the events up to `seq`, the status event among them.
 */
export function applyStatusAnswer(state: ViewerState, status: SessionStatus, seq: number): ViewerState {
  if (seq <= state.lastSeq || state.session.status === status) return state;
  return { ...state, session: { ...state.session, status } };
}

export function applyEvents(state: ViewerState, events: readonly SessionEvent[]): ViewerState {
  const fresh = events.filter((e) => e.seq > state.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return state;
  let session = state.session;
  let equity: EquitySample[] | null = null;
  let decisions: DecisionSummary[] | null = null;
  let fills: FillView[] | null = null;
  let settlements: SettlementOrderView[] | null = null;
  let marginCalls: MarginCallRow[] | null = null;
  let working: readonly WorkingOrderView[] = state.workingOrders;
  let positions: Map<string, PositionView> | null = null;
  let cash = state.cash;

  for (const e of fresh) {
    switch (e.type) {
      case "status": {
        const p = e.payload;
        const status = (str(p.status) ?? session.status) as SessionStatus;
        session = {
          ...session,
          status,
          error: str(p.error) ?? session.error,
          errorCode: str(p.errorCode) ?? session.errorCode,
          metrics: metricsOf(p.metrics) ?? session.metrics,
          benchmarkMetrics: metricsOf((p.benchmark as { metrics?: unknown } | null)?.metrics) ?? session.benchmarkMetrics,
          benchmarkName: benchmarkNameOf(p.benchmark) ?? session.benchmarkName,
          cursor: num(p.cursor) ?? session.cursor,
          totalBars: num(p.totalBars) ?? session.totalBars,
          startedAt: status === "running" ? (session.startedAt ?? new Date().toISOString()) : session.startedAt,
          finishedAt:
            status === "completed" || status === "failed" || status === "cancelled" ? (session.finishedAt ?? new Date().toISOString()) : session.finishedAt,
        };
        break;
      }
      case "decision": {
        const d = decisionFromEvent(e);
        const list = (decisions ??= [...state.decisions]);
        if (!inTail(list, d.id)) list.push(d);
        break;
      }
      case "order": {
        // The table of working orders; the rest of an order shows with its decision's details, loaded on demand.
        const order = workingOrderFromEvent(e);
        if (order) working = applyOrderEvent(working, order);
        // An option's expiry settled by the session itself: a row of its own in the feed (expiries.ts).
        const settled = settlementFromPayload(e.payload);
        if (settled && !inTail(settlements ?? state.settlements, settled.id)) (settlements ??= [...state.settlements]).push(settled);
        break;
      }
      case "margin_call": {
        const row = marginCallFromPayload(e.payload);
        const list = marginCalls ?? state.marginCalls;
        if (row && !list.some((r) => r.id === row.id)) (marginCalls ??= [...state.marginCalls]).push(row);
        break;
      }
      case "fill": {
        const f = fillFromEvent(e);
        const list = (fills ??= [...state.fills]);
        if (inTail(list, f.id)) break;
        list.push(f);
        positions ??= new Map(state.positions.map((p) => [p.symbol, p]));
        positions.set(f.symbol, applyFill(positions.get(f.symbol), f));
        cash = f.cashAfter;
        break;
      }
      case "equity": {
        const list = (equity ??= [...state.equity]);
        const point = equityFromEvent(e, session.cursor, state.benchmark);
        if (point && !(list.length > 0 && list[list.length - 1]!.barIndex >= point.barIndex)) {
          list.push(point);
          cash = num(e.payload.cash) ?? cash;
          if (e.payload.marks) withMarks((positions ??= new Map(state.positions.map((p) => [p.symbol, p]))), e.payload.marks);
          session = {
            ...session,
            cursor: Math.max(session.cursor, num(e.payload.done) ?? point.barIndex + 1),
            totalBars: num(e.payload.total) ?? session.totalBars,
            borrowFeesPaid: num(e.payload.borrowFeesPaid) ?? session.borrowFeesPaid,
            heartbeatAt: new Date().toISOString(),
          };
        }
        break;
      }
    }
  }
  return {
    session,
    lastSeq: fresh[fresh.length - 1]!.seq,
    equity: equity ?? state.equity,
    decisions: decisions ?? state.decisions,
    olderDecisions: state.olderDecisions,
    fills: fills ?? state.fills,
    workingOrders: working as WorkingOrderView[],
    positions: positions ? [...positions.values()].sort((a, b) => a.symbol.localeCompare(b.symbol)) : state.positions,
    cash,
    benchmark: state.benchmark,
    settlements: settlements ?? state.settlements,
    marginCalls: marginCalls ?? state.marginCalls,
  };
}
