import { multiplierOf, notional } from "./cash-ledger";
import { failure } from "./errors";
import type { Fill } from "./fill";
import type { Money } from "./money";
import { isOpeningSide, sideSign } from "./order";
import { err, ok, type Result } from "./result";
import { divRound } from "./rounding";
import { sideRuleProblem } from "./side-rules";

/**
 * A position in one symbol, folded from its fills.
 * `costBasis` is exact and signed like `quantity`: for a long, what was paid for the open shares; for a
 * short, minus what was received. Hence for both: unrealized = quantity × price − costBasis.
 * Flat positions (quantity 0, costBasis 0) are kept so their realized P&L survives.
 */
export interface Position {
  readonly symbol: string;
  readonly quantity: number;
  readonly costBasis: Money;
  /** Cumulative realized P&L, gross of fees (fees are in `feesPaid`). */
  readonly realizedPnl: Money;
  readonly feesPaid: Money;
}

export interface PositionChange {
  readonly position: Position;
  /** P&L this fill realized (gross of its fee); null for fills that only open or add. */
  readonly realizedPnl: Money | null;
}

export function flatPosition(symbol: string): Position {
  return { symbol, quantity: 0, costBasis: 0n, realizedPnl: 0n, feesPaid: 0n };
}

/** Average cost per share in micros (display only; P&L uses the exact costBasis); an option's per share of its 100. Half away from zero. */
export function averageCost(p: Position): Money | null {
  if (p.quantity === 0) return null;
  const units = BigInt(Math.abs(p.quantity) * multiplierOf(p.symbol));
  return divRound(p.quantity > 0 ? p.costBasis : -p.costBasis, units, "half_away");
}

export function unrealizedPnl(p: Position, price: Money): Money {
  return notional(p.quantity, price, p.symbol) - p.costBasis;
}

/**
 * Applies one fill. Opening sides add quantity × price to the basis. Closing sides release the closed
 * share of the basis: all of it when the position goes flat, otherwise basis × closed / held rounded
 * half away from zero. Rounding only moves P&L between realized and unrealized; their sum stays exact.
 */
export function applyFillToPosition(p: Position, fill: Fill): Result<PositionChange> {
  const problem = sideRuleProblem(fill.side, fill.symbol, p.quantity, fill.quantity);
  if (problem) return err(problem);
  const dq = sideSign(fill.side) * fill.quantity;
  const quantity = p.quantity + dq;
  if (!Number.isSafeInteger(quantity)) {
    return err(failure("INVALID_FILL", `fill ${fill.id}: position in ${fill.symbol} would overflow`));
  }
  const feesPaid = p.feesPaid + fill.fee;
  if (isOpeningSide(fill.side)) {
    const costBasis = p.costBasis + notional(dq, fill.price, fill.symbol);
    return ok({ position: { ...p, quantity, costBasis, feesPaid }, realizedPnl: null });
  }
  const held = BigInt(p.quantity < 0 ? -p.quantity : p.quantity);
  const closed = BigInt(fill.quantity);
  const released = closed === held ? p.costBasis : divRound(p.costBasis * closed, held, "half_away");
  const realized = -notional(dq, fill.price, fill.symbol) - released;
  const position: Position = {
    symbol: p.symbol,
    quantity,
    costBasis: p.costBasis - released,
    realizedPnl: p.realizedPnl + realized,
    feesPaid,
  };
  return ok({ position, realizedPnl: realized });
}
