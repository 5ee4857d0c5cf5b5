import "server-only";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { decisions, fills, orders, sessionChatMessages } from "@/lib/db/schema";

/**
 * "Ask the model" (docs/chat.md): the stored conversation of a session, and the compact record of the
 * session's recent decisions the model is reminded of. Every query names the owner; RLS is the second wall.
 */
export type ChatMessageRow = typeof sessionChatMessages.$inferSelect;
export type ChatRole = ChatMessageRow["role"];

export async function insertChatMessage(
  tx: Executor,
  values: { id: string; userId: string; sessionId: string; role: ChatRole; parts: unknown[]; clock: Date | null },
): Promise<ChatMessageRow> {
  const [row] = await tx.insert(sessionChatMessages).values(values).returning();
  return row!;
}

/** The last `limit` messages of a session's conversation, oldest first. */
export async function listChatMessagesBySession(
  tx: Executor,
  { sessionId, userId, limit }: { sessionId: string; userId: string; limit: number },
): Promise<ChatMessageRow[]> {
  const rows = await tx
    .select()
    .from(sessionChatMessages)
    .where(and(eq(sessionChatMessages.sessionId, sessionId), eq(sessionChatMessages.userId, userId)))
    .orderBy(desc(sessionChatMessages.seq))
    .limit(limit);
  return rows.reverse();
}

export interface DecisionDigest {
  id: string;
  clock: Date;
  outcome: string;
  text: string;
  error: string | null;
  orders: {
    symbol: string | null;
    side: string | null;
    quantity: number | null;
    status: string;
    rejectCode: string | null;
    /** Average fill price (decimal dollars) when it filled. */
    fillPrice: string | null;
  }[];
}

/** The latest `limit` decisions of a session with their orders and fill prices, oldest first. */
export async function listRecentDecisionDigests(
  tx: Executor,
  { sessionId, userId, limit }: { sessionId: string; userId: string; limit: number },
): Promise<DecisionDigest[]> {
  const recent = await tx
    .select({ id: decisions.id, clock: decisions.clock, outcome: decisions.outcome, text: decisions.text, error: decisions.error })
    .from(decisions)
    .where(and(eq(decisions.sessionId, sessionId), eq(decisions.userId, userId)))
    .orderBy(desc(decisions.clock), desc(decisions.createdAt))
    .limit(limit);
  if (recent.length === 0) return [];
  const orderRows = await tx
    .select({
      id: orders.id,
      decisionId: orders.decisionId,
      symbol: orders.symbol,
      side: orders.side,
      quantity: orders.quantity,
      status: orders.status,
      rejectCode: orders.rejectCode,
    })
    .from(orders)
    .where(and(eq(orders.sessionId, sessionId), eq(orders.userId, userId), inArray(orders.decisionId, recent.map((d) => d.id))))
    .orderBy(asc(orders.createdAt));
  const fillRows =
    orderRows.length === 0
      ? []
      : await tx
          .select({ orderId: fills.orderId, price: fills.price, quantity: fills.quantity })
          .from(fills)
          .where(and(eq(fills.sessionId, sessionId), eq(fills.userId, userId), inArray(fills.orderId, orderRows.map((o) => o.id))));
  const fillPrice = (orderId: string): string | null => {
    const mine = fillRows.filter((f) => f.orderId === orderId);
    if (mine.length === 0) return null;
    if (mine.length === 1) return mine[0]!.price;
    const qty = mine.reduce((s, f) => s + f.quantity, 0);
    return (mine.reduce((s, f) => s + Number(f.price) * f.quantity, 0) / qty).toFixed(4);
  };
  return recent.reverse().map((d) => ({
    ...d,
    orders: orderRows
      .filter((o) => o.decisionId === d.id)
      .map((o) => ({ symbol: o.symbol, side: o.side, quantity: o.quantity, status: o.status, rejectCode: o.rejectCode, fillPrice: fillPrice(o.id) })),
  }));
}
