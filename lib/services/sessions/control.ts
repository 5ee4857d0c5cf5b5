import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { getTradingSessionById, lockSessionAdmissionsOfUser, lockTradingSession, setTradingSessionStatus, type SessionStatus, type TradingSessionRow } from "@/lib/db/queries/sessions";
import { withUser } from "@/lib/db/rls";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import type { UserContext } from "@/lib/services/context";
import { checkConcurrency, type SessionServiceDeps } from "./create";

/**
 * Pause, resume and cancel (docs/sessions.md, state machine). Each is one transaction as the user that
 * locks the session row (so it waits for a bar in flight to commit), changes the status and appends the
 * `status` event. The runner checks the status under the same lock before every bar, so a paused or
 * cancelled session runs no further bar; resume queues a new job, which takes over at the cursor.
 */
export type SessionAction = "pause" | "resume" | "cancel";

const TRANSITIONS: Record<SessionAction, { from: readonly SessionStatus[]; to: SessionStatus }> = {
  pause: { from: ["pending", "running"], to: "paused" },
  resume: { from: ["paused"], to: "pending" },
  cancel: { from: ["pending", "running", "paused"], to: "cancelled" },
};

const idSchema = z.uuid();

export async function controlSession(ctx: UserContext, id: string, action: SessionAction, deps: SessionServiceDeps): Promise<TradingSessionRow> {
  // Checked here, not by each caller: a server action's argument is whatever the browser sent.
  const rule = Object.hasOwn(TRANSITIONS, action) ? TRANSITIONS[action] : undefined;
  if (!rule) throw new AppError("reject", "UNKNOWN_ACTION", 'The action must be "pause", "resume" or "cancel"');
  if (!idSchema.safeParse(id).success) throw notFound("Session");
  return withUser(
    ctx.claims,
    async (tx) => {
      if (action === "resume") await lockSessionAdmissionsOfUser(tx, { userId: ctx.userId });
      const s = await lockTradingSession(tx, { id, userId: ctx.userId });
      if (!s) throw notFound("Session");
      if (!rule.from.includes(s.status)) {
        throw new AppError("conflict", "INVALID_STATE", `This session is ${s.status}: only ${rule.from.join(" or ")} sessions can be ${action === "pause" ? "paused" : action === "resume" ? "resumed" : "cancelled"}`);
      }
      if (action === "resume") await checkConcurrency(tx, ctx.userId, deps.concurrencyPerUser ?? env.SESSION_CONCURRENCY_PER_USER);
      await setTradingSessionStatus(tx, { id, userId: ctx.userId, status: rule.to, runnerId: null, payload: { from: s.status, by: "user" } });
      if (action === "resume") await deps.jobs.enqueueRun(tx, id);
      return (await getTradingSessionById(tx, { id, userId: ctx.userId }))!;
    },
    deps.db ?? getDb(),
  );
}
