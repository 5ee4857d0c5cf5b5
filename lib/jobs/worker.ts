import "server-only";
import type { Job, PgBoss } from "pg-boss";
import { createDb, type Db } from "@/lib/db/client";
import { getSessionOwnerById } from "@/lib/db/queries/sessions";
import { waitForDatabase } from "@/lib/db/health";
import { AppError, isDatabaseUnavailable } from "@/lib/errors";
import { failSession, runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { SessionWatch } from "@/lib/services/sessions/session-watch";
import { startBoss } from "./boss";
import { env } from "@/lib/env";
import { expireTurn } from "@/lib/services/sessions/external-turn";
import { createSessionJobs, RETRY_LIMIT, SESSION_DEAD_QUEUE, SESSION_LLM_QUEUE, SESSION_QUEUE, SESSION_TURN_QUEUE, type SessionJobData, type TurnTimeoutJobData } from "./session-jobs";

export interface WorkerOptions {
  url: string;
  /** Sessions of built-in strategies this process runs at once (CPU-bound; pg-boss localConcurrency). */
  concurrency: number;
  /** Sessions of remote models this process runs at once (they wait on the network; default 250). */
  llmConcurrency?: number;
  sliceSeconds: number;
  /** Pending + running sessions a user may have (default SESSION_CONCURRENCY_PER_USER). */
  concurrencyPerUser?: number;
  /** Database connections for the bars (default DATABASE_POOL_SIZE): no bar holds one while its model thinks, so a few serve hundreds of sessions. */
  poolSize?: number;
  /** The idle timeout of an outside agent's turn (default EXTERNAL_TURN_TIMEOUT_SECONDS). */
  turnTimeoutSeconds?: number;
  decide?: RunnerDeps["decide"];
  onBarCommitted?: RunnerDeps["onBarCommitted"];
  log?: (message: string) => void;
}

export interface Worker {
  boss: PgBoss;
  db: Db;
  /** Finishes the bars in flight, queues the sessions' continuations, then closes. */
  stop(): Promise<void>;
}

/**
 * A worker process's engine: pg-boss workers on the session queue, `concurrency` sessions at a time,
 * each job run by runSessionJob. Any number of these, on any machines, share the queue.
 */
export async function startWorker(o: WorkerOptions): Promise<Worker> {
  const log = o.log ?? ((m: string) => console.log(m));
  const { db, client } = createDb(o.url, o.poolSize);
  const boss = await startBoss(o.url, { supervise: true });
  const turnTimeoutSeconds = o.turnTimeoutSeconds ?? env.EXTERNAL_TURN_TIMEOUT_SECONDS;
  const jobs = createSessionJobs(boss, { turnTimeoutSeconds });
  const watch = new SessionWatch(o.url);
  await watch.ready();
  let stopping = false;
  const deps: RunnerDeps = { db, jobs, watch, decide: o.decide, sliceMs: o.sliceSeconds * 1000, stopping: () => stopping, concurrencyPerUser: o.concurrencyPerUser, onBarCommitted: o.onBarCommitted, log };

  const run = async ([job]: Job<SessionJobData>[]) => {
    if (!job) return;
    try {
      const outcome = await runSessionJob(job.data.sessionId, `${job.id}:${job.retryCount}`, deps);
      return { outcome };
    } catch (err) {
      // The database is gone (an outage, a restart): pg-boss cannot record this attempt's failure until it is
      // back, and would find the job only by its stale heartbeat. Wait for it here, then fail the job: its retry
      // starts at once and resumes at the session's committed cursor (docs/sessions.md, "Database outage").
      if (isDatabaseUnavailable(err) && (await waitForDatabase(db, { giveUp: () => stopping }))) {
        log(`[worker] the database answers again: session ${job.data.sessionId} goes on from its last committed bar`);
      }
      throw err;
    }
  };
  const polling = { batchSize: 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 10 };
  await boss.work<SessionJobData>(SESSION_QUEUE, { ...polling, localConcurrency: o.concurrency }, run);
  await boss.work<SessionJobData>(SESSION_LLM_QUEUE, { ...polling, localConcurrency: o.llmConcurrency ?? 250 }, run);
  // A job that kept dying (its worker crashed or hung RETRY_LIMIT times): the session fails, saying so.
  await boss.work<SessionJobData>(SESSION_DEAD_QUEUE, { pollingIntervalSeconds: 5 }, async ([job]: Job<SessionJobData>[]) => {
    if (!job) return;
    const owner = await getSessionOwnerById(db, { id: job.data.sessionId });
    if (!owner) return;
    const err = new AppError("halt", "WORKER_LOST", `its worker stopped responding (crashed or timed out) on ${RETRY_LIMIT + 1} attempts in a row; see the worker logs`);
    await failSession({ db, sessionId: job.data.sessionId, userId: owner.userId, claims: { sub: owner.userId, role: "authenticated" }, err, admission: deps, log });
  });

  // An outside agent's turn left idle (docs/sessions.md, "Sessions an outside agent drives"): ended as if it had called end_turn.
  await boss.work<TurnTimeoutJobData>(SESSION_TURN_QUEUE, { pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 }, async ([job]: Job<TurnTimeoutJobData>[]) => {
    if (!job) return;
    const outcome = await expireTurn(job.data.sessionId, job.data.bar, { db, jobs, concurrencyPerUser: o.concurrencyPerUser, timeoutSeconds: turnTimeoutSeconds });
    if (outcome === "ended") log(`[worker] session ${job.data.sessionId}: the outside agent's turn at bar ${job.data.bar} timed out; ended it`);
    return { outcome };
  });

  return {
    boss,
    db,
    async stop() {
      stopping = true;
      await boss.stop({ graceful: true, timeout: 30_000 });
      await watch.close();
      await client.end({ timeout: 5 });
    },
  };
}
