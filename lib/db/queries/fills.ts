import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { fills } from "@/lib/db/schema";

/** Fills are append-only (a trigger refuses UPDATE and DELETE); they are written by insertOrderWithFill. */
export type FillRow = typeof fills.$inferSelect;

export function listFillsBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }) {
  return tx
    .select()
    .from(fills)
    .where(and(eq(fills.sessionId, sessionId), eq(fills.userId, userId)))
    .orderBy(asc(fills.filledAt), asc(fills.createdAt));
}

export function listFillsByOrderId(tx: Executor, { orderId, userId }: { orderId: string; userId: string }) {
  return tx
    .select()
    .from(fills)
    .where(and(eq(fills.orderId, orderId), eq(fills.userId, userId)))
    .orderBy(asc(fills.createdAt));
}
