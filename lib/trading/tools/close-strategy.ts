import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type PlaceOrderOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { getComboOrder } from "@/lib/db/queries/orders";
import { isOccSymbol } from "@/lib/engine";
import type { TradingContext } from "../context";
import { placeComboOrderOnBook } from "../place-combo-order";
import { placedBefore } from "../place-order";
import { asTool, ToolError } from "./errors";
import { placeOrderOutput, storedOrder } from "./place-order";
import { parseToolInput, toolSchemas } from "./schemas";
import { bookOrderContextOf, idempotencyKeyFor } from "./trade";

type Combo = NonNullable<Awaited<ReturnType<typeof getComboOrder>>>;

/**
 * close_strategy (issue #24 item 4): a filled multi-leg order's legs closed at once, as one multi-leg market order on ctx's
 * book (place-combo-order.ts: all or none): each leg bought sold back (sell_to_close), each leg sold bought back
 * (buy_to_close), for the units still held as placed (or `quantity` of them). The strategy is read from this bar's book,
 * else from the session's orders as its user: another user's or session's order is not found. A strategy not filled,
 * or no longer held leg for leg, is a tool error in words and nothing is placed.
 */
export function createCloseStrategyTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.close_strategy,
    inputSchema: toolSchemas.close_strategy,
    execute: (input, { toolCallId }) =>
      rt.track("close_strategy", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("close_strategy", async (): Promise<PlaceOrderOutput> => {
            const args = parseToolInput("close_strategy", input);
            const key = idempotencyKeyFor(ctx.sessionId, toolCallId);
            const base = bookOrderContextOf(ctx);
            const orderCtx = { ...base, market: ctx.market, storedOrder: (k: string) => ctx.read((tx) => storedOrder(tx, ctx, k)) };
            // The same call again answers what it placed (before the legs it closed are looked for).
            const again = await placedBefore(orderCtx, key);
            if (again) return placeOrderOutput(ctx, again);
            const combo = comboOnBook(ctx, args.orderId) ?? (await ctx.read((tx) => getComboOrder(tx, { sessionId: ctx.sessionId, userId: ctx.userId, orderId: args.orderId })));
            if (!combo) throw new ToolError("NOT_FOUND", `there is no multi-leg order ${args.orderId} in this session (close_strategy takes the orderId place_order gave a strategy); nothing was placed`);
            if (combo.parent.status !== "filled" || !combo.parent.quantity) throw new ToolError("NOTHING_TO_CLOSE", `the multi-leg order ${args.orderId} is ${combo.parent.status}: none of it was bought or sold; nothing was placed`);
            const units = combo.parent.quantity;
            const legs = combo.legs.map((l) => ({ symbol: l.symbol, ratio: l.quantity / units, bought: l.side === "buy" || l.side === "buy_to_cover" }));
            // Units still held leg for leg: a leg bought must still be long, a leg sold still short, ratio × units each.
            const held = Math.min(...legs.map((l) => {
              const q = ctx.book.positions.get(l.symbol)?.quantity ?? 0;
              return Math.floor((l.bought ? Math.max(0, q) : Math.max(0, -q)) / l.ratio);
            }));
            if (held === 0) throw new ToolError("NOTHING_TO_CLOSE", `the legs of multi-leg order ${args.orderId} are no longer held as it placed them (a leg closed, exercised or assigned on its own); close what is left with place_option_order; nothing was placed`);
            const quantity = args.quantity ?? held;
            if (quantity > held) throw new ToolError("NOTHING_TO_CLOSE", `only ${held} unit${held === 1 ? "" : "s"} of multi-leg order ${args.orderId} are still held; nothing was placed`);
            const closing = legs.map((l) => ({
              symbol: l.symbol,
              side: l.bought ? ("sell" as const) : ("buy" as const),
              ratio: l.ratio,
              ...(isOccSymbol(l.symbol) ? { positionIntent: l.bought ? ("sell_to_close" as const) : ("buy_to_close" as const) } : {}),
            }));
            const placed = await placeComboOrderOnBook(
              orderCtx,
              { legs: closing, quantity, type: "market" },
              key,
              JSON.stringify(args),
            );
            return placeOrderOutput(ctx, placed);
          }),
        ),
      ),
  });
}

/** A multi-leg order placed this bar (not stored yet), as the stored read gives it. */
function comboOnBook(ctx: TradingContext, orderId: string): Combo | null {
  const parent = ctx.book.pending.orders.find((o) => o.id === orderId && o.combo);
  if (!parent) return null;
  const legs = ctx.book.pending.orders.filter((o) => o.comboParentId === orderId);
  return {
    parent: { id: parent.id, symbol: parent.symbol, quantity: parent.quantity, status: parent.status, type: "market", timeInForce: "day", limitPrice: null, strategy: null },
    legs: legs.map((l) => ({ id: l.id, symbol: l.symbol!, side: l.side!, quantity: l.quantity!, status: l.status })),
  };
}
