import { createTradeTool } from "./trade";
import type { AgentContext } from "./context";
import type { ToolRuntime } from "./runtime";

/** sell: see trade.ts. The order lands in ctx's session, keyed by the tool-call id. */
export const createSellTool = (ctx: AgentContext, rt: ToolRuntime) => createTradeTool(ctx, rt, "sell");
