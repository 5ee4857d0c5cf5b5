import { asUser, otherMethods } from "@/lib/api/respond";
import { getSessionJobs } from "@/lib/jobs/boss";
import { rerunSession } from "@/lib/services/sessions/create";
import { sessionJson } from "@/lib/services/sessions/read";
import { expectNoBody, type Params } from "../../_shared";

/** Runs the session again as a new one: 202 like POST /api/v1/sessions, with the new session. */
export const POST = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    await expectNoBody(req);
    const session = await rerunSession(ctx, (await params).id, { jobs: await getSessionJobs() });
    return Response.json({ session: sessionJson(session) }, { status: 202, headers: { location: `/api/v1/sessions/${session.id}` } });
  });

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
