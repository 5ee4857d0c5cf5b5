import { tool } from "ai";
import { DEFAULT_BARS_LIMIT, type BarOutput, type BarsOutput, TOOL_DESCRIPTIONS } from "@/lib/agent/tool-contract";
import { parseToolInput, toolSchemas } from "./schemas";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { normalizeSymbol } from "./format";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";

/**
 * get_bars: the latest CLOSED bars of one symbol up to the session clock, oldest first, through the
 * market view's gate (a bar still in progress is never returned). Errors throw (NOT_IN_UNIVERSE, …).
 */
export function createGetBarsTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.get_bars,
    inputSchema: toolSchemas.get_bars,
    execute: (input, { toolCallId }) =>
      rt.track("get_bars", toolCallId, input, () =>
        asTool("get_bars", async (): Promise<BarsOutput> => {
          const args = parseToolInput("get_bars", input);
          const symbol = normalizeSymbol(args.symbol);
          const interval = args.interval ?? ctx.interval;
          const bars = await ctx.market.bars(symbol, interval, { limit: args.limit ?? DEFAULT_BARS_LIMIT });
          const out: BarOutput[] = [];
          for (const b of bars) {
            // The gate returns closed bars only, which have every field; skip anything else rather than invent it.
            if (b.high === null || b.low === null || b.close === null || b.volume === null) continue;
            out.push({ t: b.start.toISOString(), o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume });
          }
          return { symbol, interval, bars: out };
        }),
      ),
  });
}
