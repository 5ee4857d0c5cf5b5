import { notional } from "./cash-ledger";
import { failure, type EngineFailure } from "./errors";
import { formatMoney, formatPair, formatPrice } from "./money-format";
import type { Money } from "./money";
import type { OrderSide } from "./order";
import type { AccountMargin, MarginKind } from "./account-margin";
import { isOccSymbol } from "./options/occ";

/** Rejection messages of checkOrder: say what is wrong, with numbers, and what would pass instead. */

const LISTED_SYMBOLS = 20;

export function unknownSymbol(symbol: string, symbols: ReadonlySet<string>): EngineFailure {
  const known = [...symbols].sort();
  const list = known.slice(0, LISTED_SYMBOLS).join(", ") + (known.length > LISTED_SYMBOLS ? ", …" : "");
  const hint = known.length === 0 ? "no symbols are tradable in this session" : `tradable symbols: ${list}`;
  return failure("UNKNOWN_SYMBOL", `${symbol} is not tradable in this session; ${hint}`);
}

export function marketClosed(symbol: string): EngineFailure {
  return failure(
    "MARKET_CLOSED",
    `${symbol} has no price now: the market is closed or no bar opens at this time; try again at the next open`,
  );
}

export function shortingDisabled(symbol: string, held: number): EngineFailure {
  const hint = held > 0 ? `; you can sell the ${held} ${symbol} you hold with side "sell"` : "";
  return failure("SHORTING_DISABLED", `short selling is disabled for this model${hint}`);
}

export function insufficientCash(o: {
  symbol: string;
  side: OrderSide;
  quantity: number;
  price: Money;
  fee: Money;
  cash: Money;
  /** Cash held by working orders (already taken out of `cash`). */
  reserved?: Money;
  most: number | null;
}): EngineFailure {
  const need = notional(o.quantity, o.price, o.symbol) + o.fee;
  const [needText, haveText] = formatPair(need, o.cash);
  const breakdown = `${o.quantity} ${o.symbol} × ${formatPrice(o.price)} + ${formatMoney(o.fee)} fee`;
  const hint =
    o.most === null ? "" : o.most > 0 ? `; you can afford at most ${o.most} ${o.symbol}` : "; you cannot afford a single share";
  const held = o.reserved ? ` free (${formatMoney(o.reserved)} more is held by open orders; cancel one to free it)` : "";
  return failure("INSUFFICIENT_CASH", `need ${needText} (${breakdown}), have ${haveText}${held}${hint}`);
}

export function insufficientMargin(o: {
  symbol: string;
  side: OrderSide;
  quantity: number;
  /** Cash after the order less what working orders hold. */
  cashAfter: Money;
  margin: AccountMargin;
  bps: number;
  most: number;
}): EngineFailure {
  const [req, after] = formatPair(o.margin.requirement, o.cashAfter);
  const contract = isOccSymbol(o.symbol);
  const verb = o.side === "sell_short" ? (contract ? "written" : "shorted") : o.side === "sell" ? "sold" : "bought";
  const unit = (n: number) => (contract ? (n === 1 ? " contract" : " contracts") : "");
  const hint = o.most > 0 ? `at most ${o.most}${unit(o.most)} ${o.symbol} can be ${verb}` : `no ${o.symbol} can be ${verb} now`;
  const doing = o.side === "sell_short" ? (contract ? "writing" : "shorting") : o.side === "sell" ? "selling" : "buying";
  const what = `${doing} ${o.quantity}${unit(o.quantity)} ${o.symbol}`;
  return failure("INSUFFICIENT_MARGIN", `${what} needs cash of at least ${req} afterwards as ${ruleOf(o.margin, o.bps)}, but cash would be ${after}; ${hint}`);
}

/** Strategy groups' rules in words (options/strategies/strategy-margin.ts). */
const STRATEGY_RULES: Partial<Record<MarginKind, string>> = {
  credit_spread: "the strike difference × 100 a unit, at most the written contract alone",
  iron_condor: "the wider wing's strike difference × 100 a unit",
  iron_butterfly: "the wider wing's strike difference × 100 a unit",
  butterfly: "the most its legs can lose at expiry, × 100 a unit",
  combined_spreads: "the most its legs can lose at expiry, × 100 a unit",
  short_straddle: "the larger leg's uncovered requirement plus the other's premium",
  short_strangle: "the larger leg's uncovered requirement plus the other's premium",
};

/** The margin rule in words: the stock rule as before, each written contract's line after it. */
export function ruleOf(m: AccountMargin, bps: number): string {
  const stock = `${bps / 100}% of ${formatMoney(m.shortStockValue)} total short value`;
  const options = m.lines.filter((l) => l.kind !== "short_stock" && l.requirement > 0n);
  if (options.length === 0) return `short collateral (${stock})`;
  const each = options.map((l) =>
    l.legs !== undefined
      ? `${formatMoney(l.requirement)} for ${l.quantity} ${l.kind.replace(/_/g, " ")} ${l.legs.join(" / ")} (${STRATEGY_RULES[l.kind] ?? "strategy margin"})`
      : l.kind === "cash_secured_put"
      ? `${formatMoney(l.requirement)} for ${l.quantity} cash-secured ${l.symbol} (its strike × 100 a contract)`
      : `${formatMoney(l.requirement)} for ${l.quantity} uncovered ${l.symbol} (${l.kind === "naked_put" ? "put" : "call"}: premium + the greater of 20% of the underlying less the out-of-the-money amount and 10% of the ${l.kind === "naked_put" ? "strike" : "underlying"})`,
  );
  return `collateral for the shorts (${m.shortStockValue > 0n ? `${stock}; ` : ""}${each.join("; ")})`;
}

/** An account that may not short writes calls only against shares: each call needs 100 shares held and not covering another. */
export function uncoveredCall(symbol: string, side: OrderSide, quantity: number, call: string, uncovered: number): EngineFailure {
  const what = side === "sell" ? `selling ${quantity} ${symbol} would leave` : `writing ${quantity} contracts ${symbol} would leave`;
  return failure(
    "SHORTING_DISABLED",
    `${what} ${uncovered} ${call} uncovered: short selling is disabled for this model, so calls may be written only covered (100 shares held per contract) and puts only cash-secured; buy the shares first, or write fewer`,
  );
}
