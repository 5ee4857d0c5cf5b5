import { asSessionAgent } from "@/lib/api/agent-auth";
import { otherMethods, parseQuery } from "@/lib/api/respond";
import { pageQuerySchema } from "@/lib/schemas/session";
import { listSessionOrders } from "@/lib/services/sessions/read";
import { type Params } from "../../_shared";

/**
 * Orders in placement order, each with its fills; ?offset=&limit= (≤ 5000, default 500). As the owner, or as the
 * session's model with a model API token (docs/api.md, "MCP and sessions as an agent").
 */
export const GET = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return asSessionAgent(req, id, async (agent) => {
    const page = parseQuery(req, pageQuerySchema);
    return Response.json({ orders: await listSessionOrders({ userId: agent.userId, claims: agent.claims }, id, page) });
  });
};

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
