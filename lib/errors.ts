/**
 * THE error family: every error Bullpen raises is an AppError, or a subclass of it that keeps its own name,
 * code and fields (EngineError, MarketDataError, ProviderError, ToolError, AuthError, …). Its kind is chosen
 * where it is raised, and says what should happen next:
 * reject — the caller's input is wrong (a clear message, maybe per field); unauthenticated — the caller's
 * credential is missing or not (or no longer) valid: a model API token unknown, revoked or expired (401);
 * not_found — nothing the caller may see (another user's id looks exactly like a missing one);
 * forbidden — not the caller's to do; conflict — not possible in the current state (e.g. pausing a finished
 * session); limit — too many at once; retry — transient; halt — needs a person.
 * Callers read `.kind` and `.code`; nobody converts one class into another. Errors that are not ours (the
 * database driver, the network) become one through `fromUnknown`. Database details are logged, never sent
 * to the browser. A leaf module: it imports nothing, so every layer may use it (the engine too).
 */
export type ErrorKind = "reject" | "unauthenticated" | "not_found" | "forbidden" | "conflict" | "limit" | "retry" | "halt";

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Too many attempts (lib/rate-limit.ts): kind `limit` (429), code RATE_LIMITED, with the seconds until one
 * is allowed again, which the API sends as Retry-After and the message says in words.
 */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("limit", "RATE_LIMITED", message);
  }
}

/**
 * The database cannot be reached: down, shutting down, starting up, out of connections, or the connection to
 * it lost (isDatabaseUnavailable). Kind retry (503), code DATABASE_UNAVAILABLE, a message in words for the
 * person waiting, and the seconds after which trying again makes sense (Retry-After). The driver's own error
 * is the cause, for the log; it is never sent (docs/sessions.md, "Database outage").
 */
export class DatabaseUnavailableError extends AppError {
  readonly retryAfterSeconds = 5;

  constructor(options?: ErrorOptions) {
    super("retry", "DATABASE_UNAVAILABLE", "The database is unavailable; try again in a moment.", {}, options);
  }
}

export const notFound = (what: string) => new AppError("not_found", "NOT_FOUND", `${what} not found`);

export const HTTP_STATUS: Record<ErrorKind, number> = { reject: 400, unauthenticated: 401, not_found: 404, forbidden: 403, conflict: 409, limit: 429, retry: 503, halt: 500 };

/** Postgres unique violation (23505) on a named constraint, through drizzle's wrapping. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = (err as { cause?: unknown })?.cause ?? err;
  return (e as { code?: string })?.code === "23505" && (e as { constraint_name?: string })?.constraint_name === constraint;
}

/*
 * Errors that are not ours. The driver's and Node's codes are the only knowledge of them Bullpen has, and
 * it is here: the database unreachable (Postgres SQLSTATE: shutdowns, cannot connect now, too many
 * connections, connection exceptions; the network and postgres.js connection codes), and conflicts worth
 * running again (serialization failure, deadlock).
 */
const UNAVAILABLE_PG = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08003", "08006", "08001", "08004"]);
const UNAVAILABLE_NET = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]);
const CONFLICT_PG = new Set(["40001", "40P01"]);

/** Whether the error, or one of its causes (drizzle wraps the driver's error), carries one of `codes`. */
function hasCode(err: unknown, codes: ReadonlySet<string>): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && codes.has(code)) return true;
  }
  return false;
}

/**
 * The database could not be reached, or the connection to it was lost: the error (or its cause) carries a
 * connection-class Postgres code or a network code. What an outage looks like to every caller.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof AppError) return err instanceof DatabaseUnavailableError;
  return hasCode(err, UNAVAILABLE_PG) || hasCode(err, UNAVAILABLE_NET);
}

/**
 * Worth running again as is: an AppError of kind retry; an error that is not ours when it (or its cause,
 * as drizzle wraps the driver's) says the database was unavailable or the transaction lost a conflict.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof AppError) return err.kind === "retry";
  return isDatabaseUnavailable(err) || hasCode(err, CONFLICT_PG);
}

/** The error's own first line: for a failed query, the database's message (drizzle wraps it in one that holds the query text). */
export function firstLineOf(err: unknown): string {
  const cause = (err as { cause?: { message?: unknown } } | null | undefined)?.cause?.message;
  const text = typeof cause === "string" ? cause : err instanceof Error ? err.message : String(err);
  return text.split("\n")[0] ?? "";
}

/**
 * Any error as an AppError: one of ours as it is; the database unreachable as DatabaseUnavailableError; any
 * other as `code`, kind retry (isRetryable) or halt, with its own first line as the message (firstLineOf).
 * The original is the `cause`, for the log.
 */
export function fromUnknown(err: unknown, code = "INTERNAL"): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) return new DatabaseUnavailableError({ cause: err });
  return new AppError(isRetryable(err) ? "retry" : "halt", code, firstLineOf(err), {}, { cause: err });
}
