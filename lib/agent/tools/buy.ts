import { createTradeTool } from "./trade";
import type { AgentContext } from "./context";
import type { ToolRuntime } from "./runtime";

/** buy: see trade.ts. The order lands in ctx's session, keyed by the tool-call id. */
export const createBuyTool = (ctx: AgentContext, rt: ToolRuntime) => createTradeTool(ctx, rt, "buy");
