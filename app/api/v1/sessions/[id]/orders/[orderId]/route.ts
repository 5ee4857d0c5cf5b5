import { asSessionAgent } from "@/lib/api/agent-auth";
import { otherMethods } from "@/lib/api/respond";
import { lazySessionJobs } from "@/lib/jobs/boss";
import { cancelOrderAsAgent } from "@/lib/services/outside-agent";

type Params = { params: Promise<{ id: string; orderId: string }> };

/**
 * cancel_order over REST, as the session's model (a model API token, or the owner), in a session an outside agent
 * drives (docs/api.md, "MCP and sessions as an agent"): the tool's answer, or its error with its status.
 */
export const DELETE = async (req: Request, { params }: Params) => {
  const { id, orderId } = await params;
  return asSessionAgent(req, id, async (agent) =>
    Response.json(await cancelOrderAsAgent(agent, orderId, { idempotencyKey: req.headers.get("idempotency-key"), jobs: lazySessionJobs() })),
  );
};

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
