import { AppError } from "@/lib/errors";
import type { ProviderName } from "./provider";

export type ProviderErrorCode =
  | "PROVIDER_AUTH" // 401/403 or no key configured: a person must fix the keys or the plan
  | "PROVIDER_RATE_LIMIT" // 429: wait and retry
  | "PROVIDER_NOT_FOUND" // 404 / unknown symbol
  | "PROVIDER_BAD_REQUEST" // the provider refused our request (400, 422, …) or the request itself is invalid
  | "PROVIDER_BAD_RESPONSE" // a body Bullpen cannot read: the provider changed its format, or a bug
  | "PROVIDER_UNREACHABLE" // network failure, timeout or a 5xx: retry later
  | "PROVIDER_UNSUPPORTED_INTERVAL"; // e.g. minute bars from Yahoo

/** What should happen next, in the style guide's three groups: the ProviderError's kind (lib/errors.ts). */
export type ProviderErrorAction = "retry" | "reject" | "halt";

const ACTIONS: Readonly<Record<ProviderErrorCode, ProviderErrorAction>> = {
  PROVIDER_AUTH: "halt",
  PROVIDER_RATE_LIMIT: "retry",
  PROVIDER_NOT_FOUND: "reject",
  PROVIDER_BAD_REQUEST: "reject",
  PROVIDER_BAD_RESPONSE: "halt",
  PROVIDER_UNREACHABLE: "retry",
  PROVIDER_UNSUPPORTED_INTERVAL: "reject",
};

export interface ProviderErrorDetails {
  /** The HTTP status, when the provider answered. */
  status?: number;
  /** From a 429's Retry-After header, when it sent one. */
  retryAfterSeconds?: number;
}

/**
 * A market-data provider failed: an AppError whose kind is its code's action (retry for 429, 5xx and the
 * network; halt for keys and unreadable answers; reject for the request). The message says what to do
 * ("Polygon returned 403: check POLYGON_API_KEY"). It never holds a key or secret, nor the raw response or
 * the underlying error.
 */
export class ProviderError extends AppError {
  declare readonly code: ProviderErrorCode;
  declare readonly kind: ProviderErrorAction;
  readonly provider: ProviderName;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(provider: ProviderName, code: ProviderErrorCode, message: string, details: ProviderErrorDetails = {}) {
    super(ACTIONS[code], code, message);
    this.name = "ProviderError";
    this.provider = provider;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** The kind, by its older name. */
  get action(): ProviderErrorAction {
    return this.kind;
  }
}

export function isProviderError(e: unknown, code?: ProviderErrorCode): e is ProviderError {
  return e instanceof ProviderError && (code === undefined || e.code === code);
}
