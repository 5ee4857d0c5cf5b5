import "server-only";
import { createHash } from "node:crypto";
import { tool } from "ai";
import { formatMoney, formatPrice, parseMoney, type OrderSide } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import type { Tx } from "@/lib/db/client";
import { getOrderWithFillByIdempotencyKey } from "@/lib/db/queries/orders";
import { TOOL_DESCRIPTIONS, type TradeOutput, type TradingToolName } from "@/lib/agent/tool-contract";
import type { PlacedOrder } from "../book";
import type { TradingContext } from "../context";
import { placeOrderOnBook, type BookOrderContext } from "../place-order";
import { parseToolInput, toolSchemas } from "./schemas";
import { asTool, ToolError } from "./errors";
import { dollarsText, normalizeSymbol } from "./format";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";

const SIDE: Record<TradingToolName, OrderSide> = { buy: "buy", sell: "sell", short: "sell_short", cover: "buy_to_cover" };
const DONE: Record<TradingToolName, string> = { buy: "Bought", sell: "Sold", short: "Sold short", cover: "Bought to cover" };

/**
 * The order's idempotency key: `<sessionId>:<toolCallId>`. Unique per model in the database, so a
 * repeated step (same tool-call id) returns the first result and never trades twice; scoped by session
 * because built-in models emit the same ids for the same bar in every session. An id that is not
 * 1–160 printable characters is hashed.
 */
export function idempotencyKeyFor(sessionId: string, toolCallId: string): string {
  const id = /^[\x21-\x7e]{1,160}$/.test(toolCallId) ? toolCallId : `sha256-${createHash("sha256").update(toolCallId).digest("hex")}`;
  return `${sessionId}:${id}`;
}

/** Placing an order on ctx's book; an order stored by an earlier run is read as ctx's user. */
export function bookOrderContextOf(ctx: TradingContext): BookOrderContext & { market: TradingContext["market"] } {
  const { sessionId, clock, market, book, rules, decisionId } = ctx;
  return { sessionId, clock, market, book, rules, decisionId, storedOrder: (key) => ctx.read((tx) => storedOrder(tx, ctx, key)) };
}

/**
 * buy / sell / short / cover. The order goes to ctx's session book only (there is no parameter that
 * could name another), and each runs alone (mutex), so orders of one step fill one after the other.
 * Business outcomes never throw: a rejected order is `{ status: "rejected", rejectCode, message }`,
 * written with the bar like a filled one.
 */
export function createTradeTool(ctx: TradingContext, rt: ToolRuntime, name: TradingToolName) {
  return tool({
    description: TOOL_DESCRIPTIONS[name],
    inputSchema: toolSchemas[name],
    execute: (input, { toolCallId }) =>
      rt.track(name, toolCallId, input, () =>
        rt.exclusive(() =>
          asTool(name, async (): Promise<TradeOutput> => {
            // Arguments outside the contract are a tool error (nothing placed); an order the market refuses is a rejected order.
            const { quantity, ...args } = parseToolInput(name, input);
            const symbol = normalizeSymbol(args.symbol);
            const order = { symbol, side: SIDE[name], quantity, type: "market", idempotencyKey: idempotencyKeyFor(ctx.sessionId, toolCallId) };
            try {
              return tradeOutput(name, symbol, quantity, await placeOrderOnBook(bookOrderContextOf(ctx), order));
            } catch (err) {
              // Refused before anything was stored (e.g. SESSION_ENDED): a rejection without an order.
              if (err instanceof AppError && err.kind === "reject") {
                return { status: "rejected", orderId: null, symbol, side: name, quantity, rejectCode: err.code, message: err.message, duplicate: false };
              }
              throw err;
            }
          }),
        ),
      ),
  });
}

function tradeOutput(name: TradingToolName, symbol: string, quantity: number, { order, fill, duplicate }: PlacedOrder): TradeOutput {
  const base = { orderId: order.id, symbol: order.symbol ?? symbol, side: name, quantity: order.quantity ?? quantity, duplicate };
  const again = duplicate ? `This tool call already placed order ${order.id}; nothing new was traded. It was: ` : "";
  if (order.status === "filled" && fill) {
    const { price, fee } = fill;
    const message = `${again}${DONE[name]} ${fill.quantity} ${fill.symbol} at ${formatPrice(price)} (fee ${formatMoney(fee)}); cash after: ${formatMoney(fill.cashAfter)}.`;
    return { ...base, status: "filled", price: dollarsText(price), fee: dollarsText(fee), message };
  }
  if (order.status === "rejected") {
    return { ...base, status: "rejected", rejectCode: order.rejectCode ?? "REJECTED", message: `${again}${order.rejectMessage ?? "the order was rejected"}` };
  }
  throw new ToolError("ILLEGAL_TRANSITION", `order ${order.id} is ${order.status}, which a market order cannot be`, "halt");
}

/** The order (and fill) stored under `key` for ctx's model, in the book's shape. */
async function storedOrder(tx: Tx, ctx: TradingContext, key: string): Promise<PlacedOrder> {
  const stored = await getOrderWithFillByIdempotencyKey(tx, { modelId: ctx.modelId, idempotencyKey: key, userId: ctx.userId });
  if (!stored) throw new AppError("retry", "IDEMPOTENCY_CONFLICT", "The order key is taken but its order cannot be read yet; retry");
  const { order: o, fill: f } = stored;
  const money = (v: string | null) => (v === null ? null : parseMoney(v));
  return {
    order: {
      id: o.id,
      idempotencyKey: o.idempotencyKey,
      decisionId: o.decisionId,
      symbol: o.symbol,
      side: o.side,
      quantity: o.quantity,
      status: o.status === "filled" ? "filled" : "rejected",
      referencePrice: money(o.referencePrice),
      rejectCode: o.rejectCode,
      rejectMessage: o.rejectMessage,
      request: null,
      placedAt: o.placedAt,
    },
    fill: f && {
      ...f,
      referencePrice: parseMoney(f.referencePrice),
      price: parseMoney(f.price),
      fee: parseMoney(f.fee),
      cashDelta: parseMoney(f.cashDelta),
      cashAfter: parseMoney(f.cashAfter),
      realizedPnl: money(f.realizedPnl),
    },
    duplicate: true,
  };
}
