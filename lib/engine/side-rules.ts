import { failure, type EngineFailure } from "./errors";
import type { OrderSide } from "./order";

/**
 * Whether `side` may move a position that currently holds `held` shares (signed) by `quantity`.
 * Shared by the pre-trade check and by the position fold, so both enforce the same rules:
 * sell ≤ long shares, buy_to_cover ≤ short shares, and opening sides never cross an opposite position.
 */
export function sideRuleProblem(
  side: OrderSide,
  symbol: string,
  held: number,
  quantity: number,
): EngineFailure | null {
  switch (side) {
    case "buy":
      return held < 0
        ? failure(
            "POSITION_CONFLICT",
            `you are short ${-held} ${symbol}; close the short with side "buy_to_cover" before buying`,
          )
        : null;
    case "sell_short":
      return held > 0
        ? failure(
            "POSITION_CONFLICT",
            `you hold ${held} ${symbol} long; sell them with side "sell" before opening a short`,
          )
        : null;
    case "sell": {
      const long = held > 0 ? held : 0;
      if (quantity <= long) return null;
      const hint =
        held < 0
          ? `; "sell" only closes longs, to add to your short of ${-held} use "sell_short"`
          : long > 0
            ? `; sell at most ${long}`
            : "";
      return failure("INSUFFICIENT_SHARES", `have ${long} ${symbol}, asked to sell ${quantity}${hint}`);
    }
    case "buy_to_cover": {
      const short = held < 0 ? -held : 0;
      if (quantity <= short) return null;
      const hint =
        held > 0
          ? `; "buy_to_cover" only closes shorts, to add to your long of ${held} use "buy"`
          : short > 0
            ? `; cover at most ${short}`
            : "";
      return failure("INSUFFICIENT_SHARES", `short ${short} ${symbol}, asked to cover ${quantity}${hint}`);
    }
  }
}
