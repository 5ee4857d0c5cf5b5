import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { apiError, fromError } from "@/lib/api/respond";
import type { Db } from "@/lib/db/client";
import { readJsonBody } from "@/lib/json-body";
import { modelTokenAgent } from "@/lib/api/agent-auth";
import type { RateLimit } from "@/lib/rate-limit";
import { lazySessionJobs } from "@/lib/jobs/boss";
import type { SessionJobs } from "@/lib/jobs/session-jobs";
import { createAgentMcpServer } from "./server";

export interface McpHandlerOptions {
  db?: Db;
  /** The per-token limit (default: the app's, RATE_LIMIT_MODEL_TOKEN_PER_MINUTE); null: none. */
  limit?: RateLimit | null;
  /** Where turns' timeouts are queued (default: the web process's sender, started on first use). */
  jobs?: SessionJobs;
}

/**
 * POST /api/mcp (docs/mcp.md): Streamable HTTP, stateless. Every request is authenticated on its own by its model token
 * (a revoked or expired token is refused at once: 401, before the body is read and before anything runs), counted
 * against the token's rate limit, and answered by a server built for that token's identity alone, in JSON.
 */
export async function handleMcpRequest(req: Request, options: McpHandlerOptions = {}): Promise<Response> {
  const agent = await modelTokenAgent(req, options);
  if (agent instanceof Response) return agent;
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (err) {
    return fromError(err);
  }
  const server = createAgentMcpServer(agent, { db: options.db, jobs: options.jobs ?? lazySessionJobs() });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    return await transport.handleRequest(req, { parsedBody: body });
  } catch (err) {
    return fromError(err);
  } finally {
    void server.close();
  }
}

/** GET and DELETE /api/mcp: this server keeps no MCP session and sends no server-initiated stream. */
export function mcpMethodNotAllowed(req: Request): Response {
  const res = apiError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on /api/mcp: this MCP server is stateless, use POST`);
  res.headers.set("Allow", "POST");
  return res;
}
