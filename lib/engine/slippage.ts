import { failure, type EngineFailure } from "./errors";
import type { Money } from "./money";
import type { OrderSide } from "./order";
import { isBuySide } from "./order";
import { divRound } from "./rounding";

/**
 * Fill price = reference price (the bar's open) moved `bps` basis points against the trader:
 * buy / buy_to_cover pay   ceil(price × (10 000 + bps) / 10 000)
 * sell / sell_short receive floor(price × (10 000 − bps) / 10 000), never below 1 micro.
 * Rounding is to the micro and always in the account's disfavour.
 */
export function applySlippage(price: Money, side: OrderSide, bps: number): Money {
  if (bps === 0) return price;
  if (isBuySide(side)) return divRound(price * BigInt(10_000 + bps), 10_000n, "ceil");
  const p = divRound(price * BigInt(10_000 - bps), 10_000n, "floor");
  return p < 1n ? 1n : p;
}

export function slippageProblem(bps: number): EngineFailure | null {
  if (Number.isSafeInteger(bps) && bps >= 0 && bps < 10_000) return null;
  return failure("INVALID_SETTINGS", `slippage must be whole basis points from 0 to 9999, got ${bps}`);
}
