import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
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

/** The fills of these orders (a page of a session's orders), in the order they were made. */
export function listFillsByOrderIds(tx: Executor, { orderIds, userId }: { orderIds: string[]; userId: string }) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(fills)
    .where(and(inArray(fills.orderId, orderIds), eq(fills.userId, userId)))
    .orderBy(asc(fills.filledAt), asc(fills.createdAt));
}
