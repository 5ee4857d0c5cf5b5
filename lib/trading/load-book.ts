import "server-only";
import type { Executor } from "@/lib/db/client";
import { getSessionBook, type SessionBookRow } from "@/lib/db/queries/positions";
import { parseMoney } from "@/lib/engine";
import { notFound } from "@/lib/errors";
import { SessionBook } from "./book";

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
  });
}
