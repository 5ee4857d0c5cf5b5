import "server-only";
import type { Db as JobDb, PgBoss, Queue } from "pg-boss";
import type { Executor } from "@/lib/db/client";
import { driverOf, runPrepared } from "@/lib/db/prepared";
import { env } from "@/lib/env";

/**
 * The session queue (docs/sessions.md, "Runner"). A job carries only a session id; it runs that session
 * for a slice of time and queues its own continuation. pg-boss heartbeats each active job: a worker
 * killed mid-run stops heartbeating and its job is retried by another worker, which resumes at the
 * session's cursor. A job that keeps dying lands in the dead-letter queue, which fails the session.
 */
export const SESSION_QUEUE = "session-run";
/**
 * Sessions of remote models (LLMs) wait on the network, not on a core: they run from their own queue,
 * hundreds at a time per worker process, while built-in strategies (CPU-bound) keep a small limit.
 */
export const SESSION_LLM_QUEUE = "session-run-llm";
export const SESSION_DEAD_QUEUE = "session-run-dead";
/** A session an outside agent drives: the idle timeout of its turn at a bar (docs/sessions.md). */
export const SESSION_TURN_QUEUE = "session-turn-timeout";
export const HEARTBEAT_SECONDS = 10;
export const RETRY_LIMIT = 10;

export interface SessionJobData {
  sessionId: string;
}

export interface TurnTimeoutJobData {
  sessionId: string;
  /** The bar whose turn it ends (nothing happens when the session has moved past it). */
  bar: number;
}

export interface SessionJobs {
  /**
   * Queues a run of the session. Inside a transaction (`tx` acting as a user or not) the job commits
   * with it: a session is never created or resumed without its job, nor a job sent for a session that
   * was rolled back. The job row is written as the server role (users have no rights on pg-boss tables).
   */
  enqueueRun(tx: Executor, sessionId: string): Promise<void>;
  /**
   * Queues the idle timeout of an external session's turn at `bar`, to run after `afterSeconds` (default: the app's
   * EXTERNAL_TURN_TIMEOUT_SECONDS). Optional: a sender without it leaves turns without a timeout (some tests).
   */
  enqueueTurnTimeout?(tx: Executor, sessionId: string, bar: number, afterSeconds?: number): Promise<void>;
}

export function sessionQueueOptions(sliceSeconds: number): Omit<Queue, "name"> {
  return {
    heartbeatSeconds: HEARTBEAT_SECONDS,
    // A job runs one slice, plus at most one decision (timeout ≤ 600 s) that started before its end.
    expireInSeconds: sliceSeconds + 600 + 60,
    retryLimit: RETRY_LIMIT,
    retryDelay: 1,
    deadLetter: SESSION_DEAD_QUEUE,
    notify: true,
  };
}

/** Creates the queues (idempotent). */
export async function ensureSessionQueues(boss: PgBoss, sliceSeconds: number): Promise<void> {
  await boss.createQueue(SESSION_DEAD_QUEUE, { retryLimit: 3, notify: true });
  await boss.createQueue(SESSION_QUEUE, sessionQueueOptions(sliceSeconds));
  await boss.createQueue(SESSION_LLM_QUEUE, sessionQueueOptions(sliceSeconds));
  await boss.createQueue(SESSION_TURN_QUEUE, { retryLimit: 3, retryDelay: 1, notify: true });
}

/** A pg-boss database adapter over the connection behind a drizzle transaction (or pool). */
export function jobDbOf(tx: Executor): JobDb {
  const sql = driverOf(tx);
  return {
    async executeSql(text, values) {
      const rows = await sql.unsafe(text, (values ?? []) as never[]);
      return { rows: rows as unknown as unknown[] };
    },
  };
}

/** Runs `fn` as the server role inside `tx` (users have no rights on pg-boss tables), then switches back. */
async function asServer<T>(tx: Executor, fn: () => Promise<T>): Promise<T> {
  // `none` = back to the session user (the server role) until the transaction ends or we switch back.
  const [{ role } = { role: "none" }] = await runPrepared<{ role: string }>(tx, "select current_setting('role') as role", []);
  if (role !== "none") await runPrepared(tx, "select set_config('role', 'none', true)", []);
  try {
    return await fn();
  } finally {
    if (role !== "none") await runPrepared(tx, "select set_config('role', $1, true)", [role]);
  }
}

export function createSessionJobs(boss: PgBoss, { turnTimeoutSeconds = env.EXTERNAL_TURN_TIMEOUT_SECONDS }: { turnTimeoutSeconds?: number } = {}): SessionJobs {
  return {
    async enqueueTurnTimeout(tx, sessionId, bar, afterSeconds = turnTimeoutSeconds) {
      const data: TurnTimeoutJobData = { sessionId, bar };
      await asServer(tx, () => boss.send(SESSION_TURN_QUEUE, data, { db: jobDbOf(tx), startAfter: Math.max(1, Math.ceil(afterSeconds)) }));
    },
    async enqueueRun(tx, sessionId) {
      const data: SessionJobData = { sessionId };
      // `none` = back to the session user (the server role) until the transaction ends or we switch back.
      const [{ role } = { role: "none" }] = await runPrepared<{ role: string }>(tx, "select current_setting('role') as role", []);
      if (role !== "none") await runPrepared(tx, "select set_config('role', 'none', true)", []);
      try {
        const [session] = await runPrepared<{ llm: string }>(tx, "select llm from trading_sessions where id = $1", [sessionId]);
        const queue = session && !session.llm.startsWith("builtin:") ? SESSION_LLM_QUEUE : SESSION_QUEUE;
        await boss.send(queue, data, { db: jobDbOf(tx) });
      } finally {
        if (role !== "none") await runPrepared(tx, "select set_config('role', $1, true)", [role]);
      }
    },
  };
}
