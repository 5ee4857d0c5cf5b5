import "server-only";
import { getDb } from "@/lib/db/client";
import { cancelOpenOrdersAtSessionEnd } from "@/lib/db/queries/working-orders";
import { getTradingSessionById, lockTradingSession, setTradingSessionStatus, type SessionStatus, type TradingSessionRow } from "@/lib/db/queries/sessions";
import { withCore } from "@/lib/db/rls";
import { AppError, notFound } from "@/lib/errors";
import { assertId } from "@/lib/services/ids";
import type { UserContext } from "@/lib/services/context";
import { admitQueued, openAdmissions, startingNow } from "./admission";
import type { SessionServiceDeps } from "./create";

/**
 * Pause, resume and cancel (docs/sessions.md, state machine). Each is one transaction as the trading core for the user (withCore) that
 * locks the session row (so it waits for a bar in flight to commit), then takes the user's admission lock,
 * changes the status and appends the `status` event. The runner checks the status under the same lock
 * before every bar, so a paused or cancelled session runs no further bar; resume queues a new job (or the
 * session, when the user's slots are full), which takes over at the cursor. A slot freed goes to the queue.
 */
export type SessionAction = "pause" | "resume" | "cancel";

const TRANSITIONS: Record<SessionAction, { from: readonly SessionStatus[]; to: SessionStatus }> = {
  pause: { from: ["queued", "pending", "running"], to: "paused" },
  // pending with a job when a slot is free, else queued (admission.ts)
  resume: { from: ["paused"], to: "pending" },
  cancel: { from: ["queued", "pending", "running", "paused"], to: "cancelled" },
};

export async function controlSession(ctx: UserContext, id: string, action: SessionAction, deps: SessionServiceDeps): Promise<TradingSessionRow> {
  // Checked here, not by each caller: a server action's argument is whatever the browser sent.
  const rule = Object.hasOwn(TRANSITIONS, action) ? TRANSITIONS[action] : undefined;
  if (!rule) throw new AppError("reject", "UNKNOWN_ACTION", 'The action must be "pause", "resume" or "cancel"');
  assertId(id, "Session");
  return withCore(
    ctx.claims,
    async (tx) => {
      const s = await lockTradingSession(tx, { id, userId: ctx.userId });
      if (!s) throw notFound("Session");
      if (!rule.from.includes(s.status)) {
        throw new AppError("conflict", "INVALID_STATE", `This session is ${s.status}: only ${rule.from.join(" or ")} sessions can be ${action === "pause" ? "paused" : action === "resume" ? "resumed" : "cancelled"}`);
      }
      // After the session's row (which may wait for a bar in flight), never before: see admission.ts.
      const room = await openAdmissions(tx, ctx.userId, deps);
      const to = action === "resume" && startingNow(room, 1) === 0 ? "queued" : rule.to;
      if (to === "cancelled") await cancelOpenOrdersAtSessionEnd(tx, { sessionId: id, userId: ctx.userId });
      await setTradingSessionStatus(tx, { id, userId: ctx.userId, status: to, runnerId: null, payload: { from: s.status, by: "user" } });
      if (to === "pending") await deps.jobs.enqueueRun(tx, id);
      // A slot it held is free now: the oldest queued session takes it.
      if (s.status === "pending" || s.status === "running") await admitQueued(tx, ctx.userId, deps);
      return (await getTradingSessionById(tx, { id, userId: ctx.userId }))!;
    },
    deps.db ?? getDb(),
  );
}
