import { failure, type EngineFailure } from "./errors";
import type { Money } from "./money";
import {
  orderClassOf,
  TIME_IN_FORCE_BY_TYPE,
  TIME_IN_FORCE_FOR_LINKED,
  timeInForceOf,
  type OrderClass,
  type OrderRequest,
  type OrderSide,
  type OrderType,
  type TimeInForce,
} from "./order";
import { showPrice } from "./order-price";
import { err, ok, type Result } from "./result";

/**
 * The static rules of the order contract, checked after each field is valid on its own: which price fields a
 * type needs and refuses, the time-in-force × type matrix, what each order class needs, and bracket legs in the
 * right order. Rules that need the market price (a stop on the wrong side of it) are in check-order-prices.ts.
 */
export interface OrderFields {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly type: OrderType;
  readonly timeInForce?: TimeInForce;
  readonly orderClass?: OrderClass;
  readonly limitPrice?: Money;
  readonly stopPrice?: Money;
  readonly trailPrice?: Money;
  /** Basis points (1.25 % → 125). */
  readonly trailBps?: number;
  readonly takeProfit?: { readonly limitPrice: Money };
  readonly stopLoss?: { readonly stopPrice: Money; readonly limitPrice?: Money };
}

type PriceField = "limitPrice" | "stopPrice" | "trailPrice" | "trailPercent";
const NEEDS: { readonly [T in OrderType]: readonly PriceField[] } = {
  market: [],
  limit: ["limitPrice"],
  stop: ["stopPrice"],
  stop_limit: ["stopPrice", "limitPrice"],
  trailing_stop: [],
};
const WHAT: Readonly<Record<PriceField, string>> = {
  limitPrice: "the worst price you accept",
  stopPrice: "the price that triggers it",
  trailPrice: "the distance in dollars",
  trailPercent: "the distance in percent",
};
const TYPE_FOR: Readonly<Record<PriceField, string>> = {
  limitPrice: '"limit" (or "stop_limit")',
  stopPrice: '"stop" (or "stop_limit")',
  trailPrice: '"trailing_stop"',
  trailPercent: '"trailing_stop"',
};

export function buildOrderRequest(f: OrderFields): Result<OrderRequest> {
  const problem = fieldsProblem(f) ?? timeInForceProblem(f) ?? classProblem(f) ?? legsProblem(f);
  if (problem) return err(problem);
  const base = {
    symbol: f.symbol,
    side: f.side,
    quantity: f.quantity,
    ...(f.timeInForce === undefined ? {} : { timeInForce: f.timeInForce }),
    ...(f.orderClass === undefined ? {} : { orderClass: f.orderClass }),
    ...(f.takeProfit === undefined ? {} : { takeProfit: f.takeProfit }),
    ...(f.stopLoss === undefined ? {} : { stopLoss: f.stopLoss }),
  };
  switch (f.type) {
    case "market":
      return ok({ ...base, type: "market" });
    case "limit":
      return ok({ ...base, type: "limit", limitPrice: f.limitPrice as Money });
    case "stop":
      return ok({ ...base, type: "stop", stopPrice: f.stopPrice as Money });
    case "stop_limit":
      return ok({ ...base, type: "stop_limit", stopPrice: f.stopPrice as Money, limitPrice: f.limitPrice as Money });
    case "trailing_stop":
      return ok({
        ...base,
        type: "trailing_stop",
        trail: f.trailPrice !== undefined ? { kind: "price", amount: f.trailPrice } : { kind: "percent", bps: f.trailBps as number },
      });
  }
}

function present(f: OrderFields): Set<PriceField> {
  const s = new Set<PriceField>();
  if (f.limitPrice !== undefined) s.add("limitPrice");
  if (f.stopPrice !== undefined) s.add("stopPrice");
  if (f.trailPrice !== undefined) s.add("trailPrice");
  if (f.trailBps !== undefined) s.add("trailPercent");
  return s;
}

function fieldsProblem(f: OrderFields): EngineFailure | null {
  const has = present(f);
  for (const need of NEEDS[f.type]) {
    if (!has.has(need)) {
      return failure("INVALID_ORDER_TYPE", `a ${f.type} order needs ${need} (${WHAT[need]}), e.g. {"type":"${f.type}","${need}":101.5}`);
    }
  }
  if (f.type === "trailing_stop") {
    if (has.has("trailPrice") === has.has("trailPercent")) {
      return failure(
        "INVALID_ORDER_TYPE",
        `a trailing_stop order needs exactly one of trailPrice (dollars, e.g. 2.5) or trailPercent (percent, e.g. 3); got ${has.has("trailPrice") ? "both" : "neither"}`,
      );
    }
  }
  const allowed = new Set<PriceField>(f.type === "trailing_stop" ? ["trailPrice", "trailPercent"] : NEEDS[f.type]);
  for (const field of has) {
    if (!allowed.has(field)) {
      return failure("INVALID_ORDER_TYPE", `a ${f.type} order takes no ${field}; to use ${field} (${WHAT[field]}) send "type":${TYPE_FOR[field]}`);
    }
  }
  return null;
}

function timeInForceProblem(f: OrderFields): EngineFailure | null {
  const tif = timeInForceOf(f);
  const allowed = TIME_IN_FORCE_BY_TYPE[f.type];
  if (!allowed.includes(tif)) {
    return failure(
      "INVALID_TIME_IN_FORCE",
      `timeInForce "${tif}" is not allowed for a ${f.type} order; use one of ${allowed.map((t) => `"${t}"`).join(", ")} (opg and cls are for market and limit orders, ioc and fok for orders that can fill at once)`,
    );
  }
  const cls = orderClassOf(f);
  if (cls !== "simple" && !TIME_IN_FORCE_FOR_LINKED.includes(tif)) {
    return failure("INVALID_TIME_IN_FORCE", `timeInForce "${tif}" is not allowed for a ${cls} order; its legs work over time, use "day" or "gtc"`);
  }
  return null;
}

function classProblem(f: OrderFields): EngineFailure | null {
  const cls = orderClassOf(f);
  const tp = f.takeProfit !== undefined;
  const sl = f.stopLoss !== undefined;
  const opening = f.side === "buy" || f.side === "sell_short";
  switch (cls) {
    case "simple":
      return tp || sl
        ? failure("INVALID_ORDER_CLASS", `takeProfit and stopLoss need orderClass "bracket" (both legs with an entry), "oco" (both exits) or "oto" (an entry and one leg)`)
        : null;
    case "bracket":
      if (!tp || !sl) return failure("INVALID_ORDER_CLASS", `a bracket order needs both takeProfit {limitPrice} and stopLoss {stopPrice}; missing ${!tp ? "takeProfit" : "stopLoss"} (for one leg use orderClass "oto")`);
      if (!opening) return failure("INVALID_ORDER_CLASS", `a bracket's entry opens a position: side "buy" or "sell_short", got "${f.side}"; to protect a position you hold use orderClass "oco"`);
      if (f.type === "trailing_stop") return failure("INVALID_ORDER_CLASS", `a bracket's entry is a market, limit, stop or stop_limit order, not a trailing_stop`);
      return null;
    case "oto":
      if (tp === sl) return failure("INVALID_ORDER_CLASS", `an oto order needs exactly one of takeProfit or stopLoss; got ${tp ? "both (use orderClass \"bracket\")" : "neither"}`);
      if (!opening) return failure("INVALID_ORDER_CLASS", `an oto order's entry opens a position: side "buy" or "sell_short", got "${f.side}"`);
      if (f.type === "trailing_stop") return failure("INVALID_ORDER_CLASS", `an oto order's entry is a market, limit, stop or stop_limit order, not a trailing_stop`);
      return null;
    case "oco":
      if (!tp || !sl) return failure("INVALID_ORDER_CLASS", `an oco order needs both takeProfit {limitPrice} and stopLoss {stopPrice}; missing ${!tp ? "takeProfit" : "stopLoss"}`);
      if (opening) return failure("INVALID_ORDER_CLASS", `an oco order exits a position: side "sell" (a long) or "buy_to_cover" (a short), got "${f.side}"; to enter with exits use orderClass "bracket"`);
      if (f.type !== "limit") return failure("INVALID_ORDER_CLASS", `an oco order is sent with "type":"limit" (its take-profit leg); got "${f.type}"`);
      if (f.limitPrice !== f.takeProfit?.limitPrice) {
        return failure("INVALID_ORDER_CLASS", `an oco order's limitPrice must equal its takeProfit.limitPrice (it is the take-profit leg); send the same price in both`);
      }
      return null;
  }
}

/**
 * Legs in the right order. Exits of a long (sells) take profit above and stop out below; exits of a short
 * (covers) the reverse. A stop-loss's own limit sits on the far side of its stop (a sell stop-limit's limit at
 * or below its stop), and an entry with a price lies between the two legs.
 */
function legsProblem(f: OrderFields): EngineFailure | null {
  const tp = f.takeProfit?.limitPrice;
  const sl = f.stopLoss;
  if (tp === undefined && sl === undefined) return null;
  const exitsLong = f.side === "buy" || f.side === "sell";
  const who = f.orderClass === "oco" ? `an oco ${f.side}` : `a ${f.side} ${f.orderClass ?? "simple"}`;
  const above = (a: Money, b: Money) => (exitsLong ? a > b : a < b);
  const word = exitsLong ? "above" : "below";
  const other = exitsLong ? "below" : "above";
  if (tp !== undefined && sl !== undefined && !above(tp, sl.stopPrice)) {
    return failure(
      "INVALID_ORDER_PRICE",
      `${who}'s takeProfit.limitPrice ${showPrice(tp)} must be ${word} its stopLoss.stopPrice ${showPrice(sl.stopPrice)}: the profit is taken ${word} and the loss stopped ${other}`,
    );
  }
  if (sl?.limitPrice !== undefined && above(sl.limitPrice, sl.stopPrice)) {
    return failure(
      "INVALID_ORDER_PRICE",
      `stopLoss.limitPrice ${showPrice(sl.limitPrice)} must be at or ${other} stopLoss.stopPrice ${showPrice(sl.stopPrice)}: it is the worst price the stop-loss accepts once triggered`,
    );
  }
  const entry = f.orderClass === "oco" ? undefined : (f.limitPrice ?? f.stopPrice);
  if (entry === undefined) return null;
  if (tp !== undefined && !above(tp, entry)) {
    return failure("INVALID_ORDER_PRICE", `${who}'s takeProfit.limitPrice ${showPrice(tp)} must be ${word} the entry price ${showPrice(entry)}`);
  }
  if (sl !== undefined && !above(entry, sl.stopPrice)) {
    return failure("INVALID_ORDER_PRICE", `${who}'s stopLoss.stopPrice ${showPrice(sl.stopPrice)} must be ${other} the entry price ${showPrice(entry)}`);
  }
  return null;
}
