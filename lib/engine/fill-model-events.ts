import type { ProposedFill } from "./check-order";
import type { Money } from "./money";

/** A fill the fill model produced: apply it with applyFill (its id is unique per order and bar). */
export interface ModelFill extends Pick<ProposedFill, "symbol" | "side" | "quantity" | "price" | "fee"> {
  readonly id: string;
  readonly orderId: string;
  /** The bar price the rules chose (within the bar's range), before slippage; `price` is after it, never worse than the order's limit. */
  readonly referencePrice: Money;
  /** Start (ms) of the bar it filled in. */
  readonly time: number;
}

export type CancelReason =
  | "oco" // its other leg filled
  | "parent_ended" // its entry was cancelled or expired before any fill
  | "ioc" // immediate-or-cancel: the rest after the first bar
  | "fok" // fill-or-kill: the whole quantity was not available on the first bar
  | "insufficient_cash" // at the fill, the account could not pay
  | "insufficient_margin" // at the fill, a written contract's margin was not there (the trading core's check: match-option-orders.ts)
  | "insufficient_shares" // at the fill, the shares to sell or cover were not there
  | "requested" // cancelled by its owner, the model (cancelWorkingOrder)
  | "requested_by_user"; // cancelled by a person, the session's owner, from the viewer or the API (docs/trading.md)

/** contract_expired: an order on an option contract past its expiry's close (the trading core ends it; the fill model never does). */
export type ExpireReason = "day" | "opg" | "cls" | "contract_expired";

/** Everything that happened to working orders on one bar, in order. `time` is the bar's start (ms). */
export type OrderBookEvent =
  | { readonly kind: "activated"; readonly orderId: string; readonly parentId: string; readonly quantity: number; readonly time: number }
  | { readonly kind: "triggered"; readonly orderId: string; readonly stopPrice: Money; readonly time: number }
  | { readonly kind: "filled" | "partially_filled"; readonly orderId: string; readonly fill: ModelFill; readonly filledQuantity: number; readonly time: number }
  | { readonly kind: "cancelled"; readonly orderId: string; readonly reason: CancelReason; readonly message: string; readonly time: number }
  | { readonly kind: "expired"; readonly orderId: string; readonly reason: ExpireReason; readonly time: number }
  | { readonly kind: "water_mark_moved"; readonly orderId: string; readonly waterMark: Money; readonly stopPrice: Money; readonly time: number };
