import type { ToolSet } from "ai";
import type { ToolName } from "../tool-contract";
import { createBuyTool } from "./buy";
import { createCalculateTool } from "./calculate";
import type { AgentContext } from "./context";
import { createCoverTool } from "./cover";
import { createGetBarsTool } from "./get-bars";
import { createGetPortfolioTool } from "./get-portfolio";
import { createGetQuoteTool } from "./get-quote";
import { createToolRuntime, type ToolRuntime } from "./runtime";
import { createSearchNewsTool } from "./search-news";
import { createSellTool } from "./sell";
import { createShortTool } from "./short";

export type { AgentContext } from "./context";
export { createToolRuntime, DecisionClosedError, type ToolExecution, type ToolRuntime } from "./runtime";
export { ToolError } from "./errors";
export { idempotencyKeyFor, priceSourceOf } from "./trade";
export { readPortfolio, portfolioOutput, type PortfolioSnapshot } from "./portfolio";

/** One runtime (mutex + execution log) per context, however many times its tools are built. */
const runtimes = new WeakMap<AgentContext, ToolRuntime>();

export function runtimeFor(ctx: AgentContext): ToolRuntime {
  let rt = runtimes.get(ctx);
  if (!rt) runtimes.set(ctx, (rt = createToolRuntime()));
  return rt;
}

/**
 * Every agent tool (lib/agent/tool-contract.ts), closed over `ctx`: identity, session, clock, market
 * and transaction come from it, never from the model. Build it once per decision.
 */
export function createTradingTools(ctx: AgentContext, rt: ToolRuntime = runtimeFor(ctx)) {
  return {
    get_quote: createGetQuoteTool(ctx, rt),
    get_bars: createGetBarsTool(ctx, rt),
    get_portfolio: createGetPortfolioTool(ctx, rt),
    calculate: createCalculateTool(rt),
    buy: createBuyTool(ctx, rt),
    sell: createSellTool(ctx, rt),
    short: createShortTool(ctx, rt),
    cover: createCoverTool(ctx, rt),
    search_news: createSearchNewsTool(ctx, rt),
  } satisfies Record<ToolName, ToolSet[string]>;
}

export type TradingTools = ReturnType<typeof createTradingTools>;
