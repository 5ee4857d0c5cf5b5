import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { sessionEquity } from "@/lib/db/schema";

/** The equity curve of a session: one point per bar run (written by recordBar in queries/sessions.ts). */
export type EquityPointRow = typeof sessionEquity.$inferSelect;

export function listEquityBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }) {
  return tx
    .select({ barIndex: sessionEquity.barIndex, at: sessionEquity.at, equity: sessionEquity.equity, cash: sessionEquity.cash })
    .from(sessionEquity)
    .where(and(eq(sessionEquity.sessionId, sessionId), eq(sessionEquity.userId, userId)))
    .orderBy(asc(sessionEquity.barIndex));
}
