import { AppError, type ErrorKind } from "@/lib/errors";

/** The kind of a Supabase Auth answer's status (the status itself is what goes on the wire). */
function kindOf(status: number): ErrorKind {
  if (status === 401 || status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 429) return "limit";
  if (status === 503) return "retry";
  return status >= 500 ? "halt" : "reject";
}

/**
 * Errors in Supabase Auth's wire format: `{ code, message }` plus the API version header, with Supabase's own
 * HTTP status (401, 422, … which the kinds do not tell apart) and code ("weak_password").
 */
export class AuthError extends AppError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers (Retry-After of a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(kindOf(status), code, message);
  }
}

export const API_VERSION_HEADERS = { "x-supabase-api-version": "2024-01-01" } as const;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...API_VERSION_HEADERS, "cache-control": "no-store", ...headers } });
}

export function errorResponse(err: AuthError): Response {
  return json({ code: err.code, message: err.message, ...err.extra }, err.status, err.headers);
}
