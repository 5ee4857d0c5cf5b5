import { asUser, jsonBody, otherMethods, parseQuery } from "@/lib/api/respond";
import { getSessionJobs } from "@/lib/jobs/boss";
import { sessionListQuerySchema } from "@/lib/schemas/session";
import { createSession, createSessions, parseSessionInput } from "@/lib/services/sessions/create";
import { listSessions, sessionJson } from "@/lib/services/sessions/read";
import { asModelToken, isModelToken } from "@/lib/api/agent-auth";
import { startSessionAsAgent } from "@/lib/services/outside-agent";

export const GET = (req: Request) =>
  asUser(req, async (ctx) => Response.json({ sessions: await listSessions(ctx, parseQuery(req, sessionListQuerySchema)) }));

/**
 * Starts a session: 202, it runs on a worker; follow it with GET /:id or the /:id/events stream. An array of
 * requests starts them all or none (`{sessions}`, in order; an error names the request it is about).
 */
export const POST = (req: Request) => (isModelToken(req) ? startAsModelToken(req) : startAsUser(req));

/**
 * With a model API token: one backtest of the token's model that the token drives (`driver: "external"`; docs/api.md,
 * "MCP and sessions as an agent"), as MCP start_session.
 */
const startAsModelToken = (req: Request) =>
  asModelToken(req, async (agent) => {
    const session = await startSessionAsAgent(agent, await jsonBody(req), { jobs: await getSessionJobs() });
    return Response.json({ session: sessionJson(session) }, { status: 202, headers: { location: `/api/v1/sessions/${session.id}` } });
  });

const startAsUser = (req: Request) =>
  asUser(req, async (ctx) => {
    const body = await jsonBody(req);
    const deps = { jobs: await getSessionJobs() };
    if (Array.isArray(body)) {
      const sessions = await createSessions(ctx, body, deps, { indexErrors: true });
      return Response.json({ sessions: sessions.map((s) => sessionJson(s)) }, { status: 202 });
    }
    const session = await createSession(ctx, parseSessionInput(body), deps);
    return Response.json({ session: sessionJson(session) }, { status: 202, headers: { location: `/api/v1/sessions/${session.id}` } });
  });

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
