import { notional } from "./cash-ledger";
import { failure, type EngineFailure } from "./errors";
import type { Money } from "./money";
import { divRound } from "./rounding";

/**
 * Commission model of one trading model. All parts are optional and add up:
 *   fee = max(minimum, perOrder + perShare × quantity + ceil(notional × notionalBps / 10 000))
 * Everything is integer micros, so the fee is exact; the only rounding (the bps part) is up, against
 * the account. A zero model (all parts 0) is free trading.
 */
export interface FeeModel {
  /** Micros per share, e.g. 5_000n = $0.005/share. */
  readonly perShare: Money;
  /** Micros per order, e.g. 1_000_000n = $1.00/order. */
  readonly perOrder: Money;
  /** Minimum commission per order in micros (0n for none). */
  readonly minimum: Money;
  /** Commission as integer basis points of notional (0 for none). */
  readonly notionalBps: number;
}

export const FREE_FEES: FeeModel = { perShare: 0n, perOrder: 0n, minimum: 0n, notionalBps: 0 };

/** The fee of one order of `quantity` units of `symbol` at `price` (per share); `perShare` is per contract for options. */
export function computeFee(model: FeeModel, quantity: number, price: Money, symbol: string): Money {
  return feeOnNotional(model, quantity, notional(quantity, price, symbol));
}

/**
 * The fee of one order that traded `quantity` shares for `notional` in total (possibly over several fills at
 * different prices). Non-decreasing in both, so the fee of a partial fill, feeOnNotional(after) −
 * feeOnNotional(before), is never negative and all of an order's fills together pay exactly one order's fee.
 */
export function feeOnNotional(model: FeeModel, quantity: number, notional: Money): Money {
  let fee = model.perOrder + model.perShare * BigInt(quantity);
  if (model.notionalBps !== 0) fee += divRound(notional * BigInt(model.notionalBps), 10_000n, "ceil");
  return fee < model.minimum ? model.minimum : fee;
}

export function feeModelProblem(model: FeeModel): EngineFailure | null {
  if (model.perShare < 0n || model.perOrder < 0n || model.minimum < 0n) {
    return failure("INVALID_SETTINGS", "fee model amounts (perShare, perOrder, minimum) must be ≥ 0");
  }
  if (!Number.isSafeInteger(model.notionalBps) || model.notionalBps < 0) {
    return failure("INVALID_SETTINGS", `fee notionalBps must be a whole number ≥ 0, got ${model.notionalBps}`);
  }
  return null;
}
