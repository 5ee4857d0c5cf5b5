import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type ClosePositionOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { formatMoney, formatPrice } from "@/lib/engine";
import { closePositionOnBook, type ClosedPosition } from "../close-position";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { normalizeSymbol } from "./format";
import { bookOrderOutput } from "./order-output";
import { parseToolInput, toolSchemas } from "./schemas";
import { bookOrderContextOf, idempotencyKeyFor } from "./trade";

/**
 * close_position (symbol, optional percent, default 100) and reduce_position (symbol, percent): a market order on ctx's
 * book that closes all or part of a position, after cancelling the working exits that hold the shares it needs
 * (lib/trading/close-position.ts has the rule). No position, or a percent that rounds to no share, is a tool error in
 * words and nothing is written; an order the market refuses is a rejected order, as a sell's is. Keyed by the tool call.
 */
export function createClosePositionTool(ctx: TradingContext, rt: ToolRuntime, name: "close_position" | "reduce_position") {
  return tool({
    description: TOOL_DESCRIPTIONS[name],
    inputSchema: toolSchemas[name],
    execute: (input, { toolCallId }) =>
      rt.track(name, toolCallId, input, () =>
        rt.exclusive(() =>
          asTool(name, async (): Promise<ClosePositionOutput> => {
            const args = parseToolInput(name, input);
            const closed = await closePositionOnBook(bookOrderContextOf(ctx), normalizeSymbol(args.symbol), args.percent ?? 100, idempotencyKeyFor(ctx.sessionId, toolCallId));
            return closeOutput(ctx, closed);
          }),
        ),
      ),
  });
}

export function closeOutput(ctx: TradingContext, c: ClosedPosition): ClosePositionOutput {
  const { order, fill, duplicate } = c.placed;
  const fills = fill ? [fill] : ctx.book.pending.fills.filter((f) => f.orderId === order.id);
  const cancelled = c.cancelled.map((o) => bookOrderOutput(o, []));
  const again = duplicate ? `This tool call already placed order ${order.id}; nothing new was traded. It was: ` : "";
  const freed = cancelled.length > 0
    ? ` Cancelled first ${cancelled.length} working order${cancelled.length > 1 ? "s" : ""} that held its shares: ${cancelled.map((o) => `${o.orderId} (${o.side} ${o.quantity} ${o.type}${o.leg === "entry" ? "" : ` ${o.leg.replace("_", "-")}`})`).join(", ")}.`
    : "";
  const whole = c.quantity === Math.abs(c.held);
  const what = `${c.quantity} of ${Math.abs(c.held)} ${c.symbol} ${c.held > 0 ? "long" : "short"}${whole ? ", the whole position," : ""}`;
  const message =
    order.status === "filled" && fill
      ? `${again}${fill.side === "sell" ? "Sold" : "Bought to cover"} ${what} at ${formatPrice(fill.price)} (fee ${formatMoney(fill.fee)}); cash after: ${formatMoney(fill.cashAfter)}.${freed}`
      : `${again}The close of ${what} was rejected (${order.rejectCode}): ${order.rejectMessage ?? "the order was rejected"}${freed}`;
  return { symbol: c.symbol, held: c.held, quantity: c.quantity, order: bookOrderOutput(order, fills), cancelled, message, duplicate };
}
