import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type PlaceOrderOutput, type ToolInputs } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { getComboOrder, getOrderWithFillByIdempotencyKey } from "@/lib/db/queries/orders";
import { parseMoney, parseOrderRequest, type OrderSide, type OrderStatus } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import type { BookOrder, PlacedOrder } from "../book";
import type { TradingContext } from "../context";
import { placeComboOrderOnBook } from "../place-combo-order";
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
            const key = idempotencyKeyFor(ctx.sessionId, toolCallId);
            if (args.orderClass === "mleg") return placeOrderOutput(ctx, await placeComboOrder(ctx, args, key));
            if (args.legs !== undefined) throw new ToolError("INVALID_ARGUMENTS", 'legs go with orderClass "mleg" (a multi-leg option strategy); nothing was placed');
            const parsed = parseOrderRequest({ ...args, symbol: args.symbol === undefined ? undefined : normalizeSymbol(args.symbol) });
            if (!parsed.ok) throw new ToolError("INVALID_ARGUMENTS", `${parsed.error.message}; nothing was placed`);
            const base = bookOrderContextOf(ctx);
            const placed = await placeWorkingOrderOnBook({ ...base, storedOrder: (k) => ctx.read((tx) => storedOrder(tx, ctx, k)) }, parsed.value, key, JSON.stringify(args));
            return placeOrderOutput(ctx, placed);
          }),
        ),
      ),
  });
}

/**
 * orderClass mleg: a multi-leg option strategy on the book, all or none (place-combo-order.ts). Fields of a single
 * order (symbol, side, stops, trails, brackets) are refused in words, as a combination the contract does not take.
 */
async function placeComboOrder(ctx: TradingContext, args: ToolInputs["place_order"], key: string): Promise<PlacedOrder> {
  const stray = (["symbol", "side", "stopPrice", "trailPrice", "trailPercent", "takeProfit", "stopLoss"] as const).filter((f) => args[f] !== undefined);
  if (stray.length > 0) throw new ToolError("INVALID_ARGUMENTS", `a multi-leg order (orderClass mleg) takes legs, quantity, type, limitPrice and timeInForce, not ${stray.join(", ")}; nothing was placed`);
  if (args.legs === undefined) throw new ToolError("INVALID_ARGUMENTS", "orderClass mleg needs legs: 2 to 4 of { symbol, side, ratio, positionIntent }; nothing was placed");
  if (args.type !== "market" && args.type !== "limit") throw new ToolError("INVALID_ARGUMENTS", `a multi-leg order is a market or limit order, not ${args.type}; nothing was placed`);
  if (args.timeInForce !== undefined && args.timeInForce !== "day" && args.timeInForce !== "gtc") {
    throw new ToolError("INVALID_ARGUMENTS", `a multi-leg order's timeInForce is day or gtc, not ${args.timeInForce}; nothing was placed`);
  }
  const legs = args.legs.map((l) => ({ ...l, symbol: normalizeSymbol(l.symbol) }));
  const input = { legs, quantity: args.quantity, type: args.type, limitPrice: args.limitPrice, timeInForce: args.timeInForce };
  const base = bookOrderContextOf(ctx);
  return placeComboOrderOnBook({ ...base, market: ctx.market, storedOrder: (k) => ctx.read((tx) => storedOrder(tx, ctx, k)) }, input, key, JSON.stringify(args));
}

export function placeOrderOutput(ctx: TradingContext, placed: PlacedOrder): PlaceOrderOutput {
  const fillsOf = (id: string) => ctx.book.pending.fills.filter((f) => f.orderId === id);
  const order = bookOrderOutput(placed.order, placed.fill ? [placed.fill] : fillsOf(placed.order.id));
  const legs = (placed.legs ?? []).map((l) => bookOrderOutput(l, fillsOf(l.id)));
  const again = placed.duplicate ? `This tool call already placed order ${order.orderId}; nothing new was placed. It was: ` : "";
  return { ...order, legs, duplicate: placed.duplicate, message: `${again}${messageOf(placed)}` };
}

export function messageOf({ order, fill, legs }: PlacedOrder): string {
  if (order.status === "rejected") return order.rejectMessage ?? "the order was rejected";
  if (order.combo) {
    const s = order.combo.strategy as { label?: string; netPrice?: string; maxLoss?: string | null; maxProfit?: string | null };
    const net = Number(s.netPrice ?? 0);
    const money = (v: string | null | undefined) => (v === null || v === undefined ? "unlimited" : `$${Number(v).toFixed(2)}`);
    return `Filled ${order.quantity} ${s.label ?? "strategy"} at a net ${net < 0 ? "credit" : "debit"} of $${Math.abs(net).toFixed(2)} a share (${legs?.length ?? 0} legs, all at once); per unit, maximum profit ${money(s.maxProfit)}, maximum loss ${money(s.maxLoss)}.`;
  }
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
  // A multi-leg order: its strategy and legs, as its first answer gave them (their fills are get_orders').
  const combo = o.side === null && o.status !== "rejected" ? await getComboOrder(tx, { sessionId: ctx.sessionId, userId: ctx.userId, orderId: o.id }) : null;
  if (combo) {
    const p = combo.parent;
    const at = o.placedAt;
    const legOrder = (l: (typeof combo.legs)[number]): BookOrder => ({
      id: l.id, idempotencyKey: "", decisionId: o.decisionId, symbol: l.symbol, side: l.side as OrderSide, quantity: l.quantity, status: l.status as OrderStatus,
      referencePrice: null, rejectCode: null, rejectMessage: null, request: null, placedAt: at, comboParentId: o.id,
    });
    return {
      order: {
        id: o.id, idempotencyKey: o.idempotencyKey, decisionId: o.decisionId, symbol: o.symbol, side: null, quantity: o.quantity, status: o.status,
        referencePrice: null, rejectCode: o.rejectCode, rejectMessage: o.rejectMessage, request: null, placedAt: at,
        combo: { type: p.type as "market" | "limit", timeInForce: p.timeInForce as "day" | "gtc", netLimit: p.limitPrice === null ? null : parseMoney(p.limitPrice), strategy: p.strategy ?? {} },
      },
      fill: null,
      duplicate: true,
      legs: combo.legs.map(legOrder),
    };
  }
  return {
    // Its type as stored (a working order's answer said "market" before): the rest of a working order's state is get_orders'.
    order: { id: o.id, idempotencyKey: o.idempotencyKey, decisionId: o.decisionId, symbol: o.symbol, side: o.side, quantity: o.quantity, status: o.status, type: o.type, referencePrice: null, rejectCode: o.rejectCode, rejectMessage: o.rejectMessage, request: null, placedAt: o.placedAt },
    fill: null,
    duplicate: true,
  };
}
