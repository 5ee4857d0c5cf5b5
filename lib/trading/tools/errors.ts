import { DecisionClosedError } from "@/lib/agent/tool-runtime";

/**
 * What a tool throws. The AI SDK turns a throw into a `tool-error` the model sees as text, and the
 * decision records it; the message starts with a stable code: "NOT_IN_UNIVERSE: ZZZZ is not in …".
 */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "ToolError";
  }
}

const MAX_DETAIL = 300;

/** Any error → a ToolError with a code (MarketDataError, AppError and EngineError carry one). */
export function toToolError(err: unknown, toolName: string): Error {
  if (err instanceof ToolError || err instanceof DecisionClosedError) return err;
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code)) return new ToolError(code, message);
  // Not ours (e.g. a database error): say what failed without the query text drizzle puts in the message.
  const cause = (err as { cause?: { message?: unknown } })?.cause?.message;
  const shown = typeof cause === "string" ? cause : message.split("\n")[0] ?? "";
  return new ToolError("INTERNAL_ERROR", `${toolName} failed unexpectedly (${shown.slice(0, MAX_DETAIL)}); nothing was changed by it`);
}

/** Runs a tool body and rethrows whatever it throws as a ToolError. */
export async function asTool<T>(toolName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toToolError(err, toolName);
  }
}
