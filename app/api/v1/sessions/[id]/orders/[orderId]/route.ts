import { asUser, otherMethods } from "@/lib/api/respond";
import { cancelOrderByUser } from "@/lib/services/sessions/cancel-order";
import { expectNoBody } from "../../../_shared";

type Params = { params: Promise<{ id: string; orderId: string }> };

/**
 * A person cancels a working order of their session (docs/api.md; docs/trading.md, "A person cancels a working
 * order"): 200 `{ order: { id, outcome: "cancelled" } }` when no runner holds the book (paused, pending,
 * queued), 202 `{ order: { id, outcome: "requested" } }` while it runs (the runner cancels it at its next bar).
 * 404 for an unknown or another user's session or order, 409 for an ended order or session.
 */
export const DELETE = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    await expectNoBody(req);
    const { id, orderId } = await params;
    const done = await cancelOrderByUser(ctx, id, orderId);
    return Response.json({ order: { id: done.orderId, outcome: done.outcome } }, { status: done.outcome === "requested" ? 202 : 200 });
  });

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
