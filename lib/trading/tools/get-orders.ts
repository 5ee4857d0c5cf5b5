import { tool } from "ai";
import { DEFAULT_ORDERS_LIMIT, TOOL_DESCRIPTIONS, type OrderOutput, type OrdersOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { listSessionOrders } from "@/lib/db/queries/session-orders";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { bookOrderOutput, fillOutput, storedOrderOutput } from "./order-output";
import { parseToolInput, toolSchemas } from "./schemas";

/**
 * get_orders: THIS session's orders. The book is the truth for what it holds (the working orders, the bar's
 * orders and fills not yet written); stored orders and fills of earlier bars are read as the user (one short read).
 */
export function createGetOrdersTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.get_orders,
    inputSchema: toolSchemas.get_orders,
    execute: (input, { toolCallId }) =>
      rt.track("get_orders", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("get_orders", async (): Promise<OrdersOutput> => {
            const { status = "open", limit = DEFAULT_ORDERS_LIMIT } = parseToolInput("get_orders", input);
            const { book } = ctx;
            const open = book.working().map((w) => book.orderById(w.id)!);
            const ids = open.map((o) => o.id);
            const stored = await ctx.read((tx) => listSessionOrders(tx, { sessionId: ctx.sessionId, userId: ctx.userId, limit: status === "all" ? limit : 0, ids }));
            const storedFills = new Map(stored.map((r) => [r.id, storedOrderOutput(r).fills]));
            const out = new Map<string, OrderOutput>();
            for (const r of stored) out.set(r.id, storedOrderOutput(r));
            const onBook = status === "all" ? [...open, ...book.pending.orders, ...book.pending.updated.values()] : open;
            for (const o of onBook) {
              const fresh = book.pending.fills.filter((f) => f.orderId === o.id).map(fillOutput);
              out.set(o.id, bookOrderOutput(o, [...(storedFills.get(o.id) ?? []), ...fresh]));
            }
            const orders = [...out.values()].filter((o) => status === "all" || ["held", "accepted", "triggered", "partially_filled"].includes(o.status));
            orders.sort((a, b) => (a.placedAt < b.placedAt ? 1 : a.placedAt > b.placedAt ? -1 : 0));
            return { orders: status === "all" ? orders.slice(0, limit) : orders };
          }),
        ),
      ),
  });
}
