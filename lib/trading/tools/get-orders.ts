import { tool } from "ai";
import { DEFAULT_ORDERS_LIMIT, TOOL_DESCRIPTIONS, type OrderOutput, type OrdersOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { listSessionOrders } from "@/lib/db/queries/session-orders";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import { bookOrderOutput, fillOutput, storedOrderOutput } from "./order-output";
import { parseToolInput, toolSchemas } from "./schemas";

const WORKING = new Set(["held", "accepted", "triggered", "partially_filled"]);

/**
 * get_orders: THIS session's orders. The book is the truth for what it holds (the working orders, the bar's
 * orders and fills not yet written); stored orders and fills of earlier bars are read as the user (one short read).
 * Oldest first, like get_bars: the working ones, or the latest `limit` orders of any status.
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
            // Oldest first: the stored ones (the query gives the newest first), then what the book placed this bar.
            const out = new Map<string, OrderOutput>();
            for (const r of [...stored].reverse()) out.set(r.id, storedOrderOutput(r));
            const onBook = [...book.pending.orders, ...open, ...book.pending.updated.values()];
            for (const o of onBook) {
              const fresh = book.pending.fills.filter((f) => f.orderId === o.id).map(fillOutput);
              out.set(o.id, bookOrderOutput(o, [...(out.get(o.id)?.fills ?? []), ...fresh]));
            }
            const orders = [...out.values()];
            if (status === "open") return { orders: orders.filter((o) => WORKING.has(o.status)) };
            return { orders: orders.slice(-limit) };
          }),
        ),
      ),
  });
}
