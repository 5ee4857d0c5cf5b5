import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { tradingSessions } from "@/lib/db/schema";

/** Trading sessions (one run of a model). The sessions issue adds the lifecycle; this is the minimum. */
export type TradingSessionRow = typeof tradingSessions.$inferSelect;
type TradingSessionValues = Omit<typeof tradingSessions.$inferInsert, "id" | "userId" | "createdAt" | "updatedAt">;

export async function insertTradingSession(tx: Executor, { userId, values }: { userId: string; values: TradingSessionValues }) {
  const [row] = await tx
    .insert(tradingSessions)
    .values({ ...values, userId })
    .returning();
  return row!;
}

export async function getTradingSessionById(tx: Executor, { id, userId }: { id: string; userId: string }) {
  const [row] = await tx
    .select()
    .from(tradingSessions)
    .where(and(eq(tradingSessions.id, id), eq(tradingSessions.userId, userId)));
  return row;
}
