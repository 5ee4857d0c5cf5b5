import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type PlaceOrderOutput } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { getOrderWithFillByIdempotencyKey } from "@/lib/db/queries/orders";
import { parseOrderRequest } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import type { PlacedOrder } from "../book";
import type { TradingContext } from "../context";
import { placeWorkingOrderOnBook } from "../place-working-order";
import { asTool, ToolError } from "./errors";
import { normalizeSymbol } from "./format";
import { bookOrderOutput } from "./order-output";
import { parseToolInput, toolSchemas } from "./schemas";
import { bookOrderContextOf, idempotencyKeyFor } from "./trade";

/**
 * place_order (issue #22's order contract) on ctx's book only. Arguments outside the contract, or a
 * combination the contract refuses (fields of another type, a time in force the type does not take, legs
 * in the wrong order), are a tool error in words and nothing is placed or written. An order the market
 * refuses (a stop on the wrong side of the last price, not enough free cash) is a rejected order, written
 * with the bar, as buy/sell's are. The same tool-call id answers the first result (`duplicate`).
 */
export function createPlaceOrderTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.place_order,
    inputSchema: toolSchemas.place_order,
    execute: (input, { toolCallId }) =>
      rt.track("place_order", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("place_order", async (): Promise<PlaceOrderOutput> => {
            const args = parseToolInput("place_order", input);
            const parsed = parseOrderRequest({ ...args, symbol: normalizeSymbol(args.symbol) });
            if (!parsed.ok) throw new ToolError("INVALID_ARGUMENTS", `${parsed.error.message}; nothing was placed`);
            const key = idempotencyKeyFor(ctx.sessionId, toolCallId);
            const base = bookOrderContextOf(ctx);
            const placed = await placeWorkingOrderOnBook({ ...base, storedOrder: (k) => ctx.read((tx) => storedOrder(tx, ctx, k)) }, parsed.value, key, JSON.stringify(args));
            return placeOrderOutput(ctx, placed);
          }),
        ),
      ),
  });
}

export function placeOrderOutput(ctx: TradingContext, placed: PlacedOrder): PlaceOrderOutput {
  const fillsOf = (id: string) => ctx.book.pending.fills.filter((f) => f.orderId === id);
  const order = bookOrderOutput(placed.order, placed.fill ? [placed.fill] : fillsOf(placed.order.id));
  const legs = (placed.legs ?? []).map((l) => bookOrderOutput(l, []));
  const again = placed.duplicate ? `This tool call already placed order ${order.orderId}; nothing new was placed. It was: ` : "";
  return { ...order, legs, duplicate: placed.duplicate, message: `${again}${messageOf(placed)}` };
}

export function messageOf({ order, fill, legs }: PlacedOrder): string {
  if (order.status === "rejected") return order.rejectMessage ?? "the order was rejected";
  if (order.status === "filled" && fill) return `Filled ${fill.quantity} ${fill.symbol} at the open.`;
  const what = `${order.side} ${order.quantity} ${order.symbol} ${order.working?.order.type ?? "order"}`;
  const withLegs = legs && legs.length > 0 ? ` with ${legs.map((l) => l.working?.order.role.replace("_", "-")).join(" and ")} leg${legs.length > 1 ? "s" : ""}` : "";
  return `Working: ${what}${withLegs}, ${order.status}; it is matched against each bar once the bar has closed, from this one on.`;
}

/** An order stored by an earlier run under `key` (a retried call of a bar already written). */
export async function storedOrder(tx: Parameters<Parameters<TradingContext["read"]>[0]>[0], ctx: TradingContext, key: string): Promise<PlacedOrder> {
  const stored = await getOrderWithFillByIdempotencyKey(tx, { modelId: ctx.modelId, idempotencyKey: key, userId: ctx.userId });
  if (!stored) throw new AppError("retry", "IDEMPOTENCY_CONFLICT", "The order key is taken but its order cannot be read yet; retry");
  const o = stored.order;
  return {
    // Its type as stored (a working order's answer said "market" before): the rest of a working order's state is get_orders'.
    order: { id: o.id, idempotencyKey: o.idempotencyKey, decisionId: o.decisionId, symbol: o.symbol, side: o.side, quantity: o.quantity, status: o.status, type: o.type, referencePrice: null, rejectCode: o.rejectCode, rejectMessage: o.rejectMessage, request: null, placedAt: o.placedAt },
    fill: null,
    duplicate: true,
  };
}
