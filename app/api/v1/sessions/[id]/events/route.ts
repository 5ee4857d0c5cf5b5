import { z } from "zod";
import { asUser, otherMethods, parseQuery } from "@/lib/api/respond";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getEventHub } from "@/lib/services/sessions/event-hub";
import { openSessionEventStream, parseLastEventId } from "@/lib/services/sessions/event-stream";
import { type Params } from "../../_shared";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Server-Sent Events of one of your sessions: every status change, decision, order, fill and equity
 * point, `id:` = its seq. Resume with the `Last-Event-ID` header (EventSource sends it) or `?lastEventId=`.
 */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    const query = parseQuery(req, z.object({ lastEventId: z.string().optional() }).strict());
    const lastSeq = parseLastEventId(req.headers.get("last-event-id") ?? query.lastEventId ?? null);
    const stream = await openSessionEventStream(ctx, (await params).id, {
      lastSeq,
      signal: req.signal,
      hub: getEventHub(env.DATABASE_URL!),
      db: getDb(),
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
