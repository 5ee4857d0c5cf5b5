import "server-only";
import type { Executor } from "@/lib/db/client";
import { getSessionBook, type SessionBookRow, type WorkingOrderRow } from "@/lib/db/queries/positions";
import { parseMoney, type OrderClass, type OrderSide, type OrderStatus, type OrderType, type TimeInForce, type WorkingOrder } from "@/lib/engine";
import { notFound } from "@/lib/errors";
import { SessionBook, type BookOrder } from "./book";
import type { MarginCallEvent } from "./margin-call";

/**
 * The session's book as the database holds it (the truth a runner starts from); not_found if it is not the
 * user's, or not `modelId`'s (null: the caller has no model to check it against yet).
 */
export async function loadBook(tx: Executor, { sessionId, userId, modelId }: { sessionId: string; userId: string; modelId: string | null }): Promise<SessionBook> {
  const row = await getSessionBook(tx, { sessionId, userId });
  if (!row || (modelId !== null && row.modelId !== modelId)) throw notFound("Trading session");
  return bookFromRow(row);
}

/** The book a stored row describes (the runner reads it with the rest of its session: session-run.ts). */
export function bookFromRow(row: SessionBookRow): SessionBook {
  return new SessionBook({
    cash: parseMoney(row.cash),
    feesPaid: parseMoney(row.feesPaid),
    borrowFeesPaid: parseMoney(row.borrowFeesPaid),
    realizedPnl: parseMoney(row.realizedPnl),
    positions: row.positions.map((p) => ({
      symbol: p.symbol,
      quantity: p.quantity,
      costBasis: parseMoney(p.costBasis),
      realizedPnl: parseMoney(p.realizedPnl),
      feesPaid: parseMoney(p.feesPaid),
    })),
    storedKeys: row.keys,
    working: (row.working ?? []).map(workingOrderOf),
    cancelRequests: row.cancelRequests ?? [],
    marginCall: (row.marginCall ?? null) as MarginCallEvent | null,
  });
}

const moneyOrUndefined = (v: string | null) => (v === null ? undefined : parseMoney(v));

/** A stored working order, as the book and the engine hold it (ids are the ledger's UUIDs). */
function workingOrderOf(r: WorkingOrderRow): BookOrder {
  const placedAt = new Date(r.placedAt);
  const trail = r.trailPrice !== null ? { kind: "price" as const, amount: parseMoney(r.trailPrice) } : r.trailPercent !== null ? { kind: "percent" as const, bps: Math.round(Number(r.trailPercent) * 100) } : undefined;
  const order: WorkingOrder = {
    id: r.id,
    symbol: r.symbol,
    side: r.side as OrderSide,
    type: r.type as OrderType,
    role: r.leg as WorkingOrder["role"],
    quantity: r.quantity,
    filledQuantity: r.filledQuantity,
    filledNotional: parseMoney(r.filledNotional),
    limitPrice: moneyOrUndefined(r.limitPrice),
    stopPrice: moneyOrUndefined(r.stopPrice),
    trail,
    waterMark: moneyOrUndefined(r.waterMark),
    timeInForce: r.timeInForce as TimeInForce,
    status: r.status as OrderStatus,
    triggered: r.triggered,
    parentId: r.parentId ?? undefined,
    ocoWith: r.ocoId ?? undefined,
    placedAt: placedAt.getTime(),
  };
  return {
    id: r.id,
    idempotencyKey: r.key,
    decisionId: r.decisionId,
    symbol: r.symbol,
    side: order.side,
    quantity: r.quantity,
    status: order.status,
    referencePrice: r.referencePrice === null ? null : parseMoney(r.referencePrice),
    rejectCode: null,
    rejectMessage: null,
    request: null,
    placedAt,
    working: { order, orderClass: r.orderClass as OrderClass, statusReason: null },
  };
}
