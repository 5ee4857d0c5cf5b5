import { describeValue } from "./instrument";

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

export const ORDER_TYPES = ["market"] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export interface MarketOrderRequest {
  readonly type: "market";
  readonly symbol: string;
  readonly side: OrderSide;
  /** Whole shares, a positive safe integer. */
  readonly quantity: number;
}

export type OrderRequest = MarketOrderRequest;

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
