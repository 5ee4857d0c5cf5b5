import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { accounts } from "@/lib/db/schema";

/** The cash account of a trading session (one per session). Money columns are decimal strings. */
export type AccountRow = typeof accounts.$inferSelect;

export async function insertAccount(
  tx: Executor,
  { userId, modelId, sessionId, startingCash }: { userId: string; modelId: string; sessionId: string; startingCash: string },
) {
  const [row] = await tx
    .insert(accounts)
    .values({ userId, modelId, sessionId, startingCash, cash: startingCash, equity: startingCash })
    .returning();
  return row!;
}

export async function getAccountBySessionId(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }) {
  const [row] = await tx
    .select()
    .from(accounts)
    .where(and(eq(accounts.sessionId, sessionId), eq(accounts.userId, userId)));
  return row;
}

/** The locked account with what placeOrder needs of its session. */
export interface LockedAccount {
  id: string;
  cash: string;
  feesPaid: string;
  realizedPnl: string;
  sessionStatus: string;
  /** trading_sessions.settings as JSON text. */
  settings: string;
}

const LOCK_ACCOUNT = `
select a.id, a.cash, a.fees_paid as "feesPaid", a.realized_pnl as "realizedPnl",
       s.status as "sessionStatus", s.settings::text as settings
from accounts a join trading_sessions s on s.id = a.session_id
where a.session_id = $1 and a.user_id = $2 and a.model_id = $3
for update of a`;

/**
 * Locks the session's account row (FOR UPDATE) until the transaction ends: every order of a session
 * runs one at a time from here on. undefined when the session is not this user's and model's.
 * Read anything else the order depends on in a later statement: a statement that waited for this lock
 * sees other rows as of before the wait (READ COMMITTED re-reads only the locked row).
 */
export async function lockAccountBySessionId(
  tx: Executor,
  { sessionId, userId, modelId }: { sessionId: string; userId: string; modelId: string },
): Promise<LockedAccount | undefined> {
  const [row] = await runPrepared<LockedAccount>(tx, LOCK_ACCOUNT, [sessionId, userId, modelId]);
  return row;
}
