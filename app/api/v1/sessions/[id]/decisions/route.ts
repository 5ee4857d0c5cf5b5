import { asUser, otherMethods, parseQuery } from "@/lib/api/respond";
import { decisionPageQuerySchema } from "@/lib/schemas/session";
import { listSessionDecisions } from "@/lib/services/sessions/read";
import { type Params } from "../../_shared";

/** Decisions in clock order (prompt, text, tool calls, outcome); ?offset=&limit= (≤ 5000, default 500), ?show= one kind. */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    const page = parseQuery(req, decisionPageQuerySchema);
    return Response.json({ decisions: await listSessionDecisions(ctx, (await params).id, page) });
  });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
