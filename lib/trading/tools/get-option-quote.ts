import { tool } from "ai";
import { type OptionQuoteOutput, TOOL_DESCRIPTIONS } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { optionQuoteAt } from "@/lib/market";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { normalizeSymbol } from "./format";
import { chainModelOutput, optionRowOutput } from "./option-output";
import { parseToolInput, toolSchemas } from "./schemas";

/** get_option_quote: one contract of the modelled chain at the session clock, by OCC symbol; one not listed is refused in words. */
export function createGetOptionQuoteTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.get_option_quote,
    inputSchema: toolSchemas.get_option_quote,
    execute: (input, { toolCallId }) =>
      rt.track("get_option_quote", toolCallId, input, () =>
        asTool("get_option_quote", async (): Promise<OptionQuoteOutput> => {
          const { chain, row } = await optionQuoteAt(ctx.market, normalizeSymbol(parseToolInput("get_option_quote", input).symbol));
          return { ...optionRowOutput(row), underlying: chain.underlying, underlyingPrice: chain.spot, at: chain.at.toISOString(), model: chainModelOutput(chain) };
        }),
      ),
  });
}
