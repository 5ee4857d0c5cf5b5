import { createTradeTool } from "./trade";
import type { TradingContext } from "../context";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";

/** short: see trade.ts. The order lands in ctx's session, keyed by the tool-call id. */
export const createShortTool = (ctx: TradingContext, rt: ToolRuntime) => createTradeTool(ctx, rt, "short");
