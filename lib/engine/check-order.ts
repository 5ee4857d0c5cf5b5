import { isOccSymbol } from "./options/occ";
import type { AccountState } from "./account";
import { fillCashDelta } from "./cash-ledger";
import {
  insufficientCash,
  insufficientMargin,
  marketClosed,
  shortingDisabled,
  uncoveredCall,
  unknownSymbol,
} from "./check-order-messages";
import { failure, type EngineFailure } from "./errors";
import { computeFee, feeModelProblem, type FeeModel } from "./fees";
import { symbolProblem } from "./instrument";
import { accountMargin, mayNeedMargin, withQuantity } from "./account-margin";
import type { Money } from "./money";
import { isValidQuantity, orderClassOf, quantityProblem, sideSign, timeInForceOf } from "./order";
import type { MarketOrderRequest, OrderRequest, OrderSide, TimeInForce } from "./order";
import { freeSharesProblem, type Reserved } from "./reservations";
import { err, ok, type Result } from "./result";
import { applySlippage, slippageProblem } from "./slippage";

export interface TradingSettings {
  readonly allowShort: boolean;
  /** Cash required after a short, as bps of total short market value; ≥ 10 000 (15 000 = 150 %). */
  readonly shortMarginRequirementBps: number;
  /**
   * Written contracts margined as strategies with the long contracts and the other written contracts of their underlying
   * (account-margin.ts, options/strategies/strategy-margin.ts); absent or false: each written contract alone.
   */
  readonly strategyMargin?: boolean;
}

export interface CheckOrderInput {
  readonly request: OrderRequest;
  readonly account: Pick<AccountState, "cash" | "positions">;
  /** Reference price in micros: the open of the bar starting now. null: nothing trades now. */
  readonly price: Money | null;
  /** Current prices of other symbols with open shorts (for the margin check). */
  readonly marks?: ReadonlyMap<string, Money>;
  readonly fees: FeeModel;
  readonly slippageBps: number;
  readonly symbols: ReadonlySet<string>;
  readonly settings: TradingSettings;
  /**
   * What the account's working orders hold back (reservations.ts reservedBy): the order may spend only cash
   * beyond it and sell or cover only shares not promised to them. Absent: nothing is reserved.
   */
  readonly reserved?: Pick<Reserved, "cash" | "sellShares" | "coverShares">;
  /**
   * A leg of a multi-leg order (check-combo.ts): every check but cash and margin, which checkCombo makes once for all
   * the legs together (a spread's credit pays for its debit; its margin is the strategy's, not its legs').
   */
  readonly legOfCombo?: true;
}

/** What the order would do if it filled now; give it an id and pass it to applyFill. */
export interface ProposedFill {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly referencePrice: Money;
  /** Reference price after slippage: the fill price. */
  readonly price: Money;
  readonly fee: Money;
  readonly cashDelta: Money;
  readonly cashAfter: Money;
}

const NO_MARKS: ReadonlyMap<string, Money> = new Map();

/**
 * Pre-trade check of one order against a cash account. Pure; nothing changes on rejection.
 * Order of checks: settings, symbol shape, quantity, known symbol, price (MARKET_CLOSED), shorting
 * enabled, side vs position, cash (cash after ≥ 0 for orders that pay), then margin (account-margin.ts) for buy,
 * sell_short and a sale of shares under written calls. Covers and other sells reduce risk and are never rejected
 * for margin.
 */
export function checkOrder(input: CheckOrderInput): Result<ProposedFill> {
  const problem = settingsProblem(input);
  if (problem) return err(problem);
  const { request } = input;
  if (request.type === "market" && fillsAtOnce(request)) return checkMarketOrder(input, request);
  return err(notImmediate(request));
}

/**
 * checkOrder is the immediate path: a simple market order filling at the open of the bar starting now. day, gtc,
 * ioc and fok all fill completely there. Every other order works across bars (fill-model.ts) and is checked by
 * checkWorkingOrder (check-working-order.ts); until the session book holds working orders it is refused here.
 */
function fillsAtOnce(request: MarketOrderRequest): boolean {
  return orderClassOf(request) === "simple" && IMMEDIATE_TIF.has(timeInForceOf(request));
}
const IMMEDIATE_TIF: ReadonlySet<TimeInForce> = new Set(["day", "gtc", "ioc", "fok"]);

function notImmediate(request: OrderRequest): EngineFailure {
  const what =
    request.type !== "market"
      ? `${request.type} orders`
      : orderClassOf(request) !== "simple"
        ? `${orderClassOf(request)} orders`
        : `market orders with timeInForce "${timeInForceOf(request)}"`;
  return failure("INVALID_ORDER_TYPE", `${what} cannot be placed in this session yet: only simple market orders fill here; send {"type":"market"} without orderClass`);
}

/** The model's trading settings, fees and slippage are usable (a halt: they are ours, not the caller's input). */
export function settingsProblem(input: Pick<CheckOrderInput, "settings" | "fees" | "slippageBps">): EngineFailure | null {
  const bps = input.settings.shortMarginRequirementBps;
  if (!Number.isSafeInteger(bps) || bps < 10_000) {
    return failure("INVALID_SETTINGS", `shortMarginRequirementBps must be a whole number ≥ 10000 (100 %), got ${bps}`);
  }
  return feeModelProblem(input.fees) ?? slippageProblem(input.slippageBps);
}

function checkMarketOrder(input: CheckOrderInput, request: MarketOrderRequest): Result<ProposedFill> {
  const { symbol, side, quantity } = request;
  const symbolIssue = isOccSymbol(symbol) ? null : symbolProblem(symbol); // a contract's symbol was parsed by its caller
  if (symbolIssue) return err(failure("INVALID_SYMBOL", symbolIssue));
  if (!isValidQuantity(quantity)) return err(failure("INVALID_QUANTITY", quantityProblem(quantity) ?? ""));
  if (!input.symbols.has(symbol)) return err(unknownSymbol(symbol, input.symbols));
  if (input.price === null) return err(marketClosed(symbol));
  if (input.price <= 0n) return err(failure("INVALID_PRICE", `reference price for ${symbol} must be > 0 micros`));
  const { account, settings } = input;
  const held = account.positions.get(symbol)?.quantity ?? 0;
  const contract = isOccSymbol(symbol);
  // Without shorting, contracts may still be written covered (calls against shares) or cash-secured (puts): below.
  if (side === "sell_short" && !settings.allowShort && !contract) return err(shortingDisabled(symbol, held));
  const sideIssue = freeSharesProblem(side, symbol, held, quantity, input.reserved);
  if (sideIssue) return err(sideIssue);

  const referencePrice = input.price;
  const price = applySlippage(referencePrice, side, input.slippageBps);
  // Cash held by working orders is not this order's to spend: every cash test below is on what is left of it.
  const reservedCash = input.reserved?.cash ?? 0n;
  const freeCash = account.cash - reservedCash;
  const cashAfterFor = (q: number) => freeCash + fillCashDelta(side, q, price, computeFee(input.fees, q, price, symbol), symbol);
  const fee = computeFee(input.fees, quantity, price, symbol);
  const cashDelta = fillCashDelta(side, quantity, price, fee, symbol);
  const cashAfter = account.cash + cashDelta;
  if (input.legOfCombo) return ok({ symbol, side, quantity, referencePrice, price, fee, cashDelta, cashAfter });
  if (cashDelta < 0n && cashAfter - reservedCash < 0n) {
    const most = side === "buy" ? maxWhere(quantity, (q) => cashAfterFor(q) >= 0n) : null;
    return err(insufficientCash({ symbol, side, quantity, price, fee, cash: freeCash, reserved: reservedCash, most }));
  }

  // Margin (account-margin.ts): an order may not leave free cash below what the shorts then require, unless it brings
  // the account closer to it. Buys spend cash, shorts and written contracts add requirement, and selling shares that
  // cover written calls uncovers them; other sells and covers only reduce risk and are never refused for margin.
  if (mayNeedMargin(account.positions, symbol, side)) {
    const prices = new Map(input.marks ?? NO_MARKS);
    // The order's own symbol at its price now; a contract at its mark when the caller gives one (written contracts are
    // margined at the mid every bar: margining a write at its bid would call it at the next bar with no move).
    if (!(isOccSymbol(symbol) && prices.has(symbol))) prices.set(symbol, referencePrice);
    const bps = settings.shortMarginRequirementBps;
    // Shares promised to working sells cover no call: they are as good as sold.
    const promised = input.reserved?.sellShares;
    const positions = promised && promised.size > 0 ? new Map([...account.positions].map(([s, p]) => [s, { symbol: s, quantity: p.quantity - (promised.get(s) ?? 0) }])) : account.positions;
    const free0 = positions.get(symbol)?.quantity ?? 0;
    const marginAt = (q: number) => accountMargin(withQuantity(positions, symbol, free0 + sideSign(side) * q), prices, settings);
    const before = marginAt(0);
    if (!before.ok) return before;
    const after = marginAt(quantity);
    if (!after.ok) return after;
    if (!settings.allowShort && side !== "buy") {
      const naked = after.value.lines.find((l) => l.kind === "naked_call");
      if (naked) return err(uncoveredCall(symbol, side, quantity, naked.symbol, naked.quantity));
    }
    const requirement = after.value.requirement;
    const free = cashAfter - reservedCash;
    if (requirement > 0n && free < requirement && free - requirement < freeCash - before.value.requirement) {
      const most = maxWhere(quantity, (q) => {
        const m = marginAt(q);
        return m.ok && cashAfterFor(q) >= m.value.requirement;
      });
      return err(insufficientMargin({ symbol, side, quantity, cashAfter: free, margin: after.value, bps, most }));
    }
  }
  return ok({ symbol, side, quantity, referencePrice, price, fee, cashDelta, cashAfter });
}

/**
 * Largest q in [0, quantity) that passes, by binary search; only feeds the "at most N" hint of a
 * rejection. The answer always passes and is the true maximum when `passes` is monotone in q.
 */
function maxWhere(quantity: number, passes: (q: number) => boolean): number {
  let lo = 0;
  let hi = quantity;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (passes(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
