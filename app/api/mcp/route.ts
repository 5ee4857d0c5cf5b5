import { handleMcpRequest, mcpMethodNotAllowed } from "@/lib/mcp/handler";

/** The MCP server for outside agents (Streamable HTTP, stateless; docs/mcp.md). Authenticated by a model API token. */
export const dynamic = "force-dynamic";

export const POST = (req: Request) => handleMcpRequest(req);
export const GET = mcpMethodNotAllowed;
export const DELETE = mcpMethodNotAllowed;
