import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type CloseAllPositionsOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { closeAllKey, closePositionOnBook } from "../close-position";
import type { TradingContext } from "../context";
import { closeOutput } from "./close-position";
import { asTool } from "./errors";
import { parseToolInput, toolSchemas } from "./schemas";
import { bookOrderContextOf, idempotencyKeyFor } from "./trade";

/**
 * close_all_positions: close_position at 100 % for every open position of ctx's session, in symbol order, each its own
 * market order keyed `<call key>:<symbol>`. The same tool call again answers the closes it made (`duplicate`), found
 * by those keys over the session's universe (its positions are closed by then), and trades nothing.
 */
export function createCloseAllPositionsTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.close_all_positions,
    inputSchema: toolSchemas.close_all_positions,
    execute: (input, { toolCallId }) =>
      rt.track("close_all_positions", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("close_all_positions", async (): Promise<CloseAllPositionsOutput> => {
            parseToolInput("close_all_positions", input);
            const key = idempotencyKeyFor(ctx.sessionId, toolCallId);
            const base = bookOrderContextOf(ctx);
            const { book } = ctx;
            const earlier = ctx.market.universe.filter((s) => book.placedUnder(closeAllKey(key, s)) || book.storedBefore(closeAllKey(key, s)));
            const symbols = earlier.length > 0 ? earlier : book.openPositions().map((p) => p.symbol);
            const positions = [];
            for (const symbol of symbols) positions.push(closeOutput(ctx, await closePositionOnBook(base, symbol, 100, closeAllKey(key, symbol))));
            const duplicate = earlier.length > 0;
            if (positions.length === 0) return { positions, duplicate, message: "You hold no positions; nothing was done." };
            const filled = positions.filter((p) => p.order.status === "filled").length;
            const again = duplicate ? "This tool call already closed these positions; nothing new was traded. " : "";
            return { positions, duplicate, message: `${again}Closed ${filled} of ${positions.length} positions (${positions.map((p) => p.symbol).join(", ")}); each close says what it did.` };
          }),
        ),
      ),
  });
}
