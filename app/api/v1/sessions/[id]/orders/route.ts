import { asSessionAgent } from "@/lib/api/agent-auth";
import { jsonBody, otherMethods, parseQuery } from "@/lib/api/respond";
import { lazySessionJobs } from "@/lib/jobs/boss";
import { placeOrderAsAgent } from "@/lib/services/outside-agent";
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

/**
 * place_order over REST, as the session's model (a model API token, or the owner), in a session an outside agent
 * drives: the order contract of place_order, keyed by the `Idempotency-Key` header (the same key again answers the
 * same order, `duplicate: true`). 201 with the tool's answer (a rejected order is an answer too); errors as the tool's.
 */
export const POST = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return asSessionAgent(req, id, async (agent) => {
    const placed = await placeOrderAsAgent(agent, await jsonBody(req), { idempotencyKey: req.headers.get("idempotency-key"), jobs: lazySessionJobs() });
    return Response.json(placed, { status: placed.duplicate ? 200 : 201 });
  });
};

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
