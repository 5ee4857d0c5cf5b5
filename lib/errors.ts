/**
 * Typed errors, grouped by what should happen next:
 * reject — the caller's input is wrong (a clear message, maybe per field);
 * not_found — nothing the caller may see (another user's id looks exactly like a missing one);
 * conflict — not possible in the current state (e.g. pausing a finished session); limit — too many at once;
 * retry — transient; halt — needs a person. Database details are logged, never sent to the browser.
 */
export type ErrorKind = "reject" | "not_found" | "forbidden" | "conflict" | "limit" | "retry" | "halt";

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError("not_found", "NOT_FOUND", `${what} not found`);

export const HTTP_STATUS: Record<ErrorKind, number> = { reject: 400, not_found: 404, forbidden: 403, conflict: 409, limit: 429, retry: 503, halt: 500 };

/** Postgres unique violation (23505) on a named constraint, through drizzle's wrapping. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = (err as { cause?: unknown })?.cause ?? err;
  return (e as { code?: string })?.code === "23505" && (e as { constraint_name?: string })?.constraint_name === constraint;
}
