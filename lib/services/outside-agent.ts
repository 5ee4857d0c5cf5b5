import "server-only";
import { randomUUID } from "node:crypto";
import type { ToolExecutionOptions } from "ai";
import {
  isBookToolName,
  isToolName,
  TOOL_NAMES,
  toolInputSchemas,
  type PortfolioOutput,
  type ToolName,
} from "@/lib/agent/tool-contract";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import { getTradingSessionById, lastSessionDrivenBy, listTradingSessionsByUser, type TradingSessionRow } from "@/lib/db/queries/sessions";
import { withUser, type Claims } from "@/lib/db/rls";
import { createToolRuntime, ToolError, type TradingContext } from "@/lib/trading/tools";
import { createCalculateTool } from "@/lib/trading/tools/calculate";
import { toToolError } from "@/lib/trading/tools/errors";
import { createGetBarsTool } from "@/lib/trading/tools/get-bars";
import { createGetIndicatorsTool } from "@/lib/trading/tools/get-indicators";
import { createGetOptionChainTool } from "@/lib/trading/tools/get-option-chain";
import { createGetOptionQuoteTool } from "@/lib/trading/tools/get-option-quote";
import { createGetOrdersTool } from "@/lib/trading/tools/get-orders";
import { createGetPortfolioTool } from "@/lib/trading/tools/get-portfolio";
import { createGetQuoteTool } from "@/lib/trading/tools/get-quote";
import { parseToolInput } from "@/lib/trading/tools/schemas";
import { createSearchNewsTool } from "@/lib/trading/tools/search-news";
import { sessionClockOf, sessionContextIn } from "./session-at-clock";
import type { UserContext } from "./context";
import { assertId } from "./ids";
import { callTurnTool, endTurn, notExternal, readInTurn, type TurnActor, type TurnEnded } from "./sessions/external-turn";
import { createSession, parseSessionInput, type SessionServiceDeps } from "./sessions/create";
import { getStartDefaults } from "./session-view";
import { advanceInputSchema, startSessionInputSchema } from "@/lib/schemas/outside-session";
import type { SessionJobs } from "@/lib/jobs/session-jobs";
import { AppError, notFound } from "@/lib/errors";

/**
 * An OUTSIDE AGENT (docs/mcp.md): a program holding a model API token, acting as that token's model of that
 * token's user, in the token's session when it is bound to one. Every call re-reads the session as the user (row-level
 * security, and the owner and the model in the WHERE), builds a trading context at the session's clock in that one
 * short transaction, and runs the same tool factories the in-process agent runs. Nothing here reads an identity,
 * a session or a time from a tool's input: the contract has no field for them.
 *
 * What an outside agent may do:
 * - in a session an outside agent drives (driver "external": start_session, or POST /api/v1/sessions with it), every
 *   session tool at the session's turn, trades and orders included, and end_turn: lib/services/sessions/external-turn.ts
 *   (each call one transaction under the session row's lock, recorded as the bar's decision).
 * - in a session its model runs: the read tools (get_quote, get_bars, get_indicators, get_portfolio, get_orders,
 *   search_news, get_option_chain, get_option_quote) at the session's clock; every tool that changes the book (BOOK_TOOL_NAMES) and end_turn answer
 *   SESSION_NOT_EXTERNAL (its runner owns the book in process).
 * - an unbound token: calculate, the list of its model's sessions, start_session; then it acts in the session it
 *   started (the last one); before that every session tool answers NO_SESSION.
 */

/** Who the agent is: from its token only (authenticateModelToken). */
export interface OutsideAgent {
  userId: string;
  modelId: string;
  /** The one session the token acts in; null: the token is not bound to a session. */
  sessionId: string | null;
  claims: Claims;
  /** The model API token acting (it drives the sessions it starts); null: the session's owner with their own token. */
  tokenId: string | null;
}

export interface AgentCallOptions {
  db?: Db;
  /** The caller's id of this call (the MCP request id); a fresh one when absent. */
  toolCallId?: string;
  abortSignal?: AbortSignal;
  /** Where a turn's idle timeout is queued (a call that opens a resumed session's turn). */
  jobs?: SessionJobs;
}

const SESSION_READ_TOOLS = {
  get_quote: createGetQuoteTool,
  get_bars: createGetBarsTool,
  get_indicators: createGetIndicatorsTool,
  get_portfolio: createGetPortfolioTool,
  get_orders: createGetOrdersTool,
  search_news: createSearchNewsTool,
  get_option_chain: createGetOptionChainTool,
  get_option_quote: createGetOptionQuoteTool,
} as const satisfies Partial<Record<ToolName, unknown>>;
type SessionReadTool = keyof typeof SESSION_READ_TOOLS;

const NO_SESSION_WORDS =
  "this API token is not bound to a session, so there is no session, clock or portfolio to act on; create a token bound to one of the model's sessions on the model's page (the resource bullpen://sessions lists them)";

/**
 * Calls one contract tool as `agent`. Answers the tool's output, or throws the ToolError ("CODE: message") a model
 * in process would see for the same call: unknown tools, arguments outside the contract (INVALID_ARGUMENTS, checked
 * before anything runs), a session that is not the token's (NOT_FOUND, like a missing one), and what the tool throws.
 */
export async function callAgentTool(agent: OutsideAgent, name: string, input: unknown, options: AgentCallOptions = {}): Promise<unknown> {
  try {
    return await callTool(agent, name, input, options);
  } catch (err) {
    throw toToolError(err, name);
  }
}

async function callTool(agent: OutsideAgent, name: string, input: unknown, options: AgentCallOptions): Promise<unknown> {
  if (!isToolName(name)) throw new ToolError("UNKNOWN_TOOL", `there is no tool named "${name.slice(0, 80)}"; the tools are ${TOOL_NAMES.join(", ")}`);
  const rt = createToolRuntime();
  const execOptions = executionOptions(options.toolCallId, options.abortSignal);
  if (name === "calculate") return createCalculateTool(rt).execute!(parseToolInput("calculate", input), execOptions);
  parseToolInput(name, input); // the contract's words for wrong arguments, before the session is even read
  const sessionId = await agentSessionId(agent, options.db);
  if (!sessionId) throw new ToolError("NO_SESSION", `${name}: ${NO_SESSION_WORDS}; nothing was done`);
  const session = await withUser(agent.claims, (tx) => agentSession(tx, agent, sessionId), options.db ?? getDb());
  const bookTool = isBookToolName(name);
  if (session.driver === "external") {
    // The agent's turn (external-turn.ts): every call is recorded on the turn at the cursor, under the row's lock.
    if (session.status === "running" || session.status === "pending" || bookTool) {
      return callTurnTool(actorOf(agent), sessionId, name, input, { db: options.db, jobs: options.jobs, toolCallId: options.toolCallId });
    }
  } else if (bookTool) {
    throw notExternal(session, name);
  }
  const build = SESSION_READ_TOOLS[name as SessionReadTool];
  return withUser(
    agent.claims,
    async (tx) => {
      const ctx = await agentContext(tx, agent, sessionId);
      return build(ctx, rt).execute!(input as never, execOptions);
    },
    options.db ?? getDb(),
  );
}

const actorOf = (agent: OutsideAgent): TurnActor => ({ userId: agent.userId, modelId: agent.modelId, claims: agent.claims, tokenId: agent.tokenId });

/**
 * The session an agent acts in: its token's (bound), or else the last session its token started (start_session: an
 * unbound token drives the session it starts); null when neither.
 */
async function agentSessionId(agent: OutsideAgent, db: Db = getDb()): Promise<string | null> {
  if (agent.sessionId) return agent.sessionId;
  if (!agent.tokenId) return null;
  const driven = await withUser(agent.claims, (tx) => lastSessionDrivenBy(tx, { userId: agent.userId, modelId: agent.modelId, tokenId: agent.tokenId! }), db);
  return driven?.id ?? null;
}

/** What a tool's execute is given when no model loop calls it: the call's id (trades key their orders by it) and the signal. */
function executionOptions(toolCallId: string = randomUUID(), abortSignal?: AbortSignal): ToolExecutionOptions<never> {
  return { toolCallId, messages: [], abortSignal, context: undefined as never };
}

/** The agent's session, read as its user: another user's, another model's, a missing one or an id that is no UUID are all NOT_FOUND. */
async function agentSession(tx: Tx, agent: OutsideAgent, sessionId: string): Promise<TradingSessionRow> {
  assertId(sessionId, "Trading session");
  const session = await getTradingSessionById(tx, { id: sessionId, userId: agent.userId });
  if (!session || session.modelId !== agent.modelId) throw notFound("Trading session");
  return session;
}

async function agentContext(tx: Tx, agent: OutsideAgent, sessionId: string): Promise<TradingContext> {
  // (A running session an outside agent drives is read at its turn: callTurnTool, readInTurn.)
  const session = await agentSession(tx, agent, sessionId);
  const clock = sessionClockOf(session);
  if (!clock) throw new ToolError("SESSION_HAS_NO_BARS", "this session has no bars, so there is no clock to answer at", "conflict");
  return sessionContextIn(tx, {
    userId: agent.userId,
    claims: agent.claims,
    modelId: agent.modelId,
    sessionId: session.id,
    interval: session.interval,
    universe: session.symbols,
    clock,
    settings: session.settings,
  });
}

/**
 * The owner of a session acting as its model (the REST routes with a user's own token): the session read as the user;
 * another user's, or an id that is no UUID, is NOT_FOUND like a missing one.
 */
export async function ownerAsAgent(ctx: UserContext, sessionId: string, db: Db = getDb()): Promise<OutsideAgent> {
  assertId(sessionId, "Trading session");
  const session = await withUser(ctx.claims, (tx) => getTradingSessionById(tx, { id: sessionId, userId: ctx.userId }), db);
  if (!session) throw notFound("Trading session");
  return { userId: ctx.userId, claims: ctx.claims, modelId: session.modelId, sessionId: session.id, tokenId: null };
}

/**
 * A model token's agent in session `sessionId` (the REST routes, where the path names the session): the token's own
 * session when it is bound to one, else any session of its model. Another session, another model's or user's, or an
 * id that is no UUID: NOT_FOUND like a missing one, checked here before the route does anything else.
 */
export async function agentInSession(agent: OutsideAgent, sessionId: string, db: Db = getDb()): Promise<OutsideAgent> {
  if (agent.sessionId !== null && agent.sessionId !== sessionId) throw notFound("Trading session");
  const session = await withUser(agent.claims, (tx) => agentSession(tx, agent, sessionId), db);
  return { ...agent, sessionId: session.id };
}

// ---- What an agent may read besides the tools (MCP resources) ---------------------------------------

/** A session as an outside agent sees it: where its clock stands, how far it has run. */
export function agentSessionSummary(s: TradingSessionRow) {
  return {
    id: s.id,
    label: s.label,
    kind: s.kind,
    interval: s.interval,
    status: s.status,
    clock: agentClockOf(s)?.toISOString() ?? null,
    progress: { done: s.cursor, total: s.totalBars },
    symbols: s.symbols,
    llm: s.llm,
    driver: s.driver,
    /** A session an outside agent drives, still running: its turn stands at this bar until end_turn. */
    turn: s.driver === "external" && isOpen(s) ? { bar: s.cursor } : null,
  };
}

const isOpen = (s: Pick<TradingSessionRow, "status" | "cursor" | "totalBars">) => (s.status === "running" || s.status === "pending") && s.cursor < s.totalBars;

/** Where an agent's tools answer: a running external session at its turn (the bar of its cursor); any other at its reader clock. */
function agentClockOf(s: TradingSessionRow): Date | null {
  if (s.driver === "external" && isOpen(s)) return new Date(s.schedule[s.cursor]!);
  return sessionClockOf(s);
}

export interface AgentSessionState {
  session: ReturnType<typeof agentSessionSummary>;
  /** get_portfolio at the session's clock; null when the session has no bars yet. */
  portfolio: PortfolioOutput | null;
}

/** The token's session: its status, clock and progress, and its portfolio at the clock (the resource bullpen://session). */
export async function readAgentSessionState(agent: OutsideAgent, db: Db = getDb()): Promise<AgentSessionState> {
  const sessionId = await agentSessionId(agent, db);
  if (!sessionId) throw new ToolError("NO_SESSION", NO_SESSION_WORDS);
  return withUser(
    agent.claims,
    async (tx) => {
      const session = await agentSession(tx, agent, sessionId);
      if (session.driver === "external" && session.status === "running" && session.cursor < session.totalBars) {
        const portfolio = (await readInTurn(actorOf(agent), sessionId, async (ctx) => (await createGetPortfolioTool(ctx, createToolRuntime()).execute!({}, executionOptions())) as unknown, db)) as PortfolioOutput;
        return { session: agentSessionSummary(session), portfolio };
      }
      if (!sessionClockOf(session)) return { session: agentSessionSummary(session), portfolio: null };
      const ctx = await agentContext(tx, agent, sessionId);
      const portfolio = (await createGetPortfolioTool(ctx, createToolRuntime()).execute!({}, executionOptions())) as PortfolioOutput;
      return { session: agentSessionSummary(session), portfolio };
    },
    db,
  );
}

export const AGENT_SESSIONS_LIMIT = 100;

/** The token's model's sessions, newest first (at most AGENT_SESSIONS_LIMIT): the resource bullpen://sessions. */
export async function listAgentSessions(agent: OutsideAgent, db: Db = getDb()) {
  return withUser(
    agent.claims,
    async (tx) => {
      const rows = await listTradingSessionsByUser(tx, { userId: agent.userId, modelId: agent.modelId, limit: AGENT_SESSIONS_LIMIT });
      return { boundTo: agent.sessionId, sessions: rows.map(agentSessionSummary) };
    },
    db,
  );
}

// ---- Sessions an outside agent drives (docs/sessions.md, "Sessions an outside agent drives") ---------------

export interface DriveDeps {
  db?: Db;
  jobs: SessionJobs;
  concurrencyPerUser?: number;
  /** Sessions a user may start per window (default: the app's); null: none. */
  sessionLimit?: SessionServiceDeps["sessionLimit"];
}

/** A schema's issues as a tool's INVALID_ARGUMENTS, in the words of the in-process tools. */
function invalidArguments(name: string, issues: string[]): ToolError {
  return new ToolError("INVALID_ARGUMENTS", `${name} does not take these arguments (${issues.slice(0, 5).join("; ")}); nothing was done`);
}

/**
 * start_session: a backtest of the token's model that the token drives (driver "external"), checked as every session
 * request is (lib/schemas/session.ts, then the market data), the range defaulting to the Start dialog's suggestion.
 * Only for a token bound to no session, and one session at a time per token. Answers the session's state.
 */
export async function startAgentSession(agent: OutsideAgent, input: unknown, deps: DriveDeps): Promise<AgentSessionState> {
  const parsed = startSessionInputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw invalidArguments("start_session", parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "the arguments"}: ${i.code === "unrecognized_keys" ? `unknown field(s) ${i.keys.join(", ")}` : i.message}`));
  }
  if (!agent.tokenId) throw new ToolError("NO_TOKEN", "start_session: only a model API token starts a session it drives; as the owner, POST /api/v1/sessions with \"driver\": \"external\"; nothing was done", "reject");
  if (agent.sessionId) {
    throw new ToolError("TOKEN_BOUND", `start_session: this API token is bound to session ${agent.sessionId} and acts only there; create a token bound to no session on the model's page to start sessions; nothing was done`, "conflict");
  }
  const db = deps.db ?? getDb();
  const current = await withUser(agent.claims, (tx) => lastSessionDrivenBy(tx, { userId: agent.userId, modelId: agent.modelId, tokenId: agent.tokenId! }), db);
  if (current && ["queued", "pending", "running", "paused"].includes(current.status)) {
    throw new ToolError(
      "SESSION_IN_PROGRESS",
      `start_session: this token already drives session ${current.id} (${current.status}, bar ${current.cursor} of ${current.totalBars}); end its turns to its last bar, or have its owner cancel it, before starting another; nothing was done`,
      "conflict",
    );
  }
  const { interval = "day", start, end, ...rest } = parsed.data;
  let range = { start, end };
  if (!start || !end) {
    const suggested = (await getStartDefaults(db)).backtest[interval];
    range = { start: start ?? suggested?.start, end: end ?? suggested?.end };
  }
  const request = { kind: "backtest", modelId: agent.modelId, interval, ...range, ...rest, driver: "external" };
  try {
    const session = await createSession({ userId: agent.userId, claims: agent.claims }, parseSessionInput(request), { ...deps, db, driverTokenId: agent.tokenId });
    return readAgentSessionState({ ...agent, sessionId: session.id }, db);
  } catch (err) {
    if (err instanceof AppError && err.code === "VALIDATION_FAILED") {
      const fields = Object.entries(err.fieldErrors).map(([k, v]) => `${k}: ${v}`);
      throw invalidArguments("start_session", fields.length > 0 ? fields : [err.message]);
    }
    if (err instanceof AppError && !(err instanceof ToolError)) throw new ToolError(err.code, `start_session: ${err.message}; nothing was done`, err.kind);
    throw err;
  }
}

/** end_turn (and REST advance): ends the agent's turn in the session it drives; its state after. */
export async function endAgentTurn(agent: OutsideAgent, deps: Omit<DriveDeps, "sessionLimit"> & { expectBar?: number }): Promise<TurnEnded> {
  const db = deps.db ?? getDb();
  const sessionId = await agentSessionId(agent, db);
  if (!sessionId) throw new ToolError("NO_SESSION", `end_turn: ${NO_SESSION_WORDS}; nothing was done`);
  const session = await withUser(agent.claims, (tx) => agentSession(tx, agent, sessionId), db);
  if (session.driver !== "external") throw notExternal(session, "end_turn");
  return endTurn(actorOf(agent), sessionId, { ...deps, db });
}

// ---- The same over REST (docs/api.md, "MCP and sessions as an agent") ------------------------------------

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,160}$/;

/** A REST caller's `Idempotency-Key` (1–160 printable ASCII characters), or a 400 in words. */
function restCallId(key: string | null): string | undefined {
  if (key === null) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) throw new ToolError("INVALID_ARGUMENTS", "Idempotency-Key must be 1 to 160 printable ASCII characters without spaces; nothing was done");
  return key;
}

/** Fields of the body the tool's contract does not name: refused over REST (the tools drop them in process). */
function refuseUnknownFields(name: "place_order" | "place_option_order", body: unknown): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ToolError("INVALID_ARGUMENTS", `${name} takes a JSON object (the order contract: docs/api.md); nothing was done`);
  }
  const known = new Set(Object.keys(toolInputSchemas[name].shape));
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new ToolError("INVALID_ARGUMENTS", `${name} does not take these arguments (unknown field(s): ${unknown.slice(0, 10).join(", ")}); nothing was done`);
}

/**
 * POST /api/v1/sessions/:id/orders: place_order as the agent, keyed by the caller's Idempotency-Key; a body with a
 * `positionIntent` is an option order (Alpaca's shape), place_option_order.
 */
export async function placeOrderAsAgent(agent: OutsideAgent, body: unknown, { idempotencyKey, ...options }: AgentCallOptions & { idempotencyKey: string | null }) {
  const name = typeof body === "object" && body !== null && "positionIntent" in body ? "place_option_order" : "place_order";
  refuseUnknownFields(name, body);
  return callAgentTool(agent, name, body, { ...options, toolCallId: restCallId(idempotencyKey) }) as Promise<{ orderId: string | null; duplicate?: boolean }>;
}

/** DELETE /api/v1/sessions/:id/orders/:orderId: cancel_order as the agent. */
export async function cancelOrderAsAgent(agent: OutsideAgent, orderId: string, { idempotencyKey, ...options }: AgentCallOptions & { idempotencyKey: string | null }) {
  return callAgentTool(agent, "cancel_order", { orderId }, { ...options, toolCallId: restCallId(idempotencyKey) });
}

/** POST /api/v1/sessions/:id/advance: end_turn, optionally only the turn at `bar`. */
export async function advanceAsAgent(agent: OutsideAgent, body: unknown, deps: Omit<DriveDeps, "sessionLimit">): Promise<TurnEnded> {
  const parsed = advanceInputSchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ToolError("INVALID_ARGUMENTS", `advance does not take these arguments (${parsed.error.issues.map((i) => `${i.path.join(".") || "the body"}: ${i.code === "unrecognized_keys" ? `unknown field(s) ${i.keys.join(", ")}` : i.message}`).join("; ")}); nothing was done`);
  }
  return endAgentTurn(agent, { ...deps, expectBar: parsed.data.bar });
}

/**
 * POST /api/v1/sessions with a model API token: the session request of the API (docs/api.md), which for a token must
 * be a backtest of its own model (`modelId` left out or the token's) with `driver: "external"`; then as start_session.
 * Answers the session's row.
 */
export async function startSessionAsAgent(agent: OutsideAgent, body: unknown, deps: DriveDeps): Promise<TradingSessionRow> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ToolError("INVALID_ARGUMENTS", "a model API token starts one session, as a JSON object (docs/api.md); nothing was done");
  }
  const { kind, modelId, driver, ...rest } = body as Record<string, unknown>;
  const wrong = [
    kind !== "backtest" && 'kind: a model API token starts backtests ("kind": "backtest")',
    driver !== "external" && 'driver: a model API token starts sessions it drives ("driver": "external")',
    modelId !== undefined && modelId !== agent.modelId && "modelId: a model API token starts sessions of its own model only (leave modelId out)",
  ].filter((w): w is string => typeof w === "string");
  if (wrong.length > 0) throw invalidArguments("POST /api/v1/sessions", wrong);
  const state = await startAgentSession(agent, rest, deps);
  const db = deps.db ?? getDb();
  return (await withUser(agent.claims, (tx) => getTradingSessionById(tx, { id: state.session.id, userId: agent.userId }), db))!;
}
