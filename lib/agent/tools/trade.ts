import "server-only";
import { createHash } from "node:crypto";
import { tool } from "ai";
import { formatMoney, formatPrice, parseMoney, type OrderSide } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import type { MarketView } from "@/lib/market";
import { placeOrder, type PlaceOrderResult } from "@/lib/services/place-order";
import type { PriceSource, TradingContext } from "@/lib/services/trading-context";
import { type TradeOutput, type TradingToolName } from "../tool-contract";
import { toolSchemas } from "./schemas";
import type { AgentContext } from "./context";
import { asTool, ToolError } from "./errors";
import { forgetHoldings } from "./portfolio";
import { dollarsText, normalizeSymbol } from "./format";
import type { ToolRuntime } from "./runtime";

const SIDE: Record<TradingToolName, OrderSide> = { buy: "buy", sell: "sell", short: "sell_short", cover: "buy_to_cover" };
const DONE: Record<TradingToolName, string> = { buy: "Bought", sell: "Sold", short: "Sold short", cover: "Bought to cover" };
const DESCRIPTION: Record<TradingToolName, string> = {
  buy: "Buy whole shares at the open of the bar in progress, to open or add to a long position. Needs enough cash for shares, slippage and fee.",
  sell: "Sell whole shares of a long position you hold, at the open of the bar in progress.",
  short: "Sell short whole shares you do not hold, at the open of the bar in progress (if the session allows shorting; needs margin).",
  cover: "Buy back whole shares of a short position, at the open of the bar in progress.",
};

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

/** placeOrder prices orders through a PriceSource; the market view is one (its quote is gated by the clock). */
export function priceSourceOf(view: MarketView): PriceSource {
  return { universe: view.universe, quote: (symbol) => view.quote(symbol) };
}

export function tradingContextOf(ctx: AgentContext): TradingContext {
  const { userId, modelId, sessionId, clock, decisionId } = ctx;
  return { userId, modelId, sessionId, clock, decisionId, market: priceSourceOf(ctx.market) };
}

/**
 * buy / sell / short / cover. The order goes to ctx's session only (there is no parameter that could
 * name another). Each runs alone (mutex) inside a savepoint of ctx.db: a database fault rolls back
 * that order only, and the model sees it as a tool error. Business outcomes never throw: a rejected
 * order is `{ status: "rejected", rejectCode, message }` and is stored as such by placeOrder.
 */
export function createTradeTool(ctx: AgentContext, rt: ToolRuntime, name: TradingToolName) {
  return tool({
    description: DESCRIPTION[name],
    inputSchema: toolSchemas[name],
    execute: (input, { toolCallId }) =>
      rt.track(name, toolCallId, input, () =>
        rt.exclusive(() =>
          asTool(name, async (): Promise<TradeOutput> => {
            const symbol = normalizeSymbol(input.symbol);
            const order = { symbol, side: SIDE[name], quantity: input.quantity, type: "market", idempotencyKey: idempotencyKeyFor(ctx.sessionId, toolCallId) };
            try {
              const result = await ctx.db
                .transaction((savepoint) => placeOrder(savepoint, tradingContextOf(ctx), order))
                .finally(() => forgetHoldings(ctx)); // a portfolio read before this order is stale now
              return tradeOutput(name, symbol, input.quantity, result);
            } catch (err) {
              // Refused before anything was stored (e.g. SESSION_ENDED): a rejection without an order.
              if (err instanceof AppError && err.kind === "reject") {
                return { status: "rejected", orderId: null, symbol, side: name, quantity: input.quantity, rejectCode: err.code, message: err.message, duplicate: false };
              }
              throw err;
            }
          }),
        ),
      ),
  });
}

function tradeOutput(name: TradingToolName, symbol: string, quantity: number, { order, fill, duplicate }: PlaceOrderResult): TradeOutput {
  const base = { orderId: order.id, symbol: order.symbol ?? symbol, side: name, quantity: order.quantity ?? quantity, duplicate };
  const again = duplicate ? `This tool call already placed order ${order.id}; nothing new was traded. It was: ` : "";
  if (order.status === "filled" && fill) {
    const price = parseMoney(fill.price);
    const fee = parseMoney(fill.fee);
    const message = `${again}${DONE[name]} ${fill.quantity} ${fill.symbol} at ${formatPrice(price)} (fee ${formatMoney(fee)}); cash after: ${formatMoney(parseMoney(fill.cashAfter))}.`;
    return { ...base, status: "filled", price: dollarsText(price), fee: dollarsText(fee), message };
  }
  if (order.status === "rejected") {
    return { ...base, status: "rejected", rejectCode: order.rejectCode ?? "REJECTED", message: `${again}${order.rejectMessage ?? "the order was rejected"}` };
  }
  throw new ToolError("ILLEGAL_TRANSITION", `order ${order.id} is ${order.status}, which a market order cannot be`);
}
