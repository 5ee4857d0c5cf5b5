import "server-only";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/json-body";
import { getSessionJobs } from "@/lib/jobs/boss";
import { controlSession, type SessionAction } from "@/lib/services/sessions/control";
import { sessionJson } from "@/lib/services/sessions/read";
import { asUser } from "@/lib/api/respond";

/** Helpers shared by the /api/v1/sessions routes (docs/api.md, "Sessions"). */

export type Params = { params: Promise<{ id: string }> };

/** Control actions take no body: nothing, or an empty JSON object. */
export async function expectNoBody(req: Request): Promise<void> {
  const body = await readJsonBody(req, { allowEmpty: true });
  if (body === undefined) return;
  if (typeof body !== "object" || body === null || Array.isArray(body) || Object.keys(body).length > 0) {
    throw new AppError("reject", "VALIDATION_FAILED", "This action takes no fields", { body: "send no body, or {}" });
  }
}

export const controlRoute = (action: SessionAction) => (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    await expectNoBody(req);
    const session = await controlSession(ctx, (await params).id, action, { jobs: await getSessionJobs() });
    return Response.json({ session: sessionJson(session) });
  });
