import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type PlaceOrderOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { parseOccSymbol } from "@/lib/engine";
import type { TradingContext } from "../context";
import { placeOptionOrderOnBook } from "../place-option-order";
import { asTool, ToolError } from "./errors";
import { normalizeSymbol } from "./format";
import { placeOrderOutput } from "./place-order";
import { parseToolInput, toolSchemas } from "./schemas";
import { bookOrderContextOf, idempotencyKeyFor } from "./trade";

/**
 * place_option_order (issue #23 item 5): a market order on an option contract, on ctx's book only. A symbol that is
 * not an OCC contract is a tool error in words (nothing placed or written); what the market refuses (a contract not
 * listed now, no bid, not enough free cash, an intent not available yet) is a rejected order, written with the bar.
 */
export function createPlaceOptionOrderTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.place_option_order,
    inputSchema: toolSchemas.place_option_order,
    execute: (input, { toolCallId }) =>
      rt.track("place_option_order", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("place_option_order", async (): Promise<PlaceOrderOutput> => {
            const args = parseToolInput("place_option_order", input);
            const symbol = normalizeSymbol(args.symbol);
            const contract = parseOccSymbol(symbol);
            if (!contract.ok) throw new ToolError("INVALID_ARGUMENTS", `${contract.error.message}; nothing was placed`);
            const key = idempotencyKeyFor(ctx.sessionId, toolCallId);
            const placed = await placeOptionOrderOnBook({ ...bookOrderContextOf(ctx), market: ctx.market }, { ...args, symbol: contract.value.symbol }, key, JSON.stringify(args));
            return placeOrderOutput(ctx, placed);
          }),
        ),
      ),
  });
}
