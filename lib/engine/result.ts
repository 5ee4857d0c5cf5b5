import type { EngineFailure } from "./errors";

/** A value or a typed failure. Engine functions return this instead of throwing on bad input. */
export type Result<T, E = EngineFailure> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
