import type { OptionInstrument } from "../instrument";
import type { Money } from "../money";
import type { OrderSide } from "../order";

/**
 * Expiry (issue #23 item 4): at 16:00 New York on its expiry date, an option in the money by $0.01 or more is
 * exercised (held long) or assigned (held short): a multiplier's worth of the underlying per contract changes hands
 * at the strike. The others expire worthless. Either way the option position closes at a price of 0. Pure: the
 * caller gives the underlying's price at the close of the expiry date and its stock position, and books the result.
 * Early assignment of short calls before ex-dividend dates is out of scope (docs/engine.md).
 */
export interface ExpiringPosition {
  readonly contract: Pick<OptionInstrument, "symbol" | "underlying" | "right" | "strike" | "multiplier">;
  /** Contracts, signed: > 0 long, < 0 short. */
  readonly quantity: number;
}

/** A fill of the settlement: the option's close at 0, or the underlying's delivery at the strike. */
export interface SettlementFill {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: Money;
}

export interface ExpirySettlement {
  readonly symbol: string;
  readonly outcome: "exercised" | "assigned" | "expired";
  /** The option position closed at 0, then (in the money) the shares delivered: one or two fills (a sale of shares held, then a short sale of the rest). */
  readonly fills: readonly SettlementFill[];
}

/** In the money by at least this much (per share) to be exercised or assigned at expiry: $0.01 (OCC's exercise-by-exception threshold). */
export const EXERCISE_THRESHOLD: Money = 10_000n;

/** How far in the money `contract` is at `underlying` (per share); ≤ 0 when it is not. */
export function inTheMoney(contract: Pick<OptionInstrument, "right" | "strike">, underlying: Money): Money {
  return contract.right === "call" ? underlying - contract.strike : contract.strike - underlying;
}

/**
 * The settlement of every expiring position on `underlying`'s close, in the order given, with the stock position
 * (`shares`, signed) moving as each delivers: a buy first covers a short, a sale first sells shares held.
 */
export function settleExpiries(positions: readonly ExpiringPosition[], underlyingClose: Money, shares: number): ExpirySettlement[] {
  let held = shares;
  return positions.flatMap((p): ExpirySettlement[] => {
    if (p.quantity === 0) return [];
    const { contract } = p;
    const long = p.quantity > 0;
    const contracts = Math.abs(p.quantity);
    const close: SettlementFill = { symbol: contract.symbol, side: long ? "sell" : "buy_to_cover", quantity: contracts, price: 0n };
    if (inTheMoney(contract, underlyingClose) < EXERCISE_THRESHOLD) return [{ symbol: contract.symbol, outcome: "expired", fills: [close] }];
    // Long call or short put: shares come in (bought at the strike); long put or short call: shares go out.
    const incoming = (contract.right === "call") === long;
    const delta = (incoming ? 1 : -1) * contracts * contract.multiplier;
    const delivery = deliver(contract.underlying, held, delta, contract.strike);
    held += delta;
    return [{ symbol: contract.symbol, outcome: long ? "exercised" : "assigned", fills: [close, ...delivery] }];
  });
}

/** `delta` shares of `symbol` at `price` against a position of `held`: a buy covers a short first, a sale sells a long first. */
function deliver(symbol: string, held: number, delta: number, price: Money): SettlementFill[] {
  const fills: SettlementFill[] = [];
  if (delta > 0) {
    const cover = Math.min(delta, Math.max(0, -held));
    if (cover > 0) fills.push({ symbol, side: "buy_to_cover", quantity: cover, price });
    if (delta > cover) fills.push({ symbol, side: "buy", quantity: delta - cover, price });
  } else {
    const sell = Math.min(-delta, Math.max(0, held));
    if (sell > 0) fills.push({ symbol, side: "sell", quantity: sell, price });
    if (-delta > sell) fills.push({ symbol, side: "sell_short", quantity: -delta - sell, price });
  }
  return fills;
}
