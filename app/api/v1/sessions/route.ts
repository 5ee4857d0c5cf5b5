import { asUser, jsonBody, otherMethods, parseQuery } from "@/lib/api/respond";
import { getSessionJobs } from "@/lib/jobs/boss";
import { sessionListQuerySchema } from "@/lib/schemas/session";
import { createSession, parseSessionInput } from "@/lib/services/sessions/create";
import { listSessions, sessionJson } from "@/lib/services/sessions/read";

export const GET = (req: Request) =>
  asUser(req, async (ctx) => Response.json({ sessions: await listSessions(ctx, parseQuery(req, sessionListQuerySchema)) }));

/** Starts a session: 202, it runs on a worker; follow it with GET /:id or the /:id/events stream. */
export const POST = (req: Request) =>
  asUser(req, async (ctx) => {
    const input = parseSessionInput(await jsonBody(req));
    const session = await createSession(ctx, input, { jobs: await getSessionJobs() });
    return Response.json({ session: sessionJson(session) }, { status: 202, headers: { location: `/api/v1/sessions/${session.id}` } });
  });

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
