import "server-only";
import { z } from "zod";
import { getRequestUser } from "@/lib/auth/request-user";
import { JsonBodyError, readJsonBody } from "@/lib/json-body";
import { AppError, DatabaseUnavailableError, firstLineOf, fromUnknown, HTTP_STATUS, isDatabaseUnavailable, RateLimitedError } from "@/lib/errors";
import type { UserContext } from "@/lib/services/context";

/** Errors of the HTTP API: `{ error: { code, message, fields? } }`. Internals are logged, never sent. */
export function apiError(status: number, code: string, message: string, fields?: Record<string, string>) {
  return Response.json({ error: { code, message, ...(fields && Object.keys(fields).length ? { fields } : {}) } }, { status });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/**
 * Handlers for the methods a route does not have: `405 METHOD_NOT_ALLOWED` with `Allow`, in the API's
 * error shape (Next's own 405 has no body). A route exports them next to its own:
 * `export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");` (naming one of its own is a type error).
 */
export function otherMethods<const A extends Method>(...allowed: A[]): Record<Exclude<Method, A>, (req: Request) => Response> {
  const refuse = (req: Request) => {
    const res = apiError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${new URL(req.url).pathname}: use ${allowed.join(" or ")}`);
    res.headers.set("Allow", allowed.join(", "));
    return res;
  };
  return Object.fromEntries(METHODS.filter((m) => !(allowed as Method[]).includes(m)).map((m) => [m, refuse])) as Record<Exclude<Method, A>, (req: Request) => Response>;
}

/**
 * Any error as the API's answer: ours with the status of its kind (429 and 503 with Retry-After), the database
 * unreachable as 503 DATABASE_UNAVAILABLE (lib/errors.ts fromUnknown), a failed schema as 400; anything else
 * logged and answered 500 without its details.
 */
export function fromError(err: unknown): Response {
  if (!(err instanceof AppError) && isDatabaseUnavailable(err)) {
    console.error(`[api] the database is unavailable: ${firstLineOf(err)}`);
    return fromError(fromUnknown(err));
  }
  if (err instanceof RateLimitedError || err instanceof DatabaseUnavailableError) {
    const res = apiError(HTTP_STATUS[err.kind], err.code, err.message);
    res.headers.set("Retry-After", String(err.retryAfterSeconds));
    return res;
  }
  if (err instanceof JsonBodyError && err.problem === "too_large") return apiError(413, err.code, err.message);
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

/** The JSON body (at most 1 MB of UTF-8, 32 levels deep: lib/json-body.ts), or a 4xx that says what is wrong with it. */
export function jsonBody(req: Request): Promise<unknown> {
  return readJsonBody(req);
}

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
