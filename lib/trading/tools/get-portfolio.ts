import { tool } from "ai";
import { type PortfolioOutput, TOOL_DESCRIPTIONS } from "@/lib/agent/tool-contract";
import { parseToolInput, toolSchemas } from "./schemas";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { portfolioOutput, readOptionGreeks, readOptionMargin, readPortfolio } from "./portfolio";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";

/**
 * get_portfolio: cash, equity and open positions of THIS context's session, marked to the latest
 * prices the clock allows, plus the tradable universe; while option contracts are held, their Greeks (option-greeks.ts). Runs alone (the runtime's mutex), so it never
 * reads halfway through an order of the same step.
 */
export function createGetPortfolioTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.get_portfolio,
    inputSchema: toolSchemas.get_portfolio,
    execute: (input, { toolCallId }) =>
      rt.track("get_portfolio", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("get_portfolio", async (): Promise<PortfolioOutput> => {
            parseToolInput("get_portfolio", input);
            const [portfolio, options, margin] = await Promise.all([readPortfolio(ctx), readOptionGreeks(ctx), readOptionMargin(ctx)]);
            return portfolioOutput(portfolio, ctx.market.universe, options, margin);
          }),
        ),
      ),
  });
}
