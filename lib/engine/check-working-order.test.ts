import { describe, expect, it } from "vitest";
import { usd } from "@/tests/support/engine-helpers";
import { T0 } from "@/tests/support/working-order-fixtures";
import { createAccount } from "./account";
import { cancelWorkingOrder } from "./cancel-working-order";
import { checkOrder } from "./check-order";
import { checkWorkingOrder, type CheckWorkingOrderInput } from "./check-working-order";
import type { Money } from "./money";
import type { OrderRequest } from "./order";
import { flatPosition } from "./position";
import { reservedBy } from "./reservations";
import type { WorkingOrder } from "./working-orders";

const FEES = { perShare: 0n, perOrder: usd(1), minimum: 0n, notionalBps: 0 };
const SETTINGS = { allowShort: true, shortMarginRequirementBps: 15_000 };
const RESERVE = { fees: FEES, slippageBps: 10, shortMarginRequirementBps: 15_000 };

function input(request: OrderRequest, o: { id?: string; cash?: number; held?: number; working?: WorkingOrder[]; last?: number } = {}): CheckWorkingOrderInput {
  const held = o.held ?? 0;
  const positions = new Map(held === 0 ? [] : [["AAPL", { ...flatPosition("AAPL"), quantity: held, costBasis: BigInt(held) * usd(100) }]]);
  return {
    request,
    id: o.id ?? "o1",
    placedAt: T0,
    account: createAccount(usd(o.cash ?? 10_000), { positions }),
    working: o.working ?? [],
    lastPrices: new Map([["AAPL", usd(o.last ?? 100)]]),
    fees: FEES,
    slippageBps: 10,
    symbols: new Set(["AAPL"]),
    settings: SETTINGS,
  };
}

function accepted(i: CheckWorkingOrderInput) {
  const r = checkWorkingOrder(i);
  if (!r.ok) throw new Error(`rejected: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function rejected(i: CheckWorkingOrderInput) {
  const r = checkWorkingOrder(i);
  if (r.ok) throw new Error("expected a rejection");
  return r.error;
}

const limit = (side: OrderRequest["side"], quantity: number, price: number, extra: Partial<OrderRequest> = {}): OrderRequest =>
  ({ symbol: "AAPL", side, quantity, type: "limit", limitPrice: usd(price), timeInForce: "gtc", ...extra }) as OrderRequest;

describe("reservations: what each working order holds back", () => {
  it("a buy limit holds quantity × limit + fee: 100 × $50 + $1 = $5,001", () => {
    expect(accepted(input(limit("buy", 100, 50))).reservedCash).toBe(usd(5_001));
  });

  it("orders without a price bound hold their price raised 5 % and slipped: market at last 100 → 105.105; stop 110 → 115.6155", () => {
    const opg: OrderRequest = { symbol: "AAPL", side: "buy", quantity: 10, type: "market", timeInForce: "opg" };
    expect(accepted(input(opg)).reservedCash).toBe(usd(1_051.05 + 1));
    const stop: OrderRequest = { symbol: "AAPL", side: "buy", quantity: 10, type: "stop", stopPrice: usd(110), timeInForce: "gtc" };
    expect(accepted(input(stop)).reservedCash).toBe(usd(1_156.155 + 1));
  });

  it("a short holds the own cash its collateral needs: 150 % of 10 × 105.105 less the proceeds, plus the fee = $526.525", () => {
    expect(accepted(input(limit("sell_short", 10, 100))).reservedCash).toBe(usd(1_576.575 - 1_051.05 + 1));
  });

  it("a bracket's held exits hold nothing; an oco's two legs hold the shares once", () => {
    const bracket = limit("buy", 10, 100, { orderClass: "bracket", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(95) } });
    const b = accepted(input(bracket));
    expect(b.orders.map((o) => o.status)).toEqual(["accepted", "held", "held"]);
    expect(b.reservedCash).toBe(usd(1_001));
    const oco = limit("sell", 100, 110, { orderClass: "oco", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(95) } });
    const o = accepted(input(oco, { held: 100 }));
    expect(o.reserved.sellShares.get("AAPL")).toBe(100);
    expect(rejected(input(limit("sell", 1, 120), { held: 100, working: o.orders, id: "o2" })).message).toBe(
      "have 0 AAPL, asked to sell 1 (100 are already promised to open sell orders; cancel one to free them)",
    );
  });
});

describe("reservations after a partial fill", () => {
  it("a partly filled bracket entry holds the rest at the limit without a second per-order fee, its held exits the shares bought so far", () => {
    const bracket = limit("buy", 10, 100, { orderClass: "bracket", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(95) } });
    const legs = accepted(input(bracket)).orders.map((o) =>
      o.id === "o1" ? { ...o, status: "partially_filled" as const, filledQuantity: 4, filledNotional: usd(400) } : o,
    );
    const r = reservedBy(legs, new Map<string, Money>([["AAPL", usd(100)]]), RESERVE);
    // 6 × $100; the $1 per-order fee was paid by the first fill.
    expect(r.ok && [r.value.cash, r.value.sellShares.get("AAPL")]).toEqual([usd(600), 4]);
    expect(rejected(input(limit("sell", 1, 120), { held: 4, working: legs, id: "o2" })).message).toBe(
      "have 0 AAPL, asked to sell 1 (4 are already promised to open sell orders; cancel one to free them)",
    );
  });
});

describe("checkWorkingOrder: open orders together never overdraw", () => {
  it("a second buy that the cash left after the first cannot cover is refused, and accepted once the first is cancelled", () => {
    const first = accepted(input(limit("buy", 100, 50)));
    const second = input(limit("buy", 100, 50), { id: "o2", working: first.orders });
    const e = rejected(second);
    expect(e.code).toBe("INSUFFICIENT_CASH");
    expect(e.message).toBe(
      "buy 100 AAPL reserves $5,001.00; cash $10,000.00 less $5,001.00 held by open orders leaves $4,999.00; cancel an open order or lower the quantity",
    );
    const cancelled = cancelWorkingOrder(first.orders, "o1", T0);
    if (!cancelled.ok) throw new Error(cancelled.error.message);
    expect(cancelled.value.events).toMatchObject([{ kind: "cancelled", orderId: "o1", reason: "requested" }]);
    expect(accepted({ ...second, working: cancelled.value.orders }).reservedCash).toBe(usd(5_001));
  });

  it("sells may use only shares no working sell has promised", () => {
    const first = accepted(input(limit("sell", 60, 110), { held: 100 }));
    const e = rejected(input(limit("sell", 50, 110), { held: 100, id: "o2", working: first.orders }));
    expect([e.code, e.message]).toEqual(["INSUFFICIENT_SHARES", "have 40 AAPL, asked to sell 50; sell at most 40 (60 are already promised to open sell orders; cancel one to free them)"]);
  });

  it("a stop on the wrong side of the market is refused in words, nothing reserved", () => {
    const stop: OrderRequest = { symbol: "AAPL", side: "sell", quantity: 10, type: "stop", stopPrice: usd(101.5), timeInForce: "gtc" };
    const e = rejected(input(stop, { held: 10, last: 100.2 }));
    expect(e.message).toBe(
      "sell stop $101.50 is above the last price $100.20: a sell stop must be below it (it triggers when the price falls to it); to sell above the price use a limit order",
    );
  });

  it("checkOrder (the immediate market path) spends only the cash and shares working orders leave free", () => {
    const working = accepted(input(limit("buy", 100, 50))).orders;
    const reserved = reservedBy(working, new Map<string, Money>([["AAPL", usd(100)]]), RESERVE);
    if (!reserved.ok) throw new Error(reserved.error.message);
    const r = checkOrder({
      request: { symbol: "AAPL", side: "buy", quantity: 50, type: "market" },
      account: createAccount(usd(10_000)),
      price: usd(100),
      fees: FEES,
      slippageBps: 0,
      symbols: new Set(["AAPL"]),
      settings: SETTINGS,
      reserved: reserved.value,
    });
    expect(r.ok ? "accepted" : r.error.message).toBe(
      "need $5,001.00 (50 AAPL × $100.00 + $1.00 fee), have $4,999.00 free ($5,001.00 more is held by open orders; cancel one to free it); you can afford at most 49 AAPL",
    );
  });
});

describe("cancelWorkingOrder", () => {
  const bracket = limit("buy", 10, 100, { orderClass: "bracket", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(95) } });

  it("an unknown id is refused; cancelling an unfilled entry cancels its held exits", () => {
    const legs = accepted(input(bracket)).orders;
    const unknown = cancelWorkingOrder(legs, "nope", T0);
    expect(unknown.ok ? null : unknown.error.code).toBe("UNKNOWN_ORDER");
    const r = cancelWorkingOrder(legs, "o1", T0);
    expect(r.ok && r.value.events.map((e) => `${e.kind}:${e.orderId}`)).toEqual(["cancelled:o1", "cancelled:o1:tp", "cancelled:o1:sl"]);
    expect(r.ok && r.value.orders).toEqual([]);
  });

  it("cancelling a partly filled entry activates its exits for the filled part; cancelling one oco leg leaves the other alone", () => {
    const legs = accepted(input(bracket)).orders.map((o) => (o.id === "o1" ? { ...o, status: "partially_filled" as const, filledQuantity: 4 } : o));
    const r = cancelWorkingOrder(legs, "o1", T0);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.orders.map((o) => [o.id, o.status, o.quantity])).toEqual([["o1:tp", "accepted", 4], ["o1:sl", "accepted", 4]]);
    const tpGone = cancelWorkingOrder(r.value.orders, "o1:tp", T0);
    if (!tpGone.ok) throw new Error(tpGone.error.message);
    expect(tpGone.value.orders.map((o) => [o.id, o.ocoWith])).toEqual([["o1:sl", undefined]]);
  });
});
