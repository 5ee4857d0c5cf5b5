import { asSessionAgent, bearerOf } from "@/lib/api/agent-auth";
import { asUser, otherMethods } from "@/lib/api/respond";
import { lazySessionJobs } from "@/lib/jobs/boss";
import { TOKEN_PREFIX } from "@/lib/services/model-tokens";
import { cancelOrderAsAgent } from "@/lib/services/outside-agent";
import { cancelOrderByUser } from "@/lib/services/sessions/cancel-order";
import { expectNoBody } from "../../../_shared";

type Params = { params: Promise<{ id: string; orderId: string }> };

/**
 * Cancels a working order (docs/api.md).
 * - With a model API token: cancel_order as the session's model, in a session an outside agent drives ("MCP and
 *   sessions as an agent"): the tool's answer, or its error with its status.
 * - A person (their JWT or session cookie; docs/trading.md, "A person cancels a working order"): 200
 *   `{ order: { id, outcome: "cancelled" } }` when no runner holds the book (paused, pending, queued), 202
 *   `{ order: { id, outcome: "requested" } }` while it runs (its runner cancels it at its next bar). 404 for an
 *   unknown or another user's session or order, 409 for an ended order or session.
 */
export const DELETE = async (req: Request, { params }: Params) => {
  const { id, orderId } = await params;
  if (bearerOf(req)?.startsWith(TOKEN_PREFIX)) {
    return asSessionAgent(req, id, async (agent) =>
      Response.json(await cancelOrderAsAgent(agent, orderId, { idempotencyKey: req.headers.get("idempotency-key"), jobs: lazySessionJobs() })),
    );
  }
  return asUser(req, async (ctx) => {
    await expectNoBody(req);
    const done = await cancelOrderByUser(ctx, id, orderId);
    return Response.json({ order: { id: done.orderId, outcome: done.outcome } }, { status: done.outcome === "requested" ? 202 : 200 });
  });
};

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
