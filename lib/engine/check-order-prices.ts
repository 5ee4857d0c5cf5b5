import { failure, type EngineFailure } from "./errors";
import type { Money } from "./money";
import { isBuySide, orderClassOf, type OrderRequest } from "./order";
import { showPrice } from "./order-price";

/**
 * Order prices against the last price (the open the order is placed at). Static rules (fields, legs in order)
 * are in order-contract-rules.ts. Here:
 * - every price within PRICE_BAND of the last price: farther is a mistake of units (cents, a total), not a plan;
 * - a stop (stop, stop_limit) on the side it triggers from: a buy stop above the last price, a sell stop below;
 * - a trailing stop's distance smaller than the price (a sell trail of $120 on a $100 stock never triggers);
 * - exits that would act at once: a long's take-profit above and stop-loss below the last price (a short's the
 *   reverse), when the entry is a market order or the order is an oco.
 */
export const PRICE_BAND = 10n;

export function orderPriceVsMarketProblem(request: OrderRequest, last: Money): EngineFailure | null {
  return bandProblem(request, last) ?? stopSideProblem(request, last) ?? trailProblem(request, last) ?? exitsProblem(request, last);
}

function prices(request: OrderRequest): [string, Money][] {
  const out: [string, Money][] = [];
  if (request.type === "limit" || request.type === "stop_limit") out.push(["limitPrice", request.limitPrice]);
  if (request.type === "stop" || request.type === "stop_limit") out.push(["stopPrice", request.stopPrice]);
  if (request.takeProfit) out.push(["takeProfit.limitPrice", request.takeProfit.limitPrice]);
  if (request.stopLoss) out.push(["stopLoss.stopPrice", request.stopLoss.stopPrice]);
  if (request.stopLoss?.limitPrice !== undefined) out.push(["stopLoss.limitPrice", request.stopLoss.limitPrice]);
  return out;
}

function bandProblem(request: OrderRequest, last: Money): EngineFailure | null {
  for (const [field, price] of prices(request)) {
    if (price > last * PRICE_BAND || price * PRICE_BAND < last) {
      const rel = price > last ? `more than ${PRICE_BAND}× the last price` : `less than 1/${PRICE_BAND} of the last price`;
      return failure(
        "INVALID_ORDER_PRICE",
        `${field} ${showPrice(price)} is ${rel} ${showPrice(last)} of ${request.symbol}; prices are dollars per share, within ${PRICE_BAND}× of the last price`,
      );
    }
  }
  return null;
}

function stopSideProblem(request: OrderRequest, last: Money): EngineFailure | null {
  if (request.type !== "stop" && request.type !== "stop_limit") return null;
  const buy = isBuySide(request.side);
  const stop = request.stopPrice;
  if (buy ? stop > last : stop < last) return null;
  const word = buy ? "buy" : "sell";
  const kind = request.type === "stop" ? "stop" : "stop-limit";
  const limitHint = buy ? "to buy below the price use a limit order" : "to sell above the price use a limit order";
  return failure(
    "INVALID_ORDER_PRICE",
    `${word} ${kind} ${showPrice(stop)} is ${stop === last ? "at" : buy ? "below" : "above"} the last price ${showPrice(last)}: a ${word} stop must be ${buy ? "above" : "below"} it (it triggers when the price ${buy ? "rises" : "falls"} to it); ${limitHint}`,
  );
}

function trailProblem(request: OrderRequest, last: Money): EngineFailure | null {
  if (request.type !== "trailing_stop" || request.trail.kind !== "price") return null;
  if (isBuySide(request.side) || request.trail.amount < last) return null;
  return failure(
    "INVALID_ORDER_PRICE",
    `trailPrice ${showPrice(request.trail.amount)} is not below the last price ${showPrice(last)}: the stop would be at or below $0 and never trigger; use a smaller trailPrice or trailPercent`,
  );
}

function exitsProblem(request: OrderRequest, last: Money): EngineFailure | null {
  const cls = orderClassOf(request);
  if (cls === "simple" || (cls !== "oco" && request.type !== "market")) return null;
  const long = request.side === "buy" || request.side === "sell";
  const tp = request.takeProfit?.limitPrice;
  const sl = request.stopLoss?.stopPrice;
  const what = cls === "oco" ? `an oco ${request.side}` : `a market ${request.side} ${cls}`;
  if (tp !== undefined && (long ? tp <= last : tp >= last)) {
    return failure(
      "INVALID_ORDER_PRICE",
      `${what}'s takeProfit.limitPrice ${showPrice(tp)} must be ${long ? "above" : "below"} the last price ${showPrice(last)}, or it takes no profit`,
    );
  }
  if (sl !== undefined && (long ? sl >= last : sl <= last)) {
    return failure(
      "INVALID_ORDER_PRICE",
      `${what}'s stopLoss.stopPrice ${showPrice(sl)} must be ${long ? "below" : "above"} the last price ${showPrice(last)}, or it stops out at once`,
    );
  }
  return null;
}
