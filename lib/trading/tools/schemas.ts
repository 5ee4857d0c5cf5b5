import { zodSchema, type Schema } from "ai";
import type { z } from "zod";
import { toolInputSchemas, type ToolInputs, type ToolName } from "@/lib/agent/tool-contract";
import { ToolError } from "@/lib/agent/tool-runtime";

/**
 * The tools' input schemas as AI SDK schemas, made once per process. The SDK converts a tool's schema
 * to JSON Schema on every model step; a zod schema handed over as is gets a fresh wrapper each time and
 * is converted again (measured: 15% of a worker's CPU), while these keep their JSON Schema after the first use.
 */
export const toolSchemas = Object.fromEntries(
  Object.entries(toolInputSchemas).map(([name, schema]) => [name, zodSchema(schema as z.ZodType)]),
) as unknown as { [K in ToolName]: Schema<ToolInputs[K]> };

const MAX_ISSUES = 3;

/**
 * A call's arguments checked against the contract, at the tool itself: the AI SDK checks them before it calls
 * `execute`, but an adapter that calls `execute` directly (a test, a protocol server) gets the same check, and
 * a wrong argument is refused in words before anything runs (INVALID_ARGUMENTS), never taken as an order for the book.
 * Arguments the contract does not name are dropped, as the SDK drops them: none of them can name an identity.
 */
export function parseToolInput<K extends ToolName>(name: K, input: unknown): ToolInputs[K] {
  const parsed = (toolInputSchemas[name] as unknown as z.ZodType<ToolInputs[K]>).safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.length > 0 ? i.path.join(".") : "the arguments"}: ${i.message}`);
  throw new ToolError("INVALID_ARGUMENTS", `${name} does not take these arguments (${issues.join("; ")}); nothing was done`);
}
