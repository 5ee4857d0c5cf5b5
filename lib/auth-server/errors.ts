/** Errors in Supabase Auth's wire format: `{ code, message }` plus the API version header. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const API_VERSION_HEADERS = { "x-supabase-api-version": "2024-01-01" } as const;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...API_VERSION_HEADERS, "cache-control": "no-store", ...headers } });
}

export function errorResponse(err: AuthError): Response {
  return json({ code: err.code, message: err.message, ...err.extra }, err.status);
}
