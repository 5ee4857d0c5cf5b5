import { AppError } from "@/lib/errors";

/**
 * Typed engine failures. Every failure carries a stable `code` and a `message` written for the person or
 * the LLM that made the request: it says what was wrong and what would work instead.
 *
 * Codes are grouped by what the caller should do next (style guide, item 6):
 * - "reject": the caller's input was wrong; show the message, nothing changed.
 * - "halt":   the caller (our own code or stored data) broke a precondition; log it, a person must look.
 * A pure engine has no transient ("retry") failures. The categories are AppError kinds (lib/errors.ts):
 * a thrown EngineError is an AppError of its code's category.
 */
export const REJECT_CODES = [
  "INVALID_REQUEST",
  "INVALID_SYMBOL",
  "INVALID_QUANTITY",
  "INVALID_SIDE",
  "INVALID_ORDER_TYPE",
  "INVALID_ORDER_PRICE",
  "INVALID_TIME_IN_FORCE",
  "INVALID_ORDER_CLASS",
  "UNKNOWN_SYMBOL",
  "UNKNOWN_ORDER",
  "ORDER_NOT_REPLACEABLE",
  "INVALID_REPLACE",
  "MARKET_CLOSED",
  "INSUFFICIENT_CASH",
  "INSUFFICIENT_SHARES",
  "POSITION_CONFLICT",
  "SHORTING_DISABLED",
  "INSUFFICIENT_MARGIN",
  "DUPLICATE_FILL",
  "NO_IMPLIED_VOLATILITY",
  "COMBO_NOT_MARKETABLE",
  "INVALID_LEGS",
  "INVALID_STRATEGY",
] as const;

export const HALT_CODES = [
  "INVALID_MONEY",
  "INVALID_PRICE",
  "INVALID_FILL",
  "INVALID_SETTINGS",
  "MISSING_PRICE",
  "ILLEGAL_TRANSITION",
  "INVALID_MODEL_INPUT",
] as const;

export type RejectCode = (typeof REJECT_CODES)[number];
export type HaltCode = (typeof HALT_CODES)[number];
export type EngineErrorCode = RejectCode | HaltCode;
export type ErrorCategory = "reject" | "halt";

/** A plain, serialisable failure: safe to return from an API or to show to an LLM as tool output. */
export interface EngineFailure {
  readonly code: EngineErrorCode;
  readonly message: string;
}

const rejectSet: ReadonlySet<string> = new Set(REJECT_CODES);

export function errorCategory(code: EngineErrorCode): ErrorCategory {
  return rejectSet.has(code) ? "reject" : "halt";
}

export function failure(code: EngineErrorCode, message: string): EngineFailure {
  return { code, message };
}

/**
 * Thrown only where a Result would be noise: parsing trusted stored data (money strings, prices). An AppError
 * (lib/errors.ts) of the code's category, or of the kind the thrower names: a failure where none can be
 * (a fill that passed the pre-trade check) is our bug, a halt, whatever its code.
 */
export class EngineError extends AppError {
  declare readonly code: EngineErrorCode;
  declare readonly kind: ErrorCategory;

  constructor(code: EngineErrorCode, message: string, kind: ErrorCategory = errorCategory(code)) {
    super(kind, code, message);
    this.name = "EngineError";
  }

  static from(f: EngineFailure, kind?: ErrorCategory): EngineError {
    return new EngineError(f.code, f.message, kind);
  }
}
