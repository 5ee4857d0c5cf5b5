import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type CancelOrderOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { cancelOrderOnBook } from "../cancel-order";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { bookOrderOutput } from "./order-output";
import { parseToolInput, toolSchemas } from "./schemas";

/**
 * cancel_order: one of THIS session's working orders, on its book. An id the book does not hold (ended, never
 * placed, or another session's or user's) is UNKNOWN_ORDER, the same words for each, and nothing changes.
 */
export function createCancelOrderTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.cancel_order,
    inputSchema: toolSchemas.cancel_order,
    execute: (input, { toolCallId }) =>
      rt.track("cancel_order", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("cancel_order", async (): Promise<CancelOrderOutput> => {
            const { orderId } = parseToolInput("cancel_order", input);
            const order = cancelOrderOnBook(ctx, orderId.toLowerCase());
            const fills = ctx.book.pending.fills.filter((f) => f.orderId === order.id);
            return { order: bookOrderOutput(order, fills), message: `Cancelled order ${order.id}; what it held back is free.` };
          }),
        ),
      ),
  });
}
