import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { getSessionJobs } from "@/lib/jobs/boss";
import { controlSession, type SessionAction } from "@/lib/services/sessions/control";
import { sessionJson } from "@/lib/services/sessions/read";
import { asUser } from "@/lib/api/respond";

/** Helpers shared by the /api/v1/sessions routes (docs/api.md, "Sessions"). */

export type Params = { params: Promise<{ id: string }> };

/** The query string parsed with a strict schema: unknown parameters are refused like unknown fields. */
export function parseQuery<T extends z.ZodType>(req: Request, schema: T): z.output<T> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const fields = Object.fromEntries(
      parsed.error.issues.map((i) => [i.path.join(".") || "query", i.code === "unrecognized_keys" ? `unknown parameter(s): ${i.keys.join(", ")}` : i.message]),
    );
    throw new AppError("reject", "VALIDATION_FAILED", "The query string is not valid", fields);
  }
  return parsed.data;
}

/** Control actions take no body: nothing, or an empty JSON object. */
export async function expectNoBody(req: Request): Promise<void> {
  const text = (await req.text()).trim();
  if (text === "") return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("reject", "INVALID_JSON", "The request body must be JSON (or empty)");
  }
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
