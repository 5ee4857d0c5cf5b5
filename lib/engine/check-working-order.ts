import type { AccountState } from "./account";
import { settingsProblem, type TradingSettings } from "./check-order";
import { marketClosed, shortingDisabled, uncoveredCall, unknownSymbol } from "./check-order-messages";
import { orderPriceVsMarketProblem } from "./check-order-prices";
import { failure, type EngineFailure } from "./errors";
import type { FeeModel } from "./fees";
import { symbolProblem } from "./instrument";
import { isOccSymbol } from "./options/occ";
import { accountMargin, coversCalls, hedgesWritten, withQuantity } from "./account-margin";
import type { Money } from "./money";
import { formatMoney } from "./money-format";
import { isValidQuantity, quantityProblem, type OrderRequest } from "./order";
import { freeSharesProblem, reservedBy, type Reserved } from "./reservations";
import { err, ok, type Result } from "./result";
import { workingOrdersFor, type WorkingOrder } from "./working-orders";

export interface CheckWorkingOrderInput {
  readonly request: OrderRequest;
  /** The new order's id: its legs are `${id}`, `${id}:tp`, `${id}:sl`. */
  readonly id: string;
  /** Start of the bar the order is placed at (ms): it may act on that bar, from its open. */
  readonly placedAt: number;
  readonly account: Pick<AccountState, "cash" | "positions">;
  /** The orders already working in the account (any symbol). */
  readonly working: readonly WorkingOrder[];
  /** Last price per symbol (the open of the bar starting now): the request's symbol, open shorts, working orders. */
  readonly lastPrices: ReadonlyMap<string, Money>;
  readonly fees: FeeModel;
  readonly slippageBps: number;
  readonly symbols: ReadonlySet<string>;
  readonly settings: TradingSettings;
}

export interface AcceptedWorkingOrder {
  /** The legs to add to the working orders (entry first). */
  readonly orders: WorkingOrder[];
  /** All reservations with the new order included. */
  readonly reserved: Reserved;
  /** Cash the new order reserves. */
  readonly reservedCash: Money;
}

/**
 * Pre-trade check of an order that works across bars. Pure; nothing is reserved on rejection. Order of checks:
 * settings, symbol, quantity, known symbol, a last price (MARKET_CLOSED), shorting enabled, prices against the
 * last price (check-order-prices.ts), shares (held minus what working sells or covers already promise), then
 * buying power: cash − all reserved cash (reservations.ts) must stay ≥ the collateral the open shorts need now.
 */
export function checkWorkingOrder(input: CheckWorkingOrderInput): Result<AcceptedWorkingOrder> {
  const problem = basicProblem(input);
  if (problem) return err(problem);
  const { request, account, settings } = input;
  const last = input.lastPrices.get(request.symbol) as Money;
  const priceIssue = orderPriceVsMarketProblem(request, last);
  if (priceIssue) return err(priceIssue);

  const settingsForReserve = { fees: input.fees, slippageBps: input.slippageBps, shortMarginRequirementBps: settings.shortMarginRequirementBps };
  const before = reservedBy(input.working, input.lastPrices, settingsForReserve);
  if (!before.ok) return before;
  const held = account.positions.get(request.symbol)?.quantity ?? 0;
  const sharesIssue = freeSharesProblem(request.side, request.symbol, held, request.quantity, before.value);
  if (sharesIssue) return err(sharesIssue);

  const legs = workingOrdersFor(request, { id: input.id, placedAt: input.placedAt, lastPrice: last });
  const after = reservedBy([...input.working, ...legs], input.lastPrices, settingsForReserve);
  if (!after.ok) return after;
  const margin = accountMargin(account.positions.values(), input.lastPrices, settings);
  if (!margin.ok) return margin;
  // A working sale of shares under written calls (or, under strategy margin, of a long contract that may pair a written
  // one) is checked as if it and the sales before it had filled.
  const breaksSpread = settings.strategyMargin === true && hedgesWritten(account.positions, request.symbol);
  if (request.side === "sell" && (coversCalls(account.positions, request.symbol) || breaksSpread)) {
    const left = held - (before.value.sellShares.get(request.symbol) ?? 0) - request.quantity;
    const sold = accountMargin(withQuantity(account.positions, request.symbol, left), input.lastPrices, settings);
    if (!sold.ok) return sold;
    const naked = sold.value.lines.find((l) => l.kind === "naked_call");
    if (naked && !settings.allowShort) return err(uncoveredCall(request.symbol, "sell", request.quantity, naked.symbol, naked.quantity));
    if (sold.value.requirement > account.cash - after.value.cash) {
      const leaves = isOccSymbol(request.symbol) ? "written contracts unpaired" : "written calls uncovered";
      return err(failure("INSUFFICIENT_MARGIN", `selling ${request.quantity} ${request.symbol} would leave ${leaves}, needing ${formatMoney(sold.value.requirement)} of cash; cash less what open orders hold is ${formatMoney(account.cash - after.value.cash)}`));
    }
  }
  const requirement = margin.value.requirement;
  const free = account.cash - after.value.cash;
  const reservedCash = after.value.cash - before.value.cash;
  if (reservedCash > 0n && free < requirement) {
    const heldCash = before.value.cash;
    const collateral = requirement > 0n ? ` and ${formatMoney(requirement)} of short collateral` : "";
    return err(
      failure(
        request.side === "sell_short" ? "INSUFFICIENT_MARGIN" : "INSUFFICIENT_CASH",
        `${request.side} ${request.quantity} ${request.symbol} reserves ${formatMoney(reservedCash)}; cash ${formatMoney(account.cash)} less ${formatMoney(heldCash)} held by open orders${collateral} leaves ${formatMoney(account.cash - heldCash - requirement)}; cancel an open order or lower the quantity`,
      ),
    );
  }
  return ok({ orders: legs, reserved: after.value, reservedCash });
}

function basicProblem(input: CheckWorkingOrderInput): EngineFailure | null {
  const settingsIssue = settingsProblem(input);
  if (settingsIssue) return settingsIssue;
  const { symbol, side, quantity } = input.request;
  const symbolIssue = isOccSymbol(symbol) ? null : symbolProblem(symbol); // a contract's symbol was parsed by its caller
  if (symbolIssue) return failure("INVALID_SYMBOL", symbolIssue);
  if (!isValidQuantity(quantity)) return failure("INVALID_QUANTITY", quantityProblem(quantity) ?? "");
  if (!input.symbols.has(symbol)) return unknownSymbol(symbol, input.symbols);
  const last = input.lastPrices.get(symbol);
  if (last === undefined) return marketClosed(symbol);
  if (last <= 0n) return failure("INVALID_PRICE", `last price for ${symbol} must be > 0 micros`);
  const held = input.account.positions.get(symbol)?.quantity ?? 0;
  if (side === "sell_short" && !input.settings.allowShort && !isOccSymbol(symbol)) return shortingDisabled(symbol, held);
  return null;
}
