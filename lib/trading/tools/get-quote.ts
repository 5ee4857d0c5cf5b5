import { tool } from "ai";
import { type QuoteOutput, TOOL_DESCRIPTIONS } from "@/lib/agent/tool-contract";
import { parseToolInput, toolSchemas } from "./schemas";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { normalizeSymbol } from "./format";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";

/**
 * get_quote: the latest price the session clock allows: normally the open of the bar in progress
 * (market orders fill there), else the last close. A symbol outside the universe, or one without
 * data yet, throws (NOT_IN_UNIVERSE, NO_DATA): the model sees the message and may correct itself.
 */
export function createGetQuoteTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.get_quote,
    inputSchema: toolSchemas.get_quote,
    execute: (input, { toolCallId }) =>
      rt.track("get_quote", toolCallId, input, () =>
        asTool("get_quote", async (): Promise<QuoteOutput> => {
          const q = await ctx.market.quote(normalizeSymbol(parseToolInput("get_quote", input).symbol));
          return { symbol: q.symbol, price: q.price, at: q.at.toISOString(), basis: q.basis, derived: q.derived, source: q.source };
        }),
      ),
  });
}
