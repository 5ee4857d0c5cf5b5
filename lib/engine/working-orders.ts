import type { Money } from "./money";
import {
  closingSide,
  isBuySide,
  orderClassOf,
  timeInForceOf,
  type OrderRequest,
  type OrderSide,
  type OrderType,
  type TimeInForce,
  type Trail,
} from "./order";
import type { OrderStatus } from "./order-state";
import { divRound } from "./rounding";

/**
 * An order that works across bars, as the fill model (fill-model.ts) sees it. One request becomes one to three
 * of these: a bracket is its entry plus a take-profit and a stop-loss `held` until the entry fills, linked to
 * each other by `ocoWith`; an oco is two exits working at once; an oto an entry plus one held exit.
 * Values are immutable: the fill model returns new ones.
 */
export interface WorkingOrder {
  readonly id: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly role: "entry" | "take_profit" | "stop_loss";
  readonly quantity: number;
  readonly filledQuantity: number;
  /** Σ quantity × price of its fills so far (the fee of the next fill depends on it: fill-charges.ts). */
  readonly filledNotional: Money;
  readonly limitPrice?: Money;
  /** stop, stop_limit: the trigger. trailing_stop: the current stop level, moved with the water mark. */
  readonly stopPrice?: Money;
  readonly trail?: Trail;
  /** trailing_stop: the highest (sell) or lowest (buy) price since placing, bars' highs or lows. */
  readonly waterMark?: Money;
  readonly timeInForce: TimeInForce;
  /** A working status: held, accepted, triggered or partially_filled. */
  readonly status: OrderStatus;
  /** The stop was reached (stays true through partial fills). */
  readonly triggered: boolean;
  /** Held until this order fills (a bracket's or oto's exit). */
  readonly parentId?: string;
  /** The other leg of a one-cancels-other pair. */
  readonly ocoWith?: string;
  /** Start time (ms) of the bar the order was placed at: it may act on that bar and later ones, never earlier. */
  readonly placedAt: number;
}

/** Ids of the legs an order request becomes: `${id}` (entry, or an oco's take-profit), `${id}:tp`, `${id}:sl`. */
export function workingOrdersFor(
  request: OrderRequest,
  o: { readonly id: string; readonly placedAt: number; readonly lastPrice: Money },
): WorkingOrder[] {
  const tif = timeInForceOf(request);
  const common = { symbol: request.symbol, quantity: request.quantity, filledQuantity: 0, filledNotional: 0n, timeInForce: tif, triggered: false, placedAt: o.placedAt };
  const exitSide = closingSide(request.side);
  const tp = request.takeProfit;
  const sl = request.stopLoss;
  const takeProfit = (id: string, extra: Partial<WorkingOrder>): WorkingOrder => ({
    ...common, id, side: exitSide, type: "limit", role: "take_profit", limitPrice: tp?.limitPrice, status: "held", ...extra,
  });
  const stopLoss = (id: string, extra: Partial<WorkingOrder>): WorkingOrder => ({
    ...common, id, side: exitSide, role: "stop_loss", status: "held", stopPrice: sl?.stopPrice,
    ...(sl?.limitPrice === undefined ? { type: "stop" } : { type: "stop_limit", limitPrice: sl.limitPrice }),
    ...extra,
  });
  const cls = orderClassOf(request);
  if (cls === "oco") {
    // Both exits work at once; the request's side is the exit side.
    const side = request.side;
    return [
      takeProfit(o.id, { side, status: "accepted", ocoWith: `${o.id}:sl` }),
      stopLoss(`${o.id}:sl`, { side, status: "accepted", ocoWith: o.id }),
    ];
  }
  const entry: WorkingOrder = { ...common, ...entryFields(request, o.lastPrice), id: o.id, side: request.side, role: "entry", status: "accepted" };
  if (cls === "simple") return [entry];
  const legs: WorkingOrder[] = [entry];
  const both = tp !== undefined && sl !== undefined;
  if (tp) legs.push(takeProfit(`${o.id}:tp`, { parentId: o.id, ...(both ? { ocoWith: `${o.id}:sl` } : {}) }));
  if (sl) legs.push(stopLoss(`${o.id}:sl`, { parentId: o.id, ...(both ? { ocoWith: `${o.id}:tp` } : {}) }));
  return legs;
}

function entryFields(request: OrderRequest, lastPrice: Money): Pick<WorkingOrder, "type" | "limitPrice" | "stopPrice" | "trail" | "waterMark"> {
  switch (request.type) {
    case "market":
      return { type: "market" };
    case "limit":
      return { type: "limit", limitPrice: request.limitPrice };
    case "stop":
      return { type: "stop", stopPrice: request.stopPrice };
    case "stop_limit":
      return { type: "stop_limit", stopPrice: request.stopPrice, limitPrice: request.limitPrice };
    case "trailing_stop":
      return { type: "trailing_stop", trail: request.trail, waterMark: lastPrice, stopPrice: trailStop(request.side, lastPrice, request.trail) };
  }
}

/**
 * The stop level of a trailing stop at water mark `mark`: a sell stop trails below the high-water mark, a buy
 * stop above the low-water mark. Percent trails round to the micro against the account (a sell stop down, a buy
 * stop up: it triggers later) and never below 1 micro.
 */
export function trailStop(side: OrderSide, mark: Money, trail: Trail): Money {
  const buy = isBuySide(side);
  if (trail.kind === "price") {
    const stop = buy ? mark + trail.amount : mark - trail.amount;
    return stop < 1n ? 1n : stop;
  }
  const stop = buy
    ? divRound(mark * BigInt(10_000 + trail.bps), 10_000n, "ceil")
    : divRound(mark * BigInt(10_000 - trail.bps), 10_000n, "floor");
  return stop < 1n ? 1n : stop;
}

export function remainingQuantity(o: Pick<WorkingOrder, "quantity" | "filledQuantity">): number {
  return o.quantity - o.filledQuantity;
}
