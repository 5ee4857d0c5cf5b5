import "server-only";
import { z } from "zod";
import { getRequestUser } from "@/lib/auth/request-user";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import type { UserContext } from "@/lib/services/context";

/** Errors of the HTTP API: `{ error: { code, message, fields? } }`. Internals are logged, never sent. */
export function apiError(status: number, code: string, message: string, fields?: Record<string, string>) {
  return Response.json({ error: { code, message, ...(fields && Object.keys(fields).length ? { fields } : {}) } }, { status });
}

export function fromError(err: unknown): Response {
  if (err instanceof AppError) return apiError(HTTP_STATUS[err.kind], err.code, err.message, err.fieldErrors);
  if (err instanceof z.ZodError) {
    const fields = Object.fromEntries(err.issues.map((i) => [i.path.join(".") || "body", i.message]));
    return apiError(400, "VALIDATION_FAILED", "The request is not valid", fields);
  }
  console.error("[api] unexpected error", err instanceof Error ? err.message : err);
  return apiError(500, "INTERNAL", "Something went wrong on our side; it has been logged");
}

/** Runs `fn` for an authenticated caller; 401 without one; typed errors become JSON with their status. */
export async function asUser(req: Request, fn: (ctx: UserContext) => Promise<Response>): Promise<Response> {
  const user = await getRequestUser(req);
  if (!user) return apiError(401, "UNAUTHENTICATED", "Sign in, or send Authorization: Bearer <access token>");
  try {
    return await fn({ userId: user.id, claims: user.claims });
  } catch (err) {
    return fromError(err);
  }
}

/** The JSON body, or a 400 that says it is not JSON. */
export async function jsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("reject", "INVALID_JSON", "The request body must be JSON");
  }
}
