import { ToolError } from "@/lib/agent/tool-runtime";
import { AppError, fromUnknown } from "@/lib/errors";

export { ToolError };

const MAX_DETAIL = 300;

/**
 * The tool boundary: what a tool body threw, as the ToolError the model reads ("CODE: message"). A
 * ToolError as it is (DecisionClosedError is one); another AppError with its code and kind; an error that
 * is not ours (e.g. a database error) as INTERNAL_ERROR saying what failed, without the query text drizzle
 * puts in its message (lib/errors.ts fromUnknown). The original is the cause.
 */
export function toToolError(err: unknown, toolName: string): ToolError {
  if (err instanceof ToolError) return err;
  if (err instanceof AppError) return new ToolError(err.code, err.message, err.kind, { cause: err });
  const e = fromUnknown(err, "INTERNAL_ERROR");
  return new ToolError(e.code, `${toolName} failed unexpectedly (${e.message.slice(0, MAX_DETAIL)}); nothing was changed by it`, e.kind, { cause: err });
}

/** Runs a tool body and rethrows whatever it throws as a ToolError. */
export async function asTool<T>(toolName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toToolError(err, toolName);
  }
}
