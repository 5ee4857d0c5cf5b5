import { asUser, otherMethods } from "@/lib/api/respond";
import { getSessionDetail } from "@/lib/services/sessions/read";
import type { Params } from "../_shared";

/** Status, progress {done, total, etaSeconds}, account and metrics (so far, or final with the benchmark). */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => Response.json({ session: await getSessionDetail(ctx, (await params).id) }));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
