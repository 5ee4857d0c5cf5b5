import { accountMargin } from "./account-margin";
import type { AccountState } from "./account";
import { ruleOf } from "./check-order-messages";
import { checkOrder, type ProposedFill, type TradingSettings } from "./check-order";
import { failure } from "./errors";
import type { FeeModel } from "./fees";
import { formatMoney } from "./money-format";
import type { Money } from "./money";
import { sideSign, type OrderSide } from "./order";
import type { Position } from "./position";
import type { Reserved } from "./reservations";
import { err, ok, type Result } from "./result";

/** One leg of a multi-leg order filling now: contracts (or shares) at the price it fills at (an option: its ask or bid). */
export interface ComboLegFill {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: Money;
}

export interface CheckComboInput {
  readonly legs: readonly ComboLegFill[];
  /** In words, for messages: "iron condor", "call credit vertical". */
  readonly label: string;
  readonly account: Pick<AccountState, "cash" | "positions">;
  /** Prices the margin check values shorts at: every leg's mark (an option's mid), every underlying, every short held. */
  readonly marks: ReadonlyMap<string, Money>;
  readonly fees: FeeModel;
  readonly symbols: ReadonlySet<string>;
  readonly settings: TradingSettings;
  readonly reserved?: Pick<Reserved, "cash" | "sellShares" | "coverShares">;
}

/** The positions after `legs` fill (each leg's shares or contracts on its side), those left at 0 dropped. */
export function withLegs(positions: ReadonlyMap<string, Pick<Position, "symbol" | "quantity">>, legs: readonly Pick<ComboLegFill, "symbol" | "side" | "quantity">[]): Pick<Position, "symbol" | "quantity">[] {
  const after = new Map<string, Pick<Position, "symbol" | "quantity">>(positions);
  for (const l of legs) after.set(l.symbol, { symbol: l.symbol, quantity: (after.get(l.symbol)?.quantity ?? 0) + sideSign(l.side) * l.quantity });
  return [...after.values()].filter((p) => p.quantity !== 0);
}

/**
 * A multi-leg order filling whole now (issue #24: all or none): each leg checked as an order of its own (symbol,
 * quantity, side against what is held and free), then the cash and margin of ALL the legs together, so a spread's credit
 * pays for its debit and its margin is the account's after every leg (account-margin.ts pairs spreads), never the
 * margin of a leg alone. Pure; nothing changes on rejection. The fills in leg order, each leg's cashAfter running on.
 */
export function checkCombo(input: CheckComboInput): Result<ProposedFill[]> {
  const { account, settings } = input;
  const fills: ProposedFill[] = [];
  let cash = account.cash;
  for (const [i, leg] of input.legs.entries()) {
    const checked = checkOrder({
      request: { symbol: leg.symbol, side: leg.side, quantity: leg.quantity, type: "market" },
      account,
      price: leg.price,
      marks: input.marks,
      fees: input.fees,
      slippageBps: 0,
      symbols: input.symbols,
      settings,
      reserved: input.reserved,
      legOfCombo: true,
    });
    if (!checked.ok) return err(failure(checked.error.code, `leg ${i + 1} (${leg.side} ${leg.quantity} ${leg.symbol}): ${checked.error.message}`));
    cash += checked.value.cashDelta;
    fills.push({ ...checked.value, cashAfter: cash });
  }
  const reservedCash = input.reserved?.cash ?? 0n;
  const freeBefore = account.cash - reservedCash;
  const free = cash - reservedCash;
  const spent = account.cash - cash;
  if (spent > 0n && free < 0n) {
    return err(failure("INSUFFICIENT_CASH", `the ${input.label} costs ${formatMoney(spent)} with fees, but free cash is ${formatMoney(freeBefore)}${reservedCash > 0n ? ` (${formatMoney(reservedCash)} more is held by working orders)` : ""}: nothing was filled`));
  }

  // Margin after every leg, against the account before: refused only if it leaves free cash below the requirement and
  // brings the account further from it (closing a spread always passes), as checkOrder rules for one order.
  const before = accountMargin(account.positions.values(), input.marks, settings);
  if (!before.ok) return before;
  const margin = accountMargin(withLegs(account.positions, fills), input.marks, settings);
  if (!margin.ok) return margin;
  const requirement = margin.value.requirement;
  if (requirement > 0n && free < requirement && free - requirement < freeBefore - before.value.requirement) {
    return err(
      failure(
        "INSUFFICIENT_MARGIN",
        `the ${input.label} needs cash of at least ${formatMoney(requirement)} afterwards as ${ruleOf(margin.value, settings.shortMarginRequirementBps)}, but cash would be ${formatMoney(free)}: nothing was filled`,
      ),
    );
  }
  if (!settings.allowShort) {
    const naked = margin.value.lines.find((l) => l.kind === "naked_call");
    if (naked) {
      const cover = settings.strategyMargin ? "100 shares held per contract, or a call bought against it" : "100 shares held per contract";
      return err(failure("SHORTING_DISABLED", `the ${input.label} would leave ${naked.quantity} ${naked.symbol} uncovered: short selling is disabled for this model, so calls may be written only covered (${cover}) and puts only cash-secured`));
    }
  }
  return ok(fills);
}
