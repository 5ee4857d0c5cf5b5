import { tool } from "ai";
import { DEFAULT_OPTION_ROWS } from "@/lib/agent/option-tool-contract";
import { type OptionChainOutput, TOOL_DESCRIPTIONS } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { optionChainAt } from "@/lib/market";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { normalizeSymbol } from "./format";
import { chainModelOutput, optionRowOutput } from "./option-output";
import { parseToolInput, toolSchemas } from "./schemas";

/** Strikes each side of the price when a delta range is asked for without a strike range: wide enough for 5-delta wings. */
const STRIKES_EACH_SIDE_FOR_DELTA = 30;

/**
 * get_option_chain: the MODELLED chain of one underlying at the session clock (lib/market/option-chain.ts), its price
 * and daily closes read through the market view's gate: no chain is computed from a bar after the clock.
 */
export function createGetOptionChainTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.get_option_chain,
    inputSchema: toolSchemas.get_option_chain,
    execute: (input, { toolCallId }) =>
      rt.track("get_option_chain", toolCallId, input, () =>
        asTool("get_option_chain", async (): Promise<OptionChainOutput> => {
          const args = parseToolInput("get_option_chain", input);
          const byDelta = args.minDelta !== undefined || args.maxDelta !== undefined;
          const byStrike = args.minStrike !== undefined || args.maxStrike !== undefined;
          const chain = await optionChainAt(ctx.market, normalizeSymbol(args.underlying), {
            expiryFrom: args.expiry ?? args.expiryFrom,
            expiryTo: args.expiry ?? args.expiryTo,
            rights: args.right ? [args.right] : undefined,
            minStrike: args.minStrike,
            maxStrike: args.maxStrike,
            strikesEachSide: byDelta && !byStrike ? STRIKES_EACH_SIDE_FOR_DELTA : undefined,
            minAbsDelta: args.minDelta,
            maxAbsDelta: args.maxDelta,
            limit: args.limit ?? DEFAULT_OPTION_ROWS,
          });
          return {
            underlying: chain.underlying,
            underlyingPrice: chain.spot,
            at: chain.at.toISOString(),
            source: chain.source,
            model: chainModelOutput(chain),
            expiries: chain.expiries.map((e) => ({ expiry: e.expiry, kind: e.kind, ...(e.shiftedFrom ? { shiftedFrom: e.shiftedFrom } : {}) })),
            contracts: chain.rows.map(optionRowOutput),
            matched: chain.matched,
            truncated: chain.matched > chain.rows.length,
          };
        }),
      ),
  });
}
