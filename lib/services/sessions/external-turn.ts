import "server-only";
import { randomUUID } from "node:crypto";
import type { ToolExecutionOptions } from "ai";
import { isBookToolName, isTradingToolName, type BarInterval, type ToolName } from "@/lib/agent/tool-contract";
import { recordedOutput, type ToolCallRecord } from "@/lib/agent/decision/records";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import { getDecisionOutcome, getExternalTurnOwner, lockExternalTurn, recordTurnCall, type ExternalTurnRow } from "@/lib/db/queries/external-turn";
import { setTradingSessionStatus } from "@/lib/db/queries/sessions";
import { withCore, withUser, type Claims } from "@/lib/db/rls";
import { AppError, isRetryable, notFound } from "@/lib/errors";
import type { SessionJobs } from "@/lib/jobs/session-jobs";
import { createMarketView, type Interval } from "@/lib/market";
import { createDbBarSource } from "@/lib/services/market-data/bar-source";
import type { SessionBook } from "@/lib/trading/book";
import type { TradingContext } from "@/lib/trading/context";
import type { DecisionResult } from "@/lib/trading/decide";
import { loadBook } from "@/lib/trading/load-book";
import { finerViewOf, matchWorkingOrders } from "@/lib/trading/match-working-orders";
import { decisionIdFor, runBar, type DecideFn, type SessionRun } from "@/lib/trading/run-bar";
import { createToolRuntime, createTradingTools, ToolError, type ToolRuntime } from "@/lib/trading/tools";
import { parseToolInput } from "@/lib/trading/tools/schemas";
import { parseTradingSettings } from "@/lib/trading/trading-settings";
import { externalFence } from "./external-fence";
import { finalizeSession } from "./results";
import { failSession } from "./runner";

/**
 * A SESSION AN OUTSIDE AGENT DRIVES (docs/sessions.md, "Sessions an outside agent drives"). No runner and no model:
 * the clock stands at the bar of the session's cursor (the agent's TURN) until the agent ends it (end_turn, POST
 * …/advance) or the turn's idle timeout does. The book is still owned by one fenced writer at a time, the database:
 *
 * - Every call of the turn is ONE transaction as the trading core that locks the session row (FOR UPDATE: an agent's
 *   concurrent calls run one after the other), loads the book as committed at the cursor, works the bar's start as
 *   the runner does (the working orders against the bar that has just closed: matchWorkingOrders), replays the turn's
 *   earlier calls on it (the same tools, the same call ids, so the same order ids and fills: the in-memory book is
 *   the one the agent saw), runs the new call, and appends it to the turn (`turn_calls`) with a NEW fence token
 *   (`runner_id`). Nothing of the bar's trades is in the ledger until the turn ends: a call that fails writes nothing.
 * - The end of the turn is the runner's own bar (run-bar.ts runBar, commit-bar.ts commitBar: the same borrow fee,
 *   match, mark to market, equity point, events, decision row and cursor, in one trip) with a `decide` that replays
 *   the turn's calls. Its commit is guarded by the fence it read: a call recorded meanwhile (a new token) makes the
 *   guard fail (BAR_NOT_OURS), nothing is written, and the end is computed again with that call. Two ends at once:
 *   the second's guard fails on the moved cursor, and it then ends the next turn (one bar per call, none twice).
 * - Idempotency: an order's key is `<sessionId>:<call id>` as in process; the call id is the client's (REST
 *   `Idempotency-Key`, MCP `_meta["bullpen/idempotencyKey"]`) or a fresh one. The same id again answers the order it
 *   placed (`duplicate: true`), in the same turn (the book) or a later one (the ledger).
 */

/** Who acts: a model token's agent (tokenId) or the session's owner (tokenId null). */
export interface TurnActor {
  userId: string;
  modelId: string;
  claims: Claims;
  tokenId: string | null;
}

/** A call of the turn as stored (turn_calls) and replayed. */
export interface TurnCall {
  id: string;
  name: ToolName;
  input: unknown;
  output: unknown;
  /** Wall time of the call (ISO). */
  at: string;
}

/** At most this many calls in one turn (each is replayed by the next): more is refused, TURN_TOO_LONG. */
export const MAX_TURN_CALLS = 200;

export interface TurnDeps {
  db?: Db;
  jobs?: SessionJobs;
  concurrencyPerUser?: number;
}

export interface TurnCallOptions extends TurnDeps {
  /** The client's id for the call (idempotency); fresh when absent. */
  toolCallId?: string;
}

const executionOptions = (toolCallId: string): ToolExecutionOptions<never> => ({ toolCallId, messages: [], context: undefined as never });

/** Runs one contract tool over `ctx` as a model in process would (the same factory), with call id `id`. */
async function runTool(ctx: TradingContext, rt: ToolRuntime, name: ToolName, input: unknown, id: string): Promise<unknown> {
  const tools = createTradingTools(ctx, rt) as unknown as Record<ToolName, { execute?: (input: unknown, o: ToolExecutionOptions<never>) => Promise<unknown> }>;
  return tools[name].execute!(input, executionOptions(id));
}

/** The calls of the turn at the cursor (a turn of an earlier bar is over: none). */
export function turnCallsOf(s: Pick<ExternalTurnRow, "turnBar" | "turnCalls" | "cursor">): TurnCall[] {
  return s.turnBar === s.cursor && Array.isArray(s.turnCalls) ? (s.turnCalls as TurnCall[]) : [];
}

/** The words for a session that is not taking calls now. */
function notOpen(s: ExternalTurnRow, what: string): ToolError {
  if (s.status === "completed" || s.status === "failed" || s.status === "cancelled") {
    return new ToolError("SESSION_ENDED", `${what}: this session has ended (${s.status}); start another one (start_session); nothing was done`, "conflict");
  }
  const why =
    s.status === "queued" ? "queued: its owner's sessions are at their limit, and it starts when one of them ends"
    : `${s.status}; its owner can resume it on the site (or POST /api/v1/sessions/${s.id}/resume)`;
  return new ToolError("SESSION_NOT_RUNNING", `${what}: this session is ${why}; nothing was done`, "conflict");
}

/** The session as a trading context at its turn, in `tx`: the book at the cursor, the bar's start worked, the turn's calls replayed. */
async function turnContext(tx: Tx, s: ExternalTurnRow): Promise<{ ctx: TradingContext; rt: ToolRuntime; calls: TurnCall[] }> {
  const schedule = s.schedule.map((d) => new Date(d));
  const index = s.cursor;
  const at = schedule[index]!;
  const clock = { now: () => at };
  const interval = s.interval as Interval;
  const source = createDbBarSource(tx);
  const market = createMarketView({ clock, universe: s.symbols, source, intervals: [interval] });
  const book: SessionBook = await loadBook(tx, { sessionId: s.id, userId: s.userId, modelId: s.modelId });
  const rules = parseTradingSettings(JSON.stringify(s.settings ?? {}));
  // As the runner's bar will (run-bar.ts): the same finer bars settle a pair inside one bar.
  const finer = finerViewOf({ clock, universe: s.symbols, source, interval });
  await matchWorkingOrders({ sessionId: s.id, book, rules, market, interval, schedule, index, finer });
  const ctx: TradingContext = {
    userId: s.userId,
    modelId: s.modelId,
    sessionId: s.id,
    claims: { sub: s.userId, role: "authenticated" },
    clock,
    market,
    book,
    rules,
    decisionId: decisionIdFor(s.id, index),
    interval: interval as BarInterval,
    read: (fn) => fn(tx),
  };
  const rt = createToolRuntime();
  const calls = turnCallsOf(s);
  // The calls that change the book (BOOK_TOOL_NAMES) are replayed, in order, by every later call of the turn and by its end.
  for (const c of calls) if (isBookToolName(c.name)) await runTool(ctx, rt, c.name, c.input, c.id);
  return { ctx, rt, calls };
}

/**
 * One tool call of the agent in its turn (any contract tool but calculate), in ONE transaction under the session row's
 * lock: claims a pending session (resumed, or admitted from the queue), refuses one that is not running, runs the
 * call on the turn's book and records it. Errors write nothing.
 */
export async function callTurnTool(actor: TurnActor, sessionId: string, name: ToolName, input: unknown, options: TurnCallOptions = {}): Promise<unknown> {
  const db = options.db ?? getDb();
  const id = options.toolCallId ?? randomUUID();
  let opened: number | null = null;
  const output = await withCore(
    actor.claims,
    async (tx) => {
      const s = await lockedTurn(tx, actor, sessionId);
      if (s.status === "pending") {
        // Resumed, or admitted from the queue: the turn at the cursor opens now (as a runner's claim would).
        s.runnerId = externalFence();
        await setTradingSessionStatus(tx, { id: s.id, userId: s.userId, status: "running", runnerId: s.runnerId, payload: { from: "pending" } });
        s.status = "running";
        opened = s.cursor;
      }
      if (s.status !== "running") throw notOpen(s, name);
      if (s.cursor >= s.totalBars) throw new ToolError("SESSION_ENDED", `${name}: every bar of this session has been run; it is finishing; nothing was done`, "conflict");
      const turn = await turnContext(tx, s);
      if (turn.calls.length >= MAX_TURN_CALLS) {
        throw new ToolError("TURN_TOO_LONG", `${name}: this turn already has ${MAX_TURN_CALLS} calls, the most one bar takes; end the turn (end_turn) to go on; nothing was done`, "limit");
      }
      const result = await runTool(turn.ctx, turn.rt, name, input, id);
      // The input as the tool's contract reads it (fields it does not name dropped): what is replayed and recorded.
      const call: TurnCall = { id, name, input: parseToolInput(name, input), output: storedOutput(name, result), at: new Date().toISOString() };
      await recordTurnCall(tx, { id: s.id, userId: s.userId, bar: s.cursor, calls: [...turn.calls, call], runnerId: externalFence(), tokenId: actor.tokenId });
      return result;
    },
    db,
  );
  if (opened !== null) await options.jobs?.enqueueTurnTimeout?.(db, sessionId, opened);
  return output;
}

/** A read's output kept in the turn (and the decision) up to this size; a larger one is described, not kept. */
export const MAX_STORED_OUTPUT = 16_000;

/** What the turn keeps of a call's output: as a decision in process keeps it (get_bars summarised), a huge read described. */
function storedOutput(name: ToolName, output: unknown): unknown {
  const kept = recordedOutput(name, output);
  if (isBookToolName(name)) return kept; // an order's answer: small, and the record of the trade
  const size = JSON.stringify(kept ?? null).length;
  return size <= MAX_STORED_OUTPUT ? kept : { omitted: `${size} characters; the same call at the same bar answers the same` };
}

/** The session row for a call of its turn, locked; another user's, another model's or a missing one: NOT_FOUND. */
async function lockedTurn(tx: Tx, actor: TurnActor, sessionId: string): Promise<ExternalTurnRow> {
  const s = await lockExternalTurn(tx, { id: sessionId, userId: actor.userId });
  if (!s || s.modelId !== actor.modelId) throw notFound("Trading session");
  return s;
}

/** Runs `fn` over the turn's context without recording anything (the session resource): one transaction as the user. */
export async function readInTurn<T>(actor: TurnActor, sessionId: string, fn: (ctx: TradingContext) => Promise<T>, db: Db = getDb()): Promise<T> {
  return withUser(
    actor.claims,
    async (tx) => {
      const s = await readTurn(tx, actor, sessionId);
      return fn((await turnContext(tx, s)).ctx);
    },
    db,
  );
}

export interface TurnEnded {
  /** The bar whose turn ended (its index), and the session's state after it. */
  bar: number;
  clock: string;
  status: string;
  /** The next turn's bar and clock; null when the session has finished. */
  next: { bar: number; clock: string } | null;
  progress: { done: number; total: number };
  equity: string | null;
  /** The bar's decision: what the agent did at it. */
  decision: { id: string; outcome: string; calls: number; filledOrders: number; rejectedOrders: number };
}

/**
 * Ends the agent's turn at the cursor (end_turn, POST …/advance, the idle timeout): the rest of the bar is worked by
 * the runner's own runBar, whose commit is guarded by the fence read here; a call recorded meanwhile, or another end,
 * makes it fail and this end is made again at the session as it now is. At the last bar the session finishes like any
 * other (metrics, benchmark, completed). `expectBar`: end only the turn at that bar (TURN_MOVED otherwise).
 */
export async function endTurn(actor: TurnActor, sessionId: string, options: TurnDeps & { expectBar?: number; reason?: "end_turn" | "timeout" } = {}): Promise<TurnEnded> {
  const db = options.db ?? getDb();
  for (let attempt = 0; attempt < 20; attempt++) {
    const s = await withUser(actor.claims, (tx) => readTurn(tx, actor, sessionId), db);
    if (s.status === "pending") {
      // Not open yet (resumed or admitted): a call opens it; so does this end, before it ends it.
      await withCore(actor.claims, async (tx) => {
        const locked = await lockedTurn(tx, actor, sessionId);
        if (locked.status === "pending") {
          await setTradingSessionStatus(tx, { id: locked.id, userId: locked.userId, status: "running", runnerId: externalFence(), payload: { from: "pending" } });
        }
      }, db);
      continue;
    }
    if (s.status !== "running") throw notOpen(s, "end_turn");
    if (options.expectBar !== undefined && options.expectBar !== s.cursor) {
      throw new ToolError("TURN_MOVED", `end_turn: the session's turn is at bar ${s.cursor}, not ${options.expectBar}; nothing was done`, "conflict");
    }
    if (s.cursor >= s.totalBars && s.runnerId) {
      // Every bar is recorded but the session did not finish (the end that recorded the last bar stopped before it): finish it now.
      await finalizeSession({ db, sessionId: s.id, userId: s.userId, claims: actor.claims, runnerId: s.runnerId, admission: { jobs: options.jobs ?? { enqueueRun: async () => {} }, concurrencyPerUser: options.concurrencyPerUser } });
    }
    if (s.cursor >= s.totalBars || !s.runnerId) throw new ToolError("SESSION_ENDED", "end_turn: every bar of this session has been run; it has finished; nothing was done", "conflict");
    const book = await withUser(actor.claims, (tx) => loadBook(tx, { sessionId: s.id, userId: s.userId, modelId: s.modelId }), db);
    const schedule = s.schedule.map((d) => new Date(d));
    const calls = turnCallsOf(s);
    const run: SessionRun = {
      db,
      sessionId: s.id,
      userId: s.userId,
      modelId: s.modelId,
      claims: actor.claims,
      runnerId: s.runnerId,
      interval: s.interval as Interval,
      universe: s.symbols,
      schedule,
      cursor: s.cursor,
      decideEvery: 1,
      source: createDbBarSource(db),
      model: { id: s.modelId, userId: s.userId, llm: "external", instructions: "", apiKeyCiphertext: null },
      rules: parseTradingSettings(JSON.stringify(s.settings ?? {})),
      tradingRules: "",
      maxSteps: MAX_TURN_CALLS,
      timeoutMs: 0,
      seed: 0,
      paceMs: 0,
      decide: replayTurn(calls, options.reason ?? "end_turn", s.drivenBy),
      replayOf: null,
      recorded: new Map(),
      book,
      signal: new AbortController().signal,
    };
    let outcome: Awaited<ReturnType<typeof runBar>>;
    try {
      outcome = await runBar(run);
    } catch (err) {
      // As the runner does with a bar that throws (not a transient error): the session fails, saying why.
      if (!isRetryable(err) && !(err instanceof ToolError)) {
        await failSession({ db, sessionId: s.id, userId: s.userId, claims: actor.claims, err, admission: { jobs: options.jobs ?? { enqueueRun: async () => {} }, concurrencyPerUser: options.concurrencyPerUser } });
      }
      throw err;
    }
    if (outcome.kind !== "recorded") continue; // the fence or the cursor moved: look again
    const index = outcome.index;
    const last = index + 1 >= schedule.length;
    const decision = { id: decisionIdFor(s.id, index), calls: calls.length, ...(await decisionSummary(actor, db, decisionIdFor(s.id, index))) };
    if (last) {
      await finalizeSession({ db, sessionId: s.id, userId: s.userId, claims: actor.claims, runnerId: s.runnerId, admission: { jobs: options.jobs ?? { enqueueRun: async () => {} }, concurrencyPerUser: options.concurrencyPerUser } });
    } else {
      await options.jobs?.enqueueTurnTimeout?.(db, s.id, index + 1);
    }
    const after = await withUser(actor.claims, (tx) => readTurn(tx, actor, sessionId), db);
    return {
      bar: index,
      clock: schedule[index]!.toISOString(),
      status: after.status,
      next: last ? null : { bar: index + 1, clock: schedule[index + 1]!.toISOString() },
      progress: { done: after.cursor, total: after.totalBars },
      equity: after.equity,
      decision,
    };
  }
  throw new AppError("retry", "TURN_BUSY", "end_turn: the session kept changing while its turn was being ended (other calls at the same time); try again");
}

async function readTurn(tx: Tx, actor: TurnActor, sessionId: string): Promise<ExternalTurnRow> {
  const s = await lockExternalTurn(tx, { id: sessionId, userId: actor.userId, lock: false });
  if (!s || s.modelId !== actor.modelId) throw notFound("Trading session");
  if (s.driver !== "external") throw notExternal(s, "end_turn");
  return s;
}

async function decisionSummary(actor: TurnActor, db: Db, id: string) {
  const row = await withUser(actor.claims, (tx) => getDecisionOutcome(tx, { id, userId: actor.userId }), db);
  return { outcome: row?.outcome ?? "held", filledOrders: row?.filledOrders ?? 0, rejectedOrders: row?.rejectedOrders ?? 0 };
}

/** The refusal of an order tool in a session its model trades in process. */
export function notExternal(s: Pick<ExternalTurnRow, "llm">, name: string): ToolError {
  return new ToolError(
    "SESSION_NOT_EXTERNAL",
    `${name} cannot act in this session: it is traded by its own model (${s.llm}) in process; only a session an outside agent drives (driver "external": start_session, or POST /api/v1/sessions with "driver": "external") takes orders and turns from one; nothing was done`,
    "conflict",
  );
}

/**
 * The bar's "decision": the agent's turn, replayed on the runner's book through the same tools with the same call ids
 * (so the same orders and fills), recorded as a decision row whose tool calls are the agent's, in order.
 */
function replayTurn(calls: readonly TurnCall[], reason: "end_turn" | "timeout", drivenBy: string | null): DecideFn {
  return async (ctx): Promise<DecisionResult> => {
    const rt = createToolRuntime();
    for (const c of calls) if (isBookToolName(c.name)) await runTool(ctx, rt, c.name, c.input, c.id);
    const orders = ctx.book.pending.orders.filter((o) => o.decisionId === ctx.decisionId);
    const filled = orders.filter((o) => o.status === "filled").length;
    const rejected = orders.filter((o) => o.status === "rejected").length;
    const toolCalls: ToolCallRecord[] = calls.map((c, i) => {
      const out = c.output as { orderId?: string | null; status?: string; duplicate?: boolean } | undefined;
      const trade = isTradingToolName(c.name) || c.name === "place_order";
      return { id: c.id, step: i + 1, name: c.name, input: c.input, ok: true, output: c.output, ...(trade ? { orderId: out?.orderId ?? null, orderStatus: out?.status, duplicate: out?.duplicate ?? false } : {}) };
    });
    // The audit and the viewer's decision list read who drove the bar here ("driven by: <token name>").
    const who = `Driven by: ${drivenBy ?? "an outside agent"}.`;
    const text = reason === "timeout" ? `${who} The turn timed out (no call for EXTERNAL_TURN_TIMEOUT_SECONDS): the bar was ended for the agent.` : who;
    return {
      orders,
      decision: {
        id: ctx.decisionId,
        userId: ctx.userId,
        modelId: ctx.modelId,
        sessionId: ctx.sessionId,
        clock: ctx.clock.now(),
        interval: ctx.interval,
        llm: "external",
        outcome: filled > 0 ? "traded" : "held",
        instructions: "",
        prompt: "",
        text,
        toolCalls: JSON.parse(JSON.stringify(toolCalls)) as unknown,
        steps: calls.length,
        finishReason: reason,
        error: null,
        errorCode: null,
        filledOrders: filled,
        rejectedOrders: rejected,
        toolErrors: 0,
        inputTokens: null,
        outputTokens: null,
        costUsd: null,
        // From the turn's first call to its end (0: a turn without calls).
        latencyMs: calls[0] ? Math.max(0, Date.now() - Date.parse(calls[0].at)) : 0,
      },
    };
  };
}

/**
 * The idle timeout of the turn at `bar` (the job queued when the turn opened): when the session still stands at that
 * bar and no call came for `timeoutSeconds`, the turn ends as if the agent had called end_turn (its calls so far
 * stand); when a call came since, the timeout is queued again for the rest of the time. Answers what it did.
 */
export async function expireTurn(
  sessionId: string,
  bar: number,
  deps: TurnDeps & { db: Db; timeoutSeconds: number },
): Promise<"ended" | "later" | "moved"> {
  const owner = await getExternalTurnOwner(deps.db, { id: sessionId });
  if (!owner || owner.driver !== "external" || owner.status !== "running" || owner.cursor !== bar) return "moved";
  const idle = owner.idleSeconds;
  if (idle < deps.timeoutSeconds) {
    await deps.jobs?.enqueueTurnTimeout?.(deps.db, sessionId, bar, deps.timeoutSeconds - idle);
    return "later";
  }
  const actor: TurnActor = { userId: owner.userId, modelId: owner.modelId, claims: { sub: owner.userId, role: "authenticated" }, tokenId: null };
  try {
    await endTurn(actor, sessionId, { ...deps, expectBar: bar, reason: "timeout" });
    return "ended";
  } catch (err) {
    if (err instanceof ToolError && ["TURN_MOVED", "SESSION_ENDED", "SESSION_NOT_RUNNING"].includes(err.code)) return "moved";
    throw err;
  }
}
