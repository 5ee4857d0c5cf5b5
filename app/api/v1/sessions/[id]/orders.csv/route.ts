import { z } from "zod";
import { asUser, otherMethods, parseQuery } from "@/lib/api/respond";
import { sessionOrdersCsv } from "@/lib/services/sessions/read";
import { type Params } from "../../_shared";

/** Every order of the session with its fill, as a CSV download (docs/api.md). */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    parseQuery(req, z.object({}).strict());
    const id = (await params).id;
    return new Response(await sessionOrdersCsv(ctx, id), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="bullpen-session-${id.slice(0, 8)}-orders.csv"` },
    });
  });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
