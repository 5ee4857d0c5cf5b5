import { asUser, jsonBody, otherMethods } from "@/lib/api/respond";
import { getSessionDetail, sessionJson } from "@/lib/services/sessions/read";
import { renameSession } from "@/lib/services/sessions/rename";
import type { Params } from "../_shared";

/** Status, progress {done, total, etaSeconds}, account and metrics (so far, or final with the benchmark). */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => Response.json({ session: await getSessionDetail(ctx, (await params).id) }));

/** `{ "label": "prompt v2" }` renames the session, `{ "label": null }` removes its label; nothing else changes. */
export const PATCH = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => Response.json({ session: sessionJson(await renameSession(ctx, (await params).id, await jsonBody(req))) }));

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
