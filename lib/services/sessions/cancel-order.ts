import "server-only";
import { getDb, type Db } from "@/lib/db/client";
import { applyOrderCancel, getOrderToCancel, requestOrderCancel } from "@/lib/db/queries/order-cancel-requests";
import { lockTradingSession } from "@/lib/db/queries/sessions";
import { withCore } from "@/lib/db/rls";
import { isTerminalStatus, type OrderStatus } from "@/lib/engine";
import { AppError, notFound } from "@/lib/errors";
import { assertId } from "@/lib/services/ids";
import type { UserContext } from "@/lib/services/context";
import { cancelOrderOnBook } from "@/lib/trading/cancel-order";
import { tradesOf } from "@/lib/trading/commit-bar";
import { loadBook } from "@/lib/trading/load-book";

const ENDED_SESSION = new Set(["completed", "failed", "cancelled"]);

export interface UserCancel {
  orderId: string;
  /** `cancelled`: done now (no runner held the book); `requested`: the session's runner cancels it at its next bar. */
  outcome: "cancelled" | "requested";
}

/**
 * A person cancels a working order of their session (docs/trading.md, "A person cancels a working order").
 * One transaction as the trading core for the owner, under the session row's lock (a bar's commit, a pause
 * and a resume wait for it, and it for them):
 * - running: the book is the runner's, so nothing of the ledger is touched here; a cancel request is recorded
 *   (order_cancel_requests) that the runner applies at the start of its next bar, before matching;
 * - paused, pending or queued: no runner may commit (the fence guard needs `running`), so the order is
 *   cancelled now, on the book as stored, with the engine's rule (its held legs follow), reason
 *   `requested_by_user`, an `order` event each, the request recorded as applied.
 * Refused in words: an unknown session or order, or another user's (NOT_FOUND, the same answer), a session
 * that has ended (SESSION_ENDED), an order that has ended (ORDER_ENDED).
 */
export async function cancelOrderByUser(ctx: UserContext, sessionId: string, orderId: string, deps: { db?: Db } = {}): Promise<UserCancel> {
  assertId(sessionId, "Session");
  assertId(orderId, "Order");
  return withCore(
    ctx.claims,
    async (tx) => {
      const userId = ctx.userId;
      const session = await lockTradingSession(tx, { id: sessionId, userId });
      if (!session) throw notFound("Session");
      const order = await getOrderToCancel(tx, { orderId, sessionId, userId });
      if (!order) throw notFound("Order");
      if (ENDED_SESSION.has(session.status)) {
        throw new AppError("conflict", "SESSION_ENDED", `This session is ${session.status}: its working orders ended with it, so there is nothing to cancel`);
      }
      // Working: any status the transition table does not end (new, held, accepted, triggered, partially filled).
      if (isTerminalStatus(order.status as OrderStatus)) {
        throw new AppError("conflict", "ORDER_ENDED", `This order is ${order.status.replaceAll("_", " ")}: only a working order can be cancelled`);
      }
      if (session.status === "running") {
        await requestOrderCancel(tx, { orderId, sessionId, userId, modelId: order.modelId });
        return { orderId, outcome: "requested" };
      }
      const book = await loadBook(tx, { sessionId, userId, modelId: null });
      const now = new Date();
      cancelOrderOnBook({ book, sessionId, clock: { now: () => now } }, orderId, "requested_by_user");
      await applyOrderCancel(tx, { sessionId, userId, orderId, updates: tradesOf(book, now).updates });
      return { orderId, outcome: "cancelled" };
    },
    deps.db ?? getDb(),
  );
}
