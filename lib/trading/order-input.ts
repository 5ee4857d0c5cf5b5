import { AppError } from "@/lib/errors";

/**
 * The raw input of placeOrder: what an agent tool or an API body sends. Fields are `unknown` because
 * the engine's parseOrderRequest validates them; the idempotency key is checked here.
 */
export interface PlaceOrderInput {
  symbol?: unknown;
  side?: unknown;
  quantity?: unknown;
  type?: unknown;
  /** The agent's tool-call id or a client order id; unique per model. */
  idempotencyKey: unknown;
}

/** Printable ASCII without spaces, 1–200 characters (tool-call ids, UUIDs, client order ids). */
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * The idempotency key, or a thrown reject. A request without a usable key cannot be stored (the key is
 * what makes a retry safe), so it is returned to the caller as an error and nothing is written.
 */
export function idempotencyKeyOf(input: unknown): string {
  const key = typeof input === "object" && input !== null ? (input as { idempotencyKey?: unknown }).idempotencyKey : undefined;
  if (typeof key === "string" && KEY_PATTERN.test(key)) return key;
  const got = typeof key === "string" ? `a string of ${key.length} characters` : key === undefined ? "none" : `a ${typeof key}`;
  throw new AppError(
    "reject",
    "INVALID_IDEMPOTENCY_KEY",
    `idempotencyKey must be 1–200 printable characters without spaces (the tool-call id or a client order id); got ${got}. Nothing was stored.`,
  );
}

const MAX_TEXT = 64;

/** A JSON-safe, size-capped copy of a rejected request's fields, kept on the order for audit. */
export function auditCopyOf(input: PlaceOrderInput): string {
  const copy: Record<string, unknown> = {};
  for (const field of ["symbol", "side", "quantity", "type"] as const) {
    if (field in input) copy[field] = auditValue(input[field]);
  }
  return JSON.stringify(copy);
}

function auditValue(value: unknown): unknown {
  if (typeof value === "string") return value.length <= MAX_TEXT ? value : `${value.slice(0, MAX_TEXT)}… (${value.length} characters)`;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "boolean" || value === null) return value;
  if (value === undefined) return "undefined";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
