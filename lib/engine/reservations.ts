import { notional } from "./cash-ledger";
import { failure, type EngineFailure } from "./errors";
import type { FeeModel } from "./fees";
import { fillFee } from "./fill-charges";
import { marginRequirement } from "./margin";
import { maxMoney, type Money } from "./money";
import type { OrderSide } from "./order";
import { err, ok, type Result } from "./result";
import { divRound } from "./rounding";
import { sideRuleProblem } from "./side-rules";
import { applySlippage } from "./slippage";
import { remainingQuantity, type WorkingOrder } from "./working-orders";

/**
 * What working orders hold back from the account, so that all of them filling together can never overdraw it
 * (checkWorkingOrder refuses an order when cash − reserved cash falls below the short collateral rule):
 * - buy: cash for the rest of its quantity at its price bound plus what the fee of the rest can still be (after a
 *   partial fill, without the per-order part and minimum already paid: fill-charges.ts). A limit or stop-limit never fills
 *   above its limit; a market, stop or trailing stop has no bound, so it is estimated at its stop (or the last
 *   price, for market orders) raised by UNBOUNDED_RESERVE_BPS, then slippage. A gap beyond that is caught at
 *   the fill (fill-model.ts cancels a fill the account cannot pay).
 * - sell_short: the own cash its collateral needs, requirement − proceeds = q × p × (bps − 10 000) / 10 000,
 *   plus the fee, at the higher of its price and the last price raised the same way.
 * - sell: shares of the long; buy_to_cover: shares of the short. A cover needs no cash of its own: the short's
 *   collateral (≥ 100 % of its value, the margin rule) pays it.
 * - a held exit (waiting for its entry) reserves no cash: it sells what the entry buys, or covers what the entry
 *   shorts. It holds the shares its entry has filled so far (a partial fill), so no other order can sell them
 *   first. The two legs of a one-cancels-other pair reserve once (the larger leg).
 * Cancelling an order releases what it reserved: reservations are always recomputed from the working orders.
 */
export const UNBOUNDED_RESERVE_BPS = 500;

export interface ReservationSettings {
  readonly fees: FeeModel;
  readonly slippageBps: number;
  readonly shortMarginRequirementBps: number;
}

export interface Reserved {
  readonly cash: Money;
  /** Long shares promised to working sells, by symbol. */
  readonly sellShares: ReadonlyMap<string, number>;
  /** Short shares promised to working covers, by symbol. */
  readonly coverShares: ReadonlyMap<string, number>;
}

interface One {
  readonly cash: Money;
  readonly shares: number;
}

function reserveFor(o: WorkingOrder, last: Money | undefined, s: ReservationSettings, parentFilled: number): Result<One> {
  if (o.status === "held") return ok({ cash: 0n, shares: parentFilled });
  const q = remainingQuantity(o);
  if (q <= 0) return ok({ cash: 0n, shares: 0 });
  if (o.side === "sell" || o.side === "buy_to_cover") return ok({ cash: 0n, shares: q });
  const bounded = o.type === "limit" || (o.type === "stop_limit" && o.limitPrice !== undefined);
  const base = bounded ? o.limitPrice : o.type === "market" ? last : (o.stopPrice ?? last);
  if (base === undefined) {
    return err(failure("MISSING_PRICE", `no last price for ${o.symbol}, needed to reserve cash for working order ${o.id}`));
  }
  const raise = (p: Money) => divRound(p * BigInt(10_000 + UNBOUNDED_RESERVE_BPS), 10_000n, "ceil");
  if (o.side === "buy") {
    const price = bounded ? base : applySlippage(raise(base), "buy", s.slippageBps);
    return ok({ cash: notional(q, price, o.symbol) + fillFee(s.fees, o, q, price), shares: 0 });
  }
  // sell_short: more proceeds at a higher price, but a larger own share of the collateral.
  const price = applySlippage(raise(last === undefined ? base : maxMoney(base, last)), "buy", s.slippageBps);
  const value = notional(q, price, o.symbol);
  return ok({ cash: marginRequirement(value, s.shortMarginRequirementBps) - value + fillFee(s.fees, o, q, price), shares: 0 });
}

export function reservedBy(
  orders: readonly WorkingOrder[],
  lastPrices: ReadonlyMap<string, Money>,
  settings: ReservationSettings,
): Result<Reserved> {
  const byGroup = new Map<string, { order: WorkingOrder; one: One }>();
  const filled = new Map(orders.map((o) => [o.id, o.filledQuantity]));
  for (const o of orders) {
    const parentFilled = o.parentId === undefined ? 0 : (filled.get(o.parentId) ?? 0);
    const r = reserveFor(o, lastPrices.get(o.symbol), settings, parentFilled);
    if (!r.ok) return r;
    const key = o.ocoWith === undefined ? o.id : [o.id, o.ocoWith].sort().join("|");
    const before = byGroup.get(key);
    if (!before) byGroup.set(key, { order: o, one: r.value });
    else byGroup.set(key, { order: o, one: { cash: maxMoney(before.one.cash, r.value.cash), shares: Math.max(before.one.shares, r.value.shares) } });
  }
  let cash = 0n;
  const sellShares = new Map<string, number>();
  const coverShares = new Map<string, number>();
  for (const { order, one } of byGroup.values()) {
    cash += one.cash;
    const into = order.side === "sell" ? sellShares : order.side === "buy_to_cover" ? coverShares : null;
    if (into && one.shares > 0) into.set(order.symbol, (into.get(order.symbol) ?? 0) + one.shares);
  }
  return ok({ cash, sellShares, coverShares });
}

/**
 * The side rules (side-rules.ts) against the shares not yet promised to working exits: a sell may use the long
 * less what working sells hold, a cover the short less what working covers hold. Opening sides are unaffected.
 */
export function freeSharesProblem(
  side: OrderSide,
  symbol: string,
  held: number,
  quantity: number,
  reserved: Pick<Reserved, "sellShares" | "coverShares"> | undefined,
): EngineFailure | null {
  const promised = side === "sell" ? (reserved?.sellShares.get(symbol) ?? 0) : side === "buy_to_cover" ? (reserved?.coverShares.get(symbol) ?? 0) : 0;
  const free = side === "sell" ? Math.max(0, held - promised) : side === "buy_to_cover" ? Math.min(0, held + promised) : held;
  const issue = sideRuleProblem(side, symbol, free, quantity);
  if (!issue || promised === 0) return issue;
  return failure(issue.code, `${issue.message} (${promised} are already promised to open ${side} orders; cancel one to free them)`);
}
