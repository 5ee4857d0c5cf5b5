import "server-only";
import { randomUUID } from "node:crypto";
import type { ToolExecutionOptions } from "ai";
import {
  isBookToolName,
  isToolName,
  TOOL_NAMES,
  type PortfolioOutput,
  type ToolName,
} from "@/lib/agent/tool-contract";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import { getTradingSessionById, listTradingSessionsByUser, type TradingSessionRow } from "@/lib/db/queries/sessions";
import { withUser, type Claims } from "@/lib/db/rls";
import { createToolRuntime, ToolError, type TradingContext } from "@/lib/trading/tools";
import { createCalculateTool } from "@/lib/trading/tools/calculate";
import { toToolError } from "@/lib/trading/tools/errors";
import { createGetBarsTool } from "@/lib/trading/tools/get-bars";
import { createGetIndicatorsTool } from "@/lib/trading/tools/get-indicators";
import { createGetOrdersTool } from "@/lib/trading/tools/get-orders";
import { createGetPortfolioTool } from "@/lib/trading/tools/get-portfolio";
import { createGetQuoteTool } from "@/lib/trading/tools/get-quote";
import { parseToolInput } from "@/lib/trading/tools/schemas";
import { createSearchNewsTool } from "@/lib/trading/tools/search-news";
import { sessionClockOf, sessionContextIn } from "./session-at-clock";
import type { UserContext } from "./context";
import { assertId } from "./ids";
import { notFound } from "@/lib/errors";

/**
 * An OUTSIDE AGENT (docs/mcp.md): a program holding a model API token, acting as that token's model of that
 * token's user, in the token's session when it is bound to one. Every call re-reads the session as the user (row-level
 * security, and the owner and the model in the WHERE), builds a trading context at the session's clock in that one
 * short transaction, and runs the same tool factories the in-process agent runs. Nothing here reads an identity,
 * a session or a time from a tool's input: the contract has no field for them.
 *
 * What an outside agent may do today:
 * - bound token: the read tools (get_quote, get_bars, get_indicators, get_portfolio, get_orders, search_news) on its session
 *   at the session's clock; calculate; the session's state. The trade and order tools (buy, sell, short, cover,
 *   place_order, cancel_order, replace_order, close_position, reduce_position, close_all_positions: every tool that
 *   changes the book, BOOK_TOOL_NAMES) answer SESSION_NOT_EXTERNAL: a session is
 *   traded by the model that runs it in process (its runner owns the book), and sessions an outside agent drives
 *   come with issue #25 item 3.
 * - unbound token: calculate and the list of its model's sessions; every session tool answers NO_SESSION.
 */

/** Who the agent is: from its token only (authenticateModelToken). */
export interface OutsideAgent {
  userId: string;
  modelId: string;
  /** The one session the token acts in; null: the token is not bound to a session. */
  sessionId: string | null;
  claims: Claims;
}

export interface AgentCallOptions {
  db?: Db;
  /** The caller's id of this call (the MCP request id); a fresh one when absent. */
  toolCallId?: string;
  abortSignal?: AbortSignal;
}

const SESSION_READ_TOOLS = {
  get_quote: createGetQuoteTool,
  get_bars: createGetBarsTool,
  get_indicators: createGetIndicatorsTool,
  get_portfolio: createGetPortfolioTool,
  get_orders: createGetOrdersTool,
  search_news: createSearchNewsTool,
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
  const sessionId = agent.sessionId;
  if (!sessionId) throw new ToolError("NO_SESSION", `${name}: ${NO_SESSION_WORDS}; nothing was done`);
  if (isBookToolName(name)) {
    const session = await withUser(agent.claims, (tx) => agentSession(tx, agent, sessionId), options.db ?? getDb());
    throw new ToolError(
      "SESSION_NOT_EXTERNAL",
      `${name} cannot place orders in this session: it is traded by its own model (${session.llm}) in process, and only a session driven by an outside agent takes orders from one (not available yet); nothing was done`,
      "conflict",
    );
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
  return { userId: ctx.userId, claims: ctx.claims, modelId: session.modelId, sessionId: session.id };
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
    clock: sessionClockOf(s)?.toISOString() ?? null,
    progress: { done: s.cursor, total: s.totalBars },
    symbols: s.symbols,
    llm: s.llm,
    driver: "model" as const,
  };
}

export interface AgentSessionState {
  session: ReturnType<typeof agentSessionSummary>;
  /** get_portfolio at the session's clock; null when the session has no bars yet. */
  portfolio: PortfolioOutput | null;
}

/** The token's session: its status, clock and progress, and its portfolio at the clock (the resource bullpen://session). */
export async function readAgentSessionState(agent: OutsideAgent, db: Db = getDb()): Promise<AgentSessionState> {
  const sessionId = agent.sessionId;
  if (!sessionId) throw new ToolError("NO_SESSION", NO_SESSION_WORDS);
  return withUser(
    agent.claims,
    async (tx) => {
      const session = await agentSession(tx, agent, sessionId);
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
