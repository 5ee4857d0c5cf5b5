import { asUser, otherMethods, parseQuery } from "@/lib/api/respond";
import { pageQuerySchema } from "@/lib/schemas/session";
import { listSessionOrders } from "@/lib/services/sessions/read";
import { type Params } from "../../_shared";

/** Orders in placement order, each with its fills; ?offset=&limit= (≤ 5000, default 500). */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    const page = parseQuery(req, pageQuerySchema);
    return Response.json({ orders: await listSessionOrders(ctx, (await params).id, page) });
  });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
