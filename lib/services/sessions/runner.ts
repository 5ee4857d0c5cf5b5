import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@/lib/db/client";
import { getSessionOwnerById, lockTradingSession, setTradingSessionStatus } from "@/lib/db/queries/sessions";
import { getExternalTurnOwner } from "@/lib/db/queries/external-turn";
import { claimSessionRun, readSessionRun, type SessionRunRow } from "@/lib/db/queries/session-run";
import { withCore, type Claims } from "@/lib/db/rls";
import { AppError, firstLineOf, fromUnknown, isRetryable } from "@/lib/errors";
import { nyDayOf, type Interval } from "@/lib/market";
import type { SessionJobs } from "@/lib/jobs/session-jobs";
import { createDbBarSource } from "@/lib/services/market-data/bar-source";
import type { TradingDefaults } from "@/lib/schemas/session";
import { parseTradingSettings } from "@/lib/trading/trading-settings";
import { describeTrading } from "@/lib/viewer/format";
import { openAdmissions, type Admission } from "./admission";
import { preloadSessionBars } from "./bar-cache";
import { ensureReplayHistory } from "./plan";
import { cancelOpenOrdersAtSessionEnd } from "@/lib/db/queries/working-orders";
import { bookFromRow } from "@/lib/trading/load-book";
import type { RecordedCall } from "@/lib/trading/model-calls";
import { defaultDecide, runBar, type DecideFn, type SessionRun } from "@/lib/trading/run-bar";
import { externalFence } from "./external-fence";
import { finalizeSession } from "./results";
import type { SessionWatch } from "./session-watch";

export interface RunnerDeps {
  /** The worker's pool (server role); bars are written through withCore on it, for the session's owner. */
  db: Db;
  jobs: SessionJobs;
  decide?: DecideFn;
  /** Run for about this long, then queue a continuation and return (default 60 s). */
  sliceMs?: number;
  /** The worker is shutting down: stop at the next bar boundary and queue a continuation. */
  stopping?: () => boolean;
  /** Pending + running sessions a user may have (default SESSION_CONCURRENCY_PER_USER): a session ending admits a queued one. */
  concurrencyPerUser?: number;
  /** Tells a runner at once that its session was paused or cancelled (LISTEN); without it a pause lands at the bar's commit. */
  watch?: SessionWatch;
  /** Instrumentation (the benchmark): called after each bar commits. */
  onBarCommitted?: (e: { sessionId: string; index: number; lastSeq: number; committedAt: number }) => void;
  log?: (message: string) => void;
}

export type RunOutcome = "completed" | "failed" | "stopped" | "yielded" | "gone";

/**
 * Runs one session job: the job carries only the session id. Who the runner acts as comes from the
 * session row (owner → claims), never from the job, the environment or a cache. Claims the session for
 * `runnerId` (a fencing token: job id and attempt), then runs bar after bar (run-bar.ts) until the
 * schedule ends (→ finalize), the session is paused/cancelled/taken over (→ stop), or the slice is used
 * up or the worker stops (→ queue a continuation). A bar that throws fails the session with the error,
 * unless the error is transient (retry), which is rethrown so pg-boss runs the job again.
 */
export async function runSessionJob(sessionId: string, runnerId: string, deps: RunnerDeps): Promise<RunOutcome> {
  const owner = await getSessionOwnerById(deps.db, { id: sessionId });
  if (!owner) return "gone";
  const claims: Claims = { sub: owner.userId, role: "authenticated" };
  const userId = owner.userId;
  if (owner.driver === "external") return openExternalTurn(sessionId, claims, deps);
  let watched = { signal: new AbortController().signal, release: () => {} };
  try {
    const claimed = await claim(sessionId, runnerId, claims, deps);
    if (!claimed) return "stopped";
    // Watched from the claim on, never before: a notification still on its way from before the claim (the
    // `pending` of the create or resume that queued this job) would find the row not yet running and stop
    // the runner it was never about. One sent between the claim and the watch is caught by the first check.
    if (deps.watch) {
      watched = deps.watch.watch(sessionId, runnerId);
      deps.watch.recheck(sessionId);
    }
    const run: SessionRun = { ...claimed, signal: watched.signal };
    const started = performance.now();
    const sliceMs = deps.sliceMs ?? 60_000;
    for (;;) {
      const barStarted = performance.now();
      const outcome = await runBar(run);
      if (outcome.kind === "stop") return "stopped";
      if (outcome.kind === "done") return (await finalizeSession({ db: deps.db, sessionId, userId, claims, runnerId, admission: deps })) ? "completed" : "stopped";
      deps.onBarCommitted?.({ sessionId, index: outcome.index, lastSeq: outcome.lastSeq, committedAt: performance.timeOrigin + performance.now() });
      if (outcome.index + 1 >= run.schedule.length) continue; // finalize on the next turn
      // A paced session waits out the rest of its bar's time, holding no lock: a pause lands at once.
      const wait = barStarted + run.paceMs - performance.now();
      if (wait > 0) await sleep(wait);
      if (deps.stopping?.() || performance.now() - started > sliceMs) {
        await deps.jobs.enqueueRun(deps.db, sessionId);
        return "yielded";
      }
    }
  } catch (err) {
    // Paused or cancelled while a model was thinking: the bar ends unwritten; resume runs it again.
    if (watched.signal.aborted) return "stopped";
    if (isRetryable(err)) {
      // pg-boss runs the job again (it resumes at the cursor); said, not swallowed.
      deps.log?.(`[worker] session ${sessionId}: ${firstLineOf(err)}; running it again`);
      throw err;
    }
    await failSession({ db: deps.db, sessionId, userId, claims, err, admission: deps, log: deps.log });
    return "failed";
  } finally {
    watched.release();
  }
}

/**
 * Takes the session for this runner and loads what its bars need; null when it is not runnable. Two
 * one-statement transactions (session-run.ts): the claim, then the read. Each lasts as long as the
 * database takes, never an event-loop turn of a busy worker.
 */
async function claim(sessionId: string, runnerId: string, claims: Claims, deps: RunnerDeps): Promise<Omit<SessionRun, "signal"> | null> {
  const userId = claims.sub;
  const claimed = await claimSessionRun(deps.db, claims, { id: sessionId, runnerId });
  if (!claimed.claimed) return null;
  // Read after the claim committed: from here this runner holds the fence, so nothing else writes the
  // session's ledger (a runner it replaced fails its commit's guard) and the book read now is the one it owns.
  const session = await readSessionRun(deps.db, claims, { id: sessionId });
  if (!session || !session.book) return null;
  if (!session.model) throw new AppError("halt", "MODEL_GONE", "The session's model no longer exists");
  const schedule = session.schedule.map((s) => new Date(s));
  const interval = session.interval as Interval;
  const first = schedule[0] ?? new Date(0);
  const last = schedule[schedule.length - 1] ?? first;
  // A replay's days before its own (plan.ts): made now, by the runner, not while the person waits for the start.
  if (interval === "minute" && schedule.length > 0) await ensureReplayHistory(deps.db, { day: nyDayOf(first), symbols: session.symbols });
  const source = await preloadSessionBars(deps.db, {
    symbols: session.symbols,
    interval,
    from: first,
    to: last,
    fallback: createDbBarSource(deps.db),
  });
  return {
    db: deps.db,
    sessionId,
    userId,
    modelId: session.modelId,
    claims,
    runnerId,
    interval,
    universe: session.symbols,
    schedule,
    cursor: session.cursor,
    replayOf: session.replayOf,
    // The calls recorded for the bars ahead: a bar stopped mid-decision answers its first calls from them.
    recorded: recordedByBar(session.calls),
    decideEvery: session.decideEvery,
    source,
    model: { ...session.model, llm: session.llm, instructions: session.instructions },
    rules: parseTradingSettings(JSON.stringify(session.settings)),
    tradingRules: describeTrading(session.settings as TradingDefaults),
    maxSteps: session.maxSteps,
    timeoutMs: session.decisionTimeoutMs,
    seed: session.seed,
    paceMs: session.paceMs,
    decide: deps.decide ?? defaultDecide,
    book: bookFromRow(session.book),
  };
}

/**
 * A session an outside agent drives has no runner (external-turn.ts): its job (after a resume, or an admission from the
 * queue) only opens the turn at the cursor, fenced like a claim, and queues the turn's idle timeout.
 */
async function openExternalTurn(sessionId: string, claims: Claims, deps: RunnerDeps): Promise<RunOutcome> {
  const claimed = await claimSessionRun(deps.db, claims, { id: sessionId, runnerId: externalFence() });
  if (!claimed.claimed) return "stopped";
  const turn = await getExternalTurnOwner(deps.db, { id: sessionId });
  if (turn) await deps.jobs.enqueueTurnTimeout?.(deps.db, sessionId, turn.cursor);
  return "stopped";
}

function recordedByBar(calls: SessionRunRow["calls"]): Map<number, Map<number, RecordedCall>> {
  const byBar = new Map<number, Map<number, RecordedCall>>();
  for (const c of calls) {
    let bar = byBar.get(c.barIndex);
    if (!bar) byBar.set(c.barIndex, (bar = new Map()));
    bar.set(c.callIndex, { requestDigest: c.requestDigest, response: c.response as RecordedCall["response"] });
  }
  return byBar;
}

/** Marks the session failed with the error's code and message (its own transaction; others go on). */
export async function failSession({
  db,
  sessionId,
  userId,
  claims,
  err,
  admission,
  log,
}: {
  db: Db;
  sessionId: string;
  userId: string;
  claims: Claims;
  err: unknown;
  /** Its slot goes to the user's oldest queued session, in the same transaction. */
  admission: Admission;
  log?: (message: string) => void;
}): Promise<void> {
  const failure = fromUnknown(err, "SESSION_ERROR");
  const { code } = failure;
  const message = failure.message.split("\n")[0]!.slice(0, 500);
  log?.(`[worker] session ${sessionId} failed: ${code}: ${message}`);
  await withCore(
    claims,
    async (tx) => {
      const s = await lockTradingSession(tx, { id: sessionId, userId });
      if (!s || s.status === "completed" || s.status === "failed" || s.status === "cancelled") return;
      await cancelOpenOrdersAtSessionEnd(tx, { sessionId, userId });
      await setTradingSessionStatus(tx, { id: sessionId, userId, status: "failed", runnerId: null, errorCode: code, error: message, payload: { errorCode: code, error: message, from: s.status } });
      if (s.status === "pending" || s.status === "running") await openAdmissions(tx, userId, admission);
    },
    db,
  );
}
