import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { isBookToolName, TOOL_DESCRIPTIONS, TOOL_NAMES } from "@/lib/agent/tool-contract";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { z } from "zod";
import type { SessionJobs } from "@/lib/jobs/session-jobs";
import { END_TURN_DESCRIPTION, endTurnInputSchema, START_SESSION_DESCRIPTION, startSessionInputSchema } from "@/lib/schemas/outside-session";
import { callAgentTool, endAgentTurn, listAgentSessions, readAgentSessionState, startAgentSession, type OutsideAgent } from "@/lib/services/outside-agent";
import { ToolError } from "@/lib/trading/tools";
import { toolSchemas } from "@/lib/trading/tools/schemas";

/**
 * The MCP server of one request (docs/mcp.md): the agent's tools and resources, bound to the token's identity.
 * An adapter, not a second implementation: the tool list is the in-process agent's contract (lib/agent/tool-contract.ts)
 * with the very JSON Schemas its models are shown (the AI SDK's conversion, tools/schemas.ts), and a call runs the same
 * tool factories over a trading context built for the token (lib/services/outside-agent.ts).
 *
 * Tools are served through the SDK's request handlers rather than `McpServer.registerTool`: registerTool checks the
 * arguments itself before the tool runs and refuses them in its own words ("Input validation error: …"), while a model
 * in process reads the tool's own refusal (INVALID_ARGUMENTS naming the field). Here the tool checks them, so a client
 * reads the same words as a model in process, as an `isError` result.
 */

export const MCP_SERVER_INFO = { name: "bullpen", version: "0.1.0" } as const;
export const SESSION_RESOURCE = "bullpen://session";
export const SESSIONS_RESOURCE = "bullpen://sessions";

const DESTRUCTIVE = new Set(["cancel_order", "replace_order", "close_position", "reduce_position", "close_all_positions"]);

/** The contract's tools as MCP tools: name, description, input JSON Schema. Made once per process. */
let listed: Promise<Tool[]> | undefined;
export function contractTools(): Promise<Tool[]> {
  listed ??= Promise.all(
    TOOL_NAMES.map(async (name) => ({
      name,
      description: TOOL_DESCRIPTIONS[name],
      inputSchema: (await toolSchemas[name].jsonSchema) as Tool["inputSchema"],
      // Every tool that changes the session's book (orders, cancels, replaces, closes) is not read-only; cancelling,
      // replacing and closing end what was there before.
      annotations: { readOnlyHint: !isBookToolName(name), destructiveHint: DESTRUCTIVE.has(name), openWorldHint: false },
    })),
  );
  return listed;
}

/** The tools of sessions an outside agent drives (not a model's in process: it never starts a session or ends a bar). */
export const DRIVE_TOOLS: Tool[] = [
  {
    name: "start_session",
    description: START_SESSION_DESCRIPTION,
    inputSchema: z.toJSONSchema(startSessionInputSchema) as Tool["inputSchema"],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
  },
  {
    name: "end_turn",
    description: END_TURN_DESCRIPTION,
    inputSchema: z.toJSONSchema(endTurnInputSchema) as Tool["inputSchema"],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
  },
];

/** The client's idempotency id of a call (MCP request ids restart with every connection): `_meta["bullpen/idempotencyKey"]`. */
export const IDEMPOTENCY_META = "bullpen/idempotencyKey";
function idempotencyKeyOf(meta: Record<string, unknown> | undefined): string | undefined {
  const key = meta?.[IDEMPOTENCY_META];
  return typeof key === "string" && key.length > 0 && key.length <= 160 ? key : undefined;
}

function instructionsFor(agent: OutsideAgent): string {
  const where = agent.sessionId
    ? `This connection acts in one trading session (${agent.sessionId}) of one model, at the session's clock: tools never see bars after it.`
    : "This connection's token is bound to no session: start_session starts a backtest you drive (the session tools then act in it, bar by bar, until end_turn at its last bar); before that only calculate and the resource bullpen://sessions (the model's sessions) answer.";
  return `Bullpen, a simulated trading desk. ${where} The token decides who you are and where you act; no tool takes a model, user, session or date. Read ${SESSION_RESOURCE} for the session's status, clock and portfolio.`;
}

const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value, null, 2) }] });

/** A resource read refused: the error's words, as an MCP error (resources have no isError result). */
function resourceError(err: unknown): never {
  if (err instanceof AppError) throw new McpError(err.kind === "not_found" ? -32002 : ErrorCode.InvalidRequest, err.message);
  throw err;
}

export function createAgentMcpServer(agent: OutsideAgent, { db, jobs }: { db?: Db; jobs: SessionJobs }): McpServer {
  const mcp = new McpServer(MCP_SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: instructionsFor(agent) });

  mcp.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [...(await contractTools()), ...DRIVE_TOOLS] }));
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    try {
      const { name, arguments: args = {}, _meta } = request.params;
      const output =
        name === "start_session" ? await startAgentSession(agent, args, { db, jobs })
        : name === "end_turn" ? await endTurnTool(agent, args, { db, jobs })
        : await callAgentTool(agent, name, args, { db, jobs, abortSignal: extra.signal, toolCallId: idempotencyKeyOf(_meta) });
      return { content: [{ type: "text", text: JSON.stringify(output) }], structuredContent: output as Record<string, unknown> };
    } catch (err) {
      // ToolErrors: "CODE: message", the words a model in process reads. Anything else in the API's words.
      const text = err instanceof AppError ? (err.message.startsWith(`${err.code}: `) ? err.message : `${err.code}: ${err.message}`) : err instanceof Error ? err.message : String(err);
      return { content: [{ type: "text", text }], isError: true };
    }
  });

  // A bound token's session, or the one an unbound token drives (the last it started; NO_SESSION before it starts one).
  if (agent.sessionId || agent.tokenId) {
    mcp.registerResource(
      "session",
      SESSION_RESOURCE,
      { title: "This session", description: "The token's session: status, clock, progress, and the portfolio at the clock", mimeType: "application/json" },
      async (uri) => json(uri, await readAgentSessionState(agent, db).catch(resourceError)),
    );
  }
  mcp.registerResource(
    "sessions",
    SESSIONS_RESOURCE,
    { title: "The model's sessions", description: "The sessions of the token's model, newest first, with their status and clock", mimeType: "application/json" },
    async (uri) => json(uri, await listAgentSessions(agent, db).catch(resourceError)),
  );
  return mcp;
}

/** end_turn: no arguments (an unknown field is refused in words, nothing done). */
async function endTurnTool(agent: OutsideAgent, args: unknown, deps: { db?: Db; jobs: SessionJobs }) {
  const parsed = endTurnInputSchema.safeParse(args);
  if (!parsed.success) {
    const keys = parsed.error.issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys : []));
    throw new ToolError("INVALID_ARGUMENTS", `end_turn does not take these arguments (unknown field(s) ${keys.join(", ") || "given"}: it takes none); nothing was done`);
  }
  return endAgentTurn(agent, deps);
}
