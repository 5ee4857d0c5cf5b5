import { failure } from "../errors";
import type { OrderSide } from "../order";
import { err, ok, type Result } from "../result";

/**
 * An option order's side and position intent (Alpaca's vocabulary) → the engine's side: buy_to_open opens or adds
 * to a long (buy), sell_to_close reduces it (sell), sell_to_open writes contracts (sell_short), buy_to_close buys
 * written contracts back (buy_to_cover). The side must go with the intent.
 */
export const POSITION_INTENTS = ["buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close"] as const;
export type PositionIntent = (typeof POSITION_INTENTS)[number];

const SIDE_OF: Record<PositionIntent, OrderSide> = { buy_to_open: "buy", sell_to_close: "sell", sell_to_open: "sell_short", buy_to_close: "buy_to_cover" };

export function sideOfIntent(side: "buy" | "sell", intent: PositionIntent): Result<OrderSide> {
  if (!intent.startsWith(side)) {
    const fits = POSITION_INTENTS.filter((i) => i.startsWith(side)).join(" or ");
    return err(failure("INVALID_SIDE", `side ${side} goes with positionIntent ${fits}, not ${intent}`));
  }
  return ok(SIDE_OF[intent]);
}
