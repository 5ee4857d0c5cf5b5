import { z } from "zod";
import { asUser, otherMethods, parseQuery } from "@/lib/api/respond";
import { getSessionEquity } from "@/lib/services/sessions/read";
import { type Params } from "../../_shared";

/** The equity curve (one point per bar) and, once completed, the benchmark's values at the same bars. */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    parseQuery(req, z.object({}).strict());
    return Response.json(await getSessionEquity(ctx, (await params).id));
  });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
