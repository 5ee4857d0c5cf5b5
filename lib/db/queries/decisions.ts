import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { decisions, orders } from "@/lib/db/schema";

/** Decisions are append-only: insert and read, nothing else (a trigger refuses UPDATE and DELETE). */
export type DecisionRow = typeof decisions.$inferSelect;
export type DecisionInsert = typeof decisions.$inferInsert;

export async function insertDecision(tx: Executor, values: DecisionInsert & { userId: string }): Promise<DecisionRow> {
  const [row] = await tx.insert(decisions).values(values).returning();
  return row!;
}

export async function getDecisionById(tx: Executor, { id, userId }: { id: string; userId: string }) {
  const [row] = await tx
    .select()
    .from(decisions)
    .where(and(eq(decisions.id, id), eq(decisions.userId, userId)));
  return row;
}

export function listDecisionsBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }) {
  return tx
    .select()
    .from(decisions)
    .where(and(eq(decisions.sessionId, sessionId), eq(decisions.userId, userId)))
    .orderBy(asc(decisions.clock), asc(decisions.createdAt));
}

/** The orders a decision placed (orders.decision_id), in the order they were stored. */
export function listOrdersByDecision(tx: Executor, { decisionId, userId }: { decisionId: string; userId: string }) {
  return tx
    .select({
      id: orders.id,
      symbol: orders.symbol,
      side: orders.side,
      quantity: orders.quantity,
      status: orders.status,
      rejectCode: orders.rejectCode,
      idempotencyKey: orders.idempotencyKey,
    })
    .from(orders)
    .where(and(eq(orders.decisionId, decisionId), eq(orders.userId, userId)))
    .orderBy(asc(orders.createdAt));
}
