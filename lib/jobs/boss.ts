import "server-only";
import { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import { jobErrorLog } from "./error-log";
import { createSessionJobs, ensureSessionQueues, type SessionJobs } from "./session-jobs";

/**
 * pg-boss on the application's own Postgres (schema `pgboss`). Workers (lib/jobs/worker.ts) supervise
 * the queues; the web server only sends, from a small instance of its own (getSessionJobs).
 */
export async function startBoss(url: string, { supervise, max = 4 }: { supervise: boolean; max?: number }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max,
    application_name: supervise ? "bullpen-worker" : "bullpen-web",
    supervise,
    schedule: false,
    migrate: true,
    useListenNotify: supervise,
    superviseIntervalSeconds: env.JOB_MONITOR_SECONDS,
    monitorIntervalSeconds: env.JOB_MONITOR_SECONDS,
  });
  boss.on("error", jobErrorLog());
  await boss.start();
  await ensureSessionQueues(boss, env.SESSION_SLICE_SECONDS);
  return boss;
}

const globalForJobs = globalThis as unknown as { bullpenJobs?: Promise<SessionJobs> };

/** The web process's sender, started on first use (Next dev reloads modules; it survives). */
export function getSessionJobs(): Promise<SessionJobs> {
  if (!env.DATABASE_URL) return Promise.reject(new Error("DATABASE_URL is not set"));
  globalForJobs.bullpenJobs ??= startBoss(env.DATABASE_URL, { supervise: false, max: 2 }).then(createSessionJobs, (err: unknown) => {
    globalForJobs.bullpenJobs = undefined;
    throw err;
  });
  return globalForJobs.bullpenJobs;
}

/**
 * The web process's sender, started only when something is queued (an outside agent's calls queue a turn's timeout
 * now and then; most of its requests queue nothing and should not start pg-boss).
 */
export function lazySessionJobs(): SessionJobs {
  return {
    enqueueRun: async (tx, sessionId) => (await getSessionJobs()).enqueueRun(tx, sessionId),
    enqueueTurnTimeout: async (tx, sessionId, bar, afterSeconds) => (await getSessionJobs()).enqueueTurnTimeout?.(tx, sessionId, bar, afterSeconds),
  };
}
