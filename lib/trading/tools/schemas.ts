import { zodSchema, type Schema } from "ai";
import type { z } from "zod";
import { toolInputSchemas, type ToolInputs, type ToolName } from "@/lib/agent/tool-contract";

/**
 * The tools' input schemas as AI SDK schemas, made once per process. The SDK converts a tool's schema
 * to JSON Schema on every model step; a zod schema handed over as is gets a fresh wrapper each time and
 * is converted again (measured: 15% of a worker's CPU), while these keep their JSON Schema after the first use.
 */
export const toolSchemas = Object.fromEntries(
  Object.entries(toolInputSchemas).map(([name, schema]) => [name, zodSchema(schema as z.ZodType)]),
) as unknown as { [K in ToolName]: Schema<ToolInputs[K]> };
