import type { ToolSet } from "ai";
import type { ToolName } from "@/lib/agent/tool-contract";
import { createBuyTool } from "./buy";
import { createCalculateTool } from "./calculate";
import { createCancelOrderTool } from "./cancel-order";
import { createCloseAllPositionsTool } from "./close-all-positions";
import { createClosePositionTool } from "./close-position";
import { createReplaceOrderTool } from "./replace-order";
import { createGetOrdersTool } from "./get-orders";
import { createPlaceOrderTool } from "./place-order";
import type { TradingContext } from "../context";
import { createCoverTool } from "./cover";
import { createGetBarsTool } from "./get-bars";
import { createGetIndicatorsTool } from "./get-indicators";
import { createGetOptionChainTool } from "./get-option-chain";
import { createGetOptionQuoteTool } from "./get-option-quote";
import { createCloseStrategyTool } from "./close-strategy";
import { createPreviewStrategyTool } from "./preview-strategy";
import { createExerciseOptionTool } from "./exercise-option";
import { createPlaceOptionOrderTool } from "./place-option-order";
import { createGetPortfolioTool } from "./get-portfolio";
import { createGetQuoteTool } from "./get-quote";
import { createToolRuntime, type ToolRuntime } from "@/lib/agent/tool-runtime";
import { createSearchNewsTool } from "./search-news";
import { createSellTool } from "./sell";
import { createShortTool } from "./short";

export type { TradingContext } from "../context";
export { createToolRuntime, DecisionClosedError, type ToolExecution, type ToolRuntime } from "@/lib/agent/tool-runtime";
export { ToolError } from "./errors";
export { idempotencyKeyFor } from "./trade";
export { readPortfolio, portfolioOutput, type PortfolioSnapshot } from "./portfolio";

/**
 * Every agent tool (lib/agent/tool-contract.ts), closed over `ctx`: identity, session, clock, market
 * and book come from it, never from the model. Build it once per decision.
 */
export function createTradingTools(ctx: TradingContext, rt: ToolRuntime = createToolRuntime()) {
  return {
    get_quote: createGetQuoteTool(ctx, rt),
    get_bars: createGetBarsTool(ctx, rt),
    get_indicators: createGetIndicatorsTool(ctx, rt),
    get_portfolio: createGetPortfolioTool(ctx, rt),
    calculate: createCalculateTool(rt),
    buy: createBuyTool(ctx, rt),
    sell: createSellTool(ctx, rt),
    short: createShortTool(ctx, rt),
    cover: createCoverTool(ctx, rt),
    place_order: createPlaceOrderTool(ctx, rt),
    cancel_order: createCancelOrderTool(ctx, rt),
    replace_order: createReplaceOrderTool(ctx, rt),
    close_position: createClosePositionTool(ctx, rt, "close_position"),
    reduce_position: createClosePositionTool(ctx, rt, "reduce_position"),
    close_all_positions: createCloseAllPositionsTool(ctx, rt),
    get_orders: createGetOrdersTool(ctx, rt),
    search_news: createSearchNewsTool(ctx, rt),
    // Added last, as in the contract's list (TOOLS_ADDED_SINCE): the tools' order is part of a recorded call's digest.
    get_option_chain: createGetOptionChainTool(ctx, rt),
    get_option_quote: createGetOptionQuoteTool(ctx, rt),
    place_option_order: createPlaceOptionOrderTool(ctx, rt),
    exercise_option: createExerciseOptionTool(ctx, rt),
    preview_strategy: createPreviewStrategyTool(ctx, rt),
    close_strategy: createCloseStrategyTool(ctx, rt),
  } satisfies Record<ToolName, ToolSet[string]>;
}

export type TradingTools = ReturnType<typeof createTradingTools>;
