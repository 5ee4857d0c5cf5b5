import "server-only";
import { countAdmissionsOfUser, lockOldestQueuedSessions, lockSessionAdmissionsOfUser, setTradingSessionStatus } from "@/lib/db/queries/sessions";
import type { Executor } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { SessionJobs } from "@/lib/jobs/session-jobs";

/**
 * The per-user limit (docs/sessions.md, "Limit and queue"): at most `limit` of a user's sessions are pending
 * or running; the others wait `queued`, oldest first, without a job, and are admitted (pending + job) in
 * the same transaction that frees a slot: a session completing, failing, pausing or being cancelled.
 *
 * Lock order: a transaction locks the session row it changes first (that may wait for a bar in flight, an
 * LLM's decision), then the user's admission lock, and never waits for a session row while holding it
 * (queued rows are taken with SKIP LOCKED). So the admission lock is held briefly, and no two transactions
 * wait for each other.
 */
export interface Admission {
  jobs: SessionJobs;
  /** Pending + running sessions a user may have (default SESSION_CONCURRENCY_PER_USER). */
  concurrencyPerUser?: number;
}

/** The most sessions a user may have waiting in the queue. */
export const MAX_QUEUED_PER_USER = 50;

const limitOf = (a: Admission) => a.concurrencyPerUser ?? env.SESSION_CONCURRENCY_PER_USER;

/**
 * Takes the user's admission lock (after the row of the session being changed, if any) and fills the free
 * slots from the queue; returns how many more may start now, and how many are queued.
 */
export async function openAdmissions(tx: Executor, userId: string, a: Admission): Promise<{ free: number; queued: number }> {
  // Pipelined: the count runs the moment the lock is granted, so the lock is held one round trip less.
  const [, counts] = await Promise.all([lockSessionAdmissionsOfUser(tx, { userId }), countAdmissionsOfUser(tx, { userId })]);
  return admitQueued(tx, userId, a, counts);
}

/** Admits the oldest queued sessions into the free slots, each with its `status` event and its job. The admission lock must be held. */
export async function admitQueued(
  tx: Executor,
  userId: string,
  a: Admission,
  counts?: { active: number; queued: number },
): Promise<{ free: number; queued: number }> {
  const { active, queued } = counts ?? (await countAdmissionsOfUser(tx, { userId }));
  const free = Math.max(0, limitOf(a) - active);
  const admitted = free > 0 && queued > 0 ? await lockOldestQueuedSessions(tx, { userId, n: free }) : [];
  for (const id of admitted) {
    await setTradingSessionStatus(tx, { id, userId, status: "pending", payload: { from: "queued" } });
    await a.jobs.enqueueRun(tx, id);
  }
  return { free: free - admitted.length, queued: queued - admitted.length };
}

/** Of `adding` sessions, how many start now (the rest queue); refuses them all when the queue would overflow. */
export function startingNow(room: { free: number; queued: number }, adding: number): number {
  const now = Math.min(adding, room.free);
  if (room.queued + adding - now > MAX_QUEUED_PER_USER) {
    throw new AppError(
      "limit",
      "TOO_MANY_SESSIONS",
      `${room.queued} of your sessions are already queued and ${adding - now} more would wait: at most ${MAX_QUEUED_PER_USER} may wait at once; cancel some, or wait for them to start`,
    );
  }
  return now;
}
