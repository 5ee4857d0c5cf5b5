import "server-only";
import type { Db } from "@/lib/db/client";
import { writeBarTrades, type BarTrades } from "@/lib/db/queries/bar-trades";
import { insertDecision } from "@/lib/db/queries/decisions";
import { insertModelCalls, type ModelCallWrite } from "@/lib/db/queries/model-calls";
import { recordBar, type BarRecorded } from "@/lib/db/queries/sessions";
import { abortOf, oneTripAsCore, type Claims } from "@/lib/db/rls";
import { toDecimalString as dec, type Money } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import type { BookOrder, SessionBook } from "./book";
import type { DecisionRecord } from "./decide";
import type { MarginCallEvent } from "./margin-call";

export interface BarCommit {
  db: Db;
  claims: Claims;
  sessionId: string;
  userId: string;
  modelId: string;
  runnerId: string;
  barIndex: number;
  totalBars: number;
  at: Date;
  book: SessionBook;
  decision: DecisionRecord | null;
  /** The `decision` event's payload (what a live feed shows). */
  decisionEvent: Record<string, unknown> | null;
  /** The bar's margin call or forced close (margin-call.ts), if any: its event goes before the decision's. */
  marginCall?: MarginCallEvent | null;
  /** Calls of models whose answers are a function of the request (built-ins): recorded with the bar. */
  modelCalls: readonly ModelCallWrite[];
  borrowFee: Money;
  prices: ReadonlyMap<string, Money>;
}

export type BarCommitted = { ok: true; lastSeq: number; cancelRequests: string[] } | { ok: false };

/**
 * Writes a bar's whole record in ONE short transaction as the trading core for the session's owner
 * (the only role that writes the ledger; RLS on the owner), after its decision ran: the fence guard
 * (still running, at this bar, this runner) with the book's orders, fills, positions and account, the
 * decision, the built-in model calls, then the mark to market, equity point, events and cursor
 * (recordBar). BEGIN, the statements and COMMIT go out together (oneTripAsCore): the transaction never
 * waits for this process, however busy. All or nothing: a statement that finds the bar is not ours
 * (BAR_NOT_OURS), the cursor moved or a position has no price raises, and the whole bar rolls back;
 * `{ ok: false }` when the fence says it is not ours. Committed without waiting for the WAL flush: a bar
 * lost in a database crash is run again from the cursor, with the same recorded model answers.
 */
export async function commitBar(c: BarCommit): Promise<BarCommitted> {
  const { book } = c;
  try {
    const [, , , recorded] = await oneTripAsCore<[void, unknown, void, BarRecorded]>(
      c.claims,
      (tx) => [
        writeBarTrades(tx, {
          sessionId: c.sessionId,
          userId: c.userId,
          modelId: c.modelId,
          barIndex: c.barIndex,
          runnerId: c.runnerId,
          ...tradesOf(book, c.at),
        }),
        c.decision ? insertDecision(tx, { ...c.decision, userId: c.userId }) : Promise.resolve(null),
        insertModelCalls(tx, c.modelCalls),
        recordBar(tx, {
          sessionId: c.sessionId,
          userId: c.userId,
          decision: c.decisionEvent,
          marginCall: c.marginCall ?? null,
          orderIds: [...book.pending.orders.map((o) => o.id), ...book.pending.updated.keys()],
          fillIds: book.pending.fills.map((f) => f.id),
          barIndex: c.barIndex,
          totalBars: c.totalBars,
          at: c.at,
          borrowFee: dec(c.borrowFee),
          prices: Object.fromEntries([...c.prices].map(([symbol, price]) => [symbol, dec(price)])),
        }),
      ],
      { db: c.db, asyncCommit: true },
    );
    return { ok: true, lastSeq: recorded.lastSeq, cancelRequests: recorded.cancelRequests };
  } catch (err) {
    const refused = abortOf(err);
    if (refused?.code === "BAR_NOT_OURS") return { ok: false };
    if (refused?.code === "MISSING_PRICE") throw new AppError("halt", "MISSING_PRICE", `No price at ${c.at.toISOString()} for ${refused.detail}, held by the account: cannot value it`);
    if (refused?.code === "CURSOR_MOVED") throw new AppError("retry", "CURSOR_MOVED", "The session's cursor moved under its lock");
    throw err;
  }
}

/** What the bar added to the book, as writeBarTrades takes it (money as numeric(20,6) prints it). */
export function tradesOf(book: SessionBook, at: Date): Pick<BarTrades, "orders" | "updates" | "fills" | "positions" | "account" | "cancelRequests"> {
  const { orders, fills } = book.pending;
  return {
    orders: orders.map((o, k) => ({
      ...orderRow(o),
      key: o.idempotencyKey,
      decision_id: o.decisionId,
      symbol: o.symbol,
      side: o.side,
      reference_price: o.referencePrice === null ? null : dec(o.referencePrice),
      reject_code: o.rejectCode,
      reject_message: o.rejectMessage,
      request: o.request,
      placed_at: o.placedAt.toISOString(),
      k,
    })),
    updates: [...book.pending.updated.values()].map(orderRow),
    fills: fills.map((f) => ({
      id: f.id,
      order_id: f.orderId,
      symbol: f.symbol,
      side: f.side,
      quantity: f.quantity,
      price: dec(f.price),
      reference_price: dec(f.referencePrice),
      fee: dec(f.fee),
      cash_delta: dec(f.cashDelta),
      cash_after: dec(f.cashAfter),
      realized_pnl: f.realizedPnl === null ? null : dec(f.realizedPnl),
      quantity_after: f.quantityAfter,
      filled_at: f.filledAt.toISOString(),
      k: Math.max(0, orders.findIndex((o) => o.id === f.orderId)),
    })),
    positions: book.touchedSymbols().map((symbol) => {
      const p = book.positions.get(symbol)!;
      return { symbol, quantity: p.quantity, cost_basis: dec(p.costBasis), realized_pnl: dec(p.realizedPnl), fees_paid: dec(p.feesPaid), last_fill_at: at.toISOString() };
    }),
    account: fills.length > 0 ? { cash: dec(book.cash), feesPaid: dec(book.feesPaid), realizedPnl: dec(book.realizedPnl) } : null,
    cancelRequests: book.pending.cancelRequests.map((r) => ({ order_id: r.orderId, outcome: r.outcome })),
  };
}

const decOrNull = (m: Money | undefined | null) => (m === undefined || m === null ? null : dec(m));

/** The columns of an order that a working order's life changes or its request fixed (a market order: its defaults). */
function orderRow(o: BookOrder): Record<string, unknown> {
  const w = o.working?.order;
  const filled = o.status === "filled" && !w ? o.quantity : (w?.filledQuantity ?? 0);
  return {
    id: o.id,
    status: o.status,
    quantity: o.quantity,
    filled_quantity: filled,
    type: w?.type ?? o.combo?.type ?? o.type ?? "market",
    time_in_force: w?.timeInForce ?? o.combo?.timeInForce ?? "day",
    order_class: o.combo || o.comboParentId ? "mleg" : (o.working?.orderClass ?? "simple"),
    leg: w?.role ?? "entry",
    limit_price: decOrNull(w?.limitPrice ?? o.combo?.netLimit),
    strategy: o.combo ? JSON.stringify(o.combo.strategy) : null,
    stop_price: decOrNull(w?.stopPrice),
    trail_price: w?.trail?.kind === "price" ? dec(w.trail.amount) : null,
    trail_percent: w?.trail?.kind === "percent" ? (w.trail.bps / 100).toFixed(2) : null,
    water_mark: decOrNull(w?.waterMark),
    filled_notional: w ? dec(w.filledNotional) : "0",
    triggered: w?.triggered ?? false,
    triggered_at: o.working?.triggeredAt?.toISOString() ?? null,
    ended_at: o.working?.endedAt?.toISOString() ?? null,
    parent_id: w?.parentId ?? o.comboParentId ?? null,
    oco_id: w?.ocoWith ?? null,
    status_reason: o.working?.statusReason ?? o.reason ?? null,
    replaces_id: o.replacesId ?? null,
    replaced_by: o.replacedById ?? null,
  };
}
