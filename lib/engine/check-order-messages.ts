import { notional } from "./cash-ledger";
import { failure, type EngineFailure } from "./errors";
import { formatMoney, formatPair, formatPrice } from "./money-format";
import type { Money } from "./money";
import type { OrderSide } from "./order";

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
  requirement: Money;
  shortValue: Money;
  bps: number;
  most: number;
}): EngineFailure {
  const [req, after] = formatPair(o.requirement, o.cashAfter);
  const rule = `${o.bps / 100}% of ${formatMoney(o.shortValue)} total short value`;
  const verb = o.side === "sell_short" ? "shorted" : "bought";
  const hint = o.most > 0 ? `at most ${o.most} ${o.symbol} can be ${verb}` : `no ${o.symbol} can be ${verb} now`;
  const what = o.side === "sell_short" ? `shorting ${o.quantity} ${o.symbol}` : `buying ${o.quantity} ${o.symbol}`;
  return failure(
    "INSUFFICIENT_MARGIN",
    `${what} needs cash of at least ${req} afterwards as short collateral (${rule}), but cash would be ${after}; ${hint}`,
  );
}
