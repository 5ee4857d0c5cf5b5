import { tool } from "ai";
import { INDICATOR_LOOKBACK_BARS, type IndicatorsOutput, TOOL_DESCRIPTIONS } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { normalizeSymbol } from "./format";
import { computeIndicators, indicatorBars, resolveIndicator } from "./indicators";
import { parseToolInput, toolSchemas } from "./schemas";

/**
 * get_indicators: SMA, EMA, RSI, MACD, Bollinger bands, ATR and VWAP of one symbol, computed (indicators.ts,
 * by trading-signals) from its latest CLOSED bars up to the session clock, read through the market view's gate
 * exactly as get_bars reads them: a bar still in progress, or any later one, can never reach the arithmetic.
 */
export function createGetIndicatorsTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.get_indicators,
    inputSchema: toolSchemas.get_indicators,
    execute: (input, { toolCallId }) =>
      rt.track("get_indicators", toolCallId, input, () =>
        asTool("get_indicators", async (): Promise<IndicatorsOutput> => {
          const args = parseToolInput("get_indicators", input);
          const symbol = normalizeSymbol(args.symbol);
          const interval = args.interval ?? ctx.interval;
          for (const spec of args.indicators) resolveIndicator(spec, interval); // refuse bad parameters before reading bars
          const bars = await ctx.market.bars(symbol, interval, { limit: INDICATOR_LOOKBACK_BARS });
          return computeIndicators({
            symbol,
            interval,
            bars: indicatorBars(bars),
            indicators: args.indicators,
            count: args.count,
            truncated: bars.length >= INDICATOR_LOOKBACK_BARS,
          });
        }),
      ),
  });
}
