import { fillCashDelta } from "./cash-ledger";
import { failure } from "./errors";
import { fillProblem, type Fill } from "./fill";
import type { Money } from "./money";
import { applyFillToPosition, flatPosition, type Position, type PositionChange } from "./position";
import { err, ok, type Result } from "./result";

/**
 * A cash account: cash, positions folded from fills, and the ids of the fills already applied.
 * Values are immutable; `applyFill` returns a new state and leaves the old one untouched.
 */
export interface AccountState {
  readonly cash: Money;
  readonly positions: ReadonlyMap<string, Position>;
  /** Fill ids applied so far (the database's unique key on fills is the durable guard). */
  readonly fillIds: ReadonlySet<string>;
  /** Commissions paid through fills. */
  readonly feesPaid: Money;
  /** Stock borrow fees debited by accrueBorrowFees. */
  readonly borrowFeesPaid: Money;
}

export function createAccount(cash: Money, init: Partial<Omit<AccountState, "cash">> = {}): AccountState {
  return {
    cash,
    positions: init.positions ?? new Map(),
    fillIds: init.fillIds ?? new Set(),
    feesPaid: init.feesPaid ?? 0n,
    borrowFeesPaid: init.borrowFeesPaid ?? 0n,
  };
}

export interface AppliedFill {
  readonly account: AccountState;
  readonly position: Position;
  /** P&L realized by this fill (gross of fee), null for opening fills: store it on the fill row. */
  readonly realizedPnl: Money | null;
  readonly cashDelta: Money;
}

function prepare(state: AccountState, fill: Fill): Result<PositionChange> {
  if (state.fillIds.has(fill.id)) {
    return err(failure("DUPLICATE_FILL", `fill "${fill.id}" was already applied; each fill is recorded once`));
  }
  const problem = fillProblem(fill);
  if (problem) return err(problem);
  return applyFillToPosition(state.positions.get(fill.symbol) ?? flatPosition(fill.symbol), fill);
}

/**
 * Applies one fill: updates its position and debits or credits cash (cash-ledger.ts).
 * Does not check buying power: that is checkOrder's job before the order fills. Copies the positions
 * map and fill-id set (O(positions + fillIds)); pass only the fill ids you need de-duplicated.
 */
export function applyFill(state: AccountState, fill: Fill): Result<AppliedFill> {
  const change = prepare(state, fill);
  if (!change.ok) return change;
  const cashDelta = fillCashDelta(fill.side, fill.quantity, fill.price, fill.fee, fill.symbol);
  const positions = new Map(state.positions).set(fill.symbol, change.value.position);
  const account: AccountState = {
    cash: state.cash + cashDelta,
    positions,
    fillIds: new Set(state.fillIds).add(fill.id),
    feesPaid: state.feesPaid + fill.fee,
    borrowFeesPaid: state.borrowFeesPaid,
  };
  return ok({ account, position: change.value.position, realizedPnl: change.value.realizedPnl, cashDelta });
}

/** Folds a list of fills onto `initial` in O(n). Stops at the first bad fill and names it. */
export function foldFills(initial: AccountState, fills: Iterable<Fill>): Result<AccountState> {
  const positions = new Map(initial.positions);
  const fillIds = new Set(initial.fillIds);
  let cash = initial.cash;
  let feesPaid = initial.feesPaid;
  const draft = { ...initial, positions, fillIds };
  let index = 0;
  for (const fill of fills) {
    const change = prepare(draft, fill);
    if (!change.ok) {
      return err(failure(change.error.code, `fill #${index}: ${change.error.message}`));
    }
    positions.set(fill.symbol, change.value.position);
    fillIds.add(fill.id);
    cash += fillCashDelta(fill.side, fill.quantity, fill.price, fill.fee, fill.symbol);
    feesPaid += fill.fee;
    index++;
  }
  return ok({ cash, positions, fillIds, feesPaid, borrowFeesPaid: initial.borrowFeesPaid });
}
