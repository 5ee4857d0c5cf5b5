import { failure, type EngineFailure } from "./errors";
import type { Money } from "./money";
import { isValidQuantity, ORDER_SIDES, type OrderSide } from "./order";

/** One execution. Price is per share after slippage; fee is the commission for this fill. */
export interface Fill {
  /** Unique id; applying the same id twice is DUPLICATE_FILL. */
  readonly id: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: Money;
  readonly fee: Money;
}

const sides: ReadonlySet<string> = new Set(ORDER_SIDES);

/** Structural checks on a fill (our own data, so failures are INVALID_FILL: halt, not reject). */
export function fillProblem(fill: Fill): EngineFailure | null {
  if (fill.id.length === 0) return failure("INVALID_FILL", "fill id is empty");
  if (!sides.has(fill.side)) return failure("INVALID_FILL", `fill ${fill.id}: unknown side "${fill.side}"`);
  if (!isValidQuantity(fill.quantity)) {
    return failure("INVALID_FILL", `fill ${fill.id}: quantity ${fill.quantity} is not a positive whole number`);
  }
  if (fill.price <= 0n) return failure("INVALID_FILL", `fill ${fill.id}: price must be > 0 micros`);
  if (fill.fee < 0n) return failure("INVALID_FILL", `fill ${fill.id}: fee must be ≥ 0 micros`);
  return null;
}
