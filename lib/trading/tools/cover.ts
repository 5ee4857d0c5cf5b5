import { createTradeTool } from "./trade";
import type { TradingContext } from "../context";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";

/** cover: see trade.ts. The order lands in ctx's session, keyed by the tool-call id. */
export const createCoverTool = (ctx: TradingContext, rt: ToolRuntime) => createTradeTool(ctx, rt, "cover");
