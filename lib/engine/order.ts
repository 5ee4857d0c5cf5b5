import { describeValue } from "./instrument";
import type { Money } from "./money";

/**
 * Order requests. `type` discriminates the union so limit, stop and multi-leg orders can be added as
 * new members without touching the market-order code paths (switches are exhaustive).
 *
 * Sides are explicit about intent, so one order never flips a position through zero:
 * - buy           opens or increases a long
 * - sell          reduces or closes a long (never more than held)
 * - sell_short    opens or increases a short (only when shorting is enabled)
 * - buy_to_cover  reduces or closes a short (never more than short)
 */
export const ORDER_SIDES = ["buy", "sell", "sell_short", "buy_to_cover"] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export const ORDER_TYPES = ["market", "limit", "stop", "stop_limit", "trailing_stop"] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/**
 * Time in force (Alpaca's vocabulary): day (expires at the day's close), gtc (until cancelled), ioc (fill what
 * can be filled on the first bar, cancel the rest), fok (all on the first bar or nothing), opg (only at a day's
 * opening price), cls (only at a day's closing price). Which type allows which: TIME_IN_FORCE_BY_TYPE.
 */
export const TIME_IN_FORCE = ["day", "gtc", "ioc", "fok", "opg", "cls"] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];

/**
 * simple: one order. bracket: an opening entry plus a take-profit limit and a stop-loss that wait until the entry
 * fills, then cancel each other. oco: two exits (take-profit limit, stop-loss) working at once, one cancels the
 * other. oto: an entry plus one exit (take-profit or stop-loss) that waits until the entry fills.
 */
export const ORDER_CLASSES = ["simple", "bracket", "oco", "oto"] as const;
export type OrderClass = (typeof ORDER_CLASSES)[number];

/** The TIF × type matrix (as Alpaca): stops and trailing stops are day or gtc; opg/cls only market or limit. */
export const TIME_IN_FORCE_BY_TYPE: { readonly [T in OrderType]: readonly TimeInForce[] } = {
  market: TIME_IN_FORCE,
  limit: TIME_IN_FORCE,
  stop: ["day", "gtc"],
  stop_limit: ["day", "gtc"],
  trailing_stop: ["day", "gtc"],
};
/** bracket, oco and oto orders: day or gtc only (their legs share it). */
export const TIME_IN_FORCE_FOR_LINKED: readonly TimeInForce[] = ["day", "gtc"];

/** Fields every order has. Prices are exact Money (micros); timeInForce absent means "day". */
interface OrderBase {
  readonly symbol: string;
  readonly side: OrderSide;
  /** Whole shares, a positive safe integer. */
  readonly quantity: number;
  readonly timeInForce?: TimeInForce;
  /** Absent means "simple". */
  readonly orderClass?: OrderClass;
  /** bracket, oco, oto: the take-profit leg's limit price. */
  readonly takeProfit?: { readonly limitPrice: Money };
  /** bracket, oco, oto: the stop-loss leg (a stop, or a stop-limit when limitPrice is given). */
  readonly stopLoss?: { readonly stopPrice: Money; readonly limitPrice?: Money };
}

export interface MarketOrderRequest extends OrderBase {
  readonly type: "market";
}

export interface LimitOrderRequest extends OrderBase {
  readonly type: "limit";
  readonly limitPrice: Money;
}

export interface StopOrderRequest extends OrderBase {
  readonly type: "stop";
  readonly stopPrice: Money;
}

export interface StopLimitOrderRequest extends OrderBase {
  readonly type: "stop_limit";
  readonly stopPrice: Money;
  readonly limitPrice: Money;
}

/** A trailing stop trails its water mark by a fixed amount or by a share of it (exactly one of the two). */
export type Trail = { readonly kind: "price"; readonly amount: Money } | { readonly kind: "percent"; readonly bps: number };

export interface TrailingStopOrderRequest extends OrderBase {
  readonly type: "trailing_stop";
  readonly trail: Trail;
}

export type OrderRequest =
  | MarketOrderRequest
  | LimitOrderRequest
  | StopOrderRequest
  | StopLimitOrderRequest
  | TrailingStopOrderRequest;

export function timeInForceOf(request: Pick<OrderBase, "timeInForce">): TimeInForce {
  return request.timeInForce ?? "day";
}

export function orderClassOf(request: Pick<OrderBase, "orderClass">): OrderClass {
  return request.orderClass ?? "simple";
}

/** The side that closes what `side` opens: buy → sell, sell_short → buy_to_cover (and back). */
export function closingSide(side: OrderSide): OrderSide {
  switch (side) {
    case "buy":
      return "sell";
    case "sell_short":
      return "buy_to_cover";
    case "sell":
      return "buy";
    case "buy_to_cover":
      return "sell_short";
  }
}

/** +1 when the side adds shares (buy, buy_to_cover), −1 when it removes them (sell, sell_short). */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === "buy" || side === "buy_to_cover" ? 1 : -1;
}

/** True for sides that pay cash (buy, buy_to_cover). */
export function isBuySide(side: OrderSide): boolean {
  return side === "buy" || side === "buy_to_cover";
}

/** True for sides that open or grow exposure (buy, sell_short). */
export function isOpeningSide(side: OrderSide): boolean {
  return side === "buy" || side === "sell_short";
}

export function isValidQuantity(quantity: number): boolean {
  return Number.isSafeInteger(quantity) && quantity > 0;
}

/** Why `input` is not a valid quantity, in words an LLM can act on; null when it is valid. */
export function quantityProblem(input: unknown): string | null {
  const rule = "quantity must be a positive whole number of shares, e.g. 10";
  if (typeof input === "number") {
    if (isValidQuantity(input)) return null;
    if (Number.isNaN(input)) return `${rule}; got NaN`;
    if (!Number.isFinite(input)) return `${rule}; got ${input}`;
    if (input <= 0) return `${rule}; got ${input}${input < 0 ? ' (to reduce a position use side "sell" or "buy_to_cover")' : ""}`;
    if (!Number.isInteger(input)) return `${rule}; got ${input}, fractional shares are not supported (try ${Math.floor(input) || 1})`;
    return `${rule}; got ${input}, which is too large to count exactly`;
  }
  if (typeof input === "string") {
    const n = Number(input);
    const hint = input.trim() !== "" && isValidQuantity(n) ? `; send the number ${n}, not a string` : "";
    return `${rule}; got ${describeValue(input)}${hint}`;
  }
  return `${rule}; got ${describeValue(input)}`;
}
