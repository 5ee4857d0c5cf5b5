import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type ExerciseOptionOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { formatPrice, parseOccSymbol } from "@/lib/engine";
import type { TradingContext } from "../context";
import { exerciseOptionOnBook } from "../exercise-option";
import { asTool, ToolError } from "./errors";
import { normalizeSymbol } from "./format";
import { bookOrderOutput } from "./order-output";
import { parseToolInput, toolSchemas } from "./schemas";
import { bookOrderContextOf, idempotencyKeyFor } from "./trade";

/**
 * exercise_option (issue #23 item 4): early exercise of contracts held long, on ctx's book only. A symbol that is not an
 * OCC contract is a tool error in words (nothing written); what the book refuses (not held, not in the money, a
 * delivery the account cannot take) is a rejected order, written with the bar.
 */
export function createExerciseOptionTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.exercise_option,
    inputSchema: toolSchemas.exercise_option,
    execute: (input, { toolCallId }) =>
      rt.track("exercise_option", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("exercise_option", async (): Promise<ExerciseOptionOutput> => {
            const args = parseToolInput("exercise_option", input);
            const contract = parseOccSymbol(normalizeSymbol(args.symbol));
            if (!contract.ok) throw new ToolError("INVALID_ARGUMENTS", `${contract.error.message}; nothing was exercised`);
            const key = idempotencyKeyFor(ctx.sessionId, toolCallId);
            const done = await exerciseOptionOnBook({ ...bookOrderContextOf(ctx), market: ctx.market }, { ...args, symbol: contract.value.symbol }, key, JSON.stringify(args));
            const { order, fill } = done.order;
            const deliveries = done.deliveries.map((d) => bookOrderOutput(d.order, d.fill ? [d.fill] : []));
            const message =
              order.status === "rejected"
                ? `Not exercised: ${order.rejectMessage}`
                : `Exercised ${order.quantity} ${order.symbol}: ${done.deliveries.map((d) => `${d.order.side} ${d.order.quantity} ${d.order.symbol} at ${d.fill ? formatPrice(d.fill.price) : "?"}`).join(", ")}`;
            return { order: bookOrderOutput(order, fill ? [fill] : []), deliveries, message, duplicate: done.order.duplicate };
          }),
        ),
      ),
  });
}
