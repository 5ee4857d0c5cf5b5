import { notional } from "./cash-ledger";
import { failure } from "./errors";
import type { Money } from "./money";
import type { Position } from "./position";
import { err, ok, type Result } from "./result";
import { divRound } from "./rounding";

/**
 * Short collateral rule of a cash account (docs/engine.md):
 *   requirement = ceil(shortMarketValue × shortMarginRequirementBps / 10 000)
 *   an order that opens shorts or spends cash must leave  cash ≥ requirement
 * where cash already contains the short proceeds. At 15 000 bps (150 %), shorting $10,000 of stock
 * needs $15,000 of cash after the sale: the $10,000 proceeds plus $5,000 of your own (plus the fee).
 */
export function marginRequirement(shortValue: Money, requirementBps: number): Money {
  return divRound(shortValue * BigInt(requirementBps), 10_000n, "ceil");
}

/**
 * Market value of all shorts, as a positive amount, with `symbol` taken at `quantity` and `price`
 * (the position after a prospective order). Other shorts are marked with `marks`; MISSING_PRICE if absent.
 */
export function shortValueAfter(
  positions: ReadonlyMap<string, Position>,
  marks: ReadonlyMap<string, Money>,
  symbol: string,
  quantity: number,
  price: Money,
): Result<Money> {
  let total = quantity < 0 ? notional(-quantity, price, symbol) : 0n;
  for (const p of positions.values()) {
    if (p.quantity >= 0 || p.symbol === symbol) continue;
    const mark = marks.get(p.symbol);
    if (mark === undefined) {
      return err(failure("MISSING_PRICE", `no current price for ${p.symbol}, needed to value its short of ${-p.quantity}`));
    }
    total += notional(-p.quantity, mark, p.symbol);
  }
  return ok(total);
}
