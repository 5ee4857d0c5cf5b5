import { describe, expect, it } from "vitest";
import { usd } from "@/tests/support/engine-helpers";
import { T0 } from "@/tests/support/working-order-fixtures";
import { createAccount } from "./account";
import { FREE_FEES } from "./fees";
import type { OrderClass, OrderRequest } from "./order";
import { flatPosition } from "./position";
import { replaceWorkingOrder, type ReplaceChanges, type ReplaceWorkingOrderInput } from "./replace-working-order";
import { reservedBy } from "./reservations";
import { workingOrdersFor, type WorkingOrder } from "./working-orders";

/** Free trading, AAPL at $100, $1,000 of cash unless said otherwise. */
const SETTINGS = { allowShort: true, shortMarginRequirementBps: 15_000 };

function input(working: WorkingOrder[], targetId: string, changes: ReplaceChanges, o: { cash?: number; held?: number; last?: number; cls?: OrderClass } = {}): ReplaceWorkingOrderInput {
  const held = o.held ?? 0;
  const positions = new Map(held === 0 ? [] : [["AAPL", { ...flatPosition("AAPL"), quantity: held, costBasis: BigInt(held) * usd(100) }]]);
  return {
    working,
    targetId,
    changes,
    orderClass: o.cls ?? "simple",
    newId: "n1",
    placedAt: T0 + 3_600_000,
    account: createAccount(usd(o.cash ?? 1_000), { positions }),
    lastPrices: new Map([["AAPL", usd(o.last ?? 100)]]),
    fees: FREE_FEES,
    slippageBps: 0,
    symbols: new Set(["AAPL"]),
    settings: SETTINGS,
  };
}

const placed = (request: Partial<OrderRequest>, id = "o1", last = 100) =>
  workingOrdersFor({ symbol: "AAPL", side: "buy", quantity: 10, type: "limit", limitPrice: usd(97), timeInForce: "gtc", ...request } as OrderRequest, { id, placedAt: T0, lastPrice: usd(last) });

function replaced(i: ReplaceWorkingOrderInput) {
  const r = replaceWorkingOrder(i);
  if (!r.ok) throw new Error(`refused: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function refused(i: ReplaceWorkingOrderInput) {
  const r = replaceWorkingOrder(i);
  if (r.ok) throw new Error("expected a refusal");
  return r;
}

describe("replacing a simple working order", () => {
  it("ends the old order replaced and places the new one with the changed fields; the old reservation is free for it", () => {
    // $1,000 of cash; the old buy 10 @ 97 holds $970. The new 10 @ 99 needs $990: possible only with the $970 released.
    const old = placed({});
    const r = replaced(input(old, "o1", { limitPrice: usd(99) }));
    expect(r.ended).toEqual([{ order: { ...old[0]!, status: "replaced" }, by: "n1", reason: "requested" }]);
    expect(r.orders).toEqual([{ ...old[0]!, id: "n1", limitPrice: usd(99), placedAt: T0 + 3_600_000 }]);
    expect(r.relinked).toEqual([]);
    expect(reservedBy(r.orders, new Map([["AAPL", usd(100)]]), { fees: FREE_FEES, slippageBps: 0, shortMarginRequirementBps: 15_000 }).ok).toBe(true);
  });

  it("quantity and time in force change; type, side and symbol stay", () => {
    const r = replaced(input(placed({}), "o1", { quantity: 5, timeInForce: "day" }));
    expect(r.orders[0]).toMatchObject({ id: "n1", side: "buy", type: "limit", quantity: 5, timeInForce: "day", limitPrice: usd(97), status: "accepted" });
  });

  it("a replacement the free cash cannot hold is refused with its candidate (to write as rejected); other orders' holds still count", () => {
    const other = placed({ limitPrice: usd(50) }, "o2"); // holds $500
    const r = refused(input([...placed({}), ...other], "o1", { quantity: 6 }));
    expect(r.error.code).toBe("INSUFFICIENT_CASH");
    expect(r.error.message).toMatch(/reserves \$582\.00; cash \$1,000\.00 less \$500\.00 held by open orders leaves \$500\.00/);
    expect(r.candidate).toMatchObject({ id: "n1", quantity: 6, limitPrice: usd(97) });
  });

  it("a sell stop moved above the last price is refused in words, with its candidate", () => {
    const stop = placed({ side: "sell", type: "stop", stopPrice: usd(95), limitPrice: undefined } as Partial<OrderRequest>);
    const r = refused(input(stop, "o1", { stopPrice: usd(101.5) }, { held: 10 }));
    expect(r.error).toEqual({ code: "INVALID_ORDER_PRICE", message: expect.stringMatching(/^sell stop \$101\.50 is above the last price \$100\.00: a sell stop must be below it/) });
    expect(r.candidate).toMatchObject({ id: "n1", stopPrice: usd(101.5) });
  });

  it("refuses without a candidate: an id not working, nothing to change, a field the type does not take, a triggered or partly filled order", () => {
    const [o] = placed({});
    expect(refused(input([o!], "nope", { quantity: 1 }))).toMatchObject({ error: { code: "UNKNOWN_ORDER" }, candidate: null });
    expect(refused(input([o!], "o1", {}))).toMatchObject({ error: { code: "INVALID_REPLACE", message: expect.stringMatching(/nothing to change/) }, candidate: null });
    expect(refused(input([o!], "o1", { stopPrice: usd(90) })).error.message).toMatch(/is a limit order: it takes no stopPrice\. replace_order keeps an order's type/);
    const part = { ...o!, status: "partially_filled" as const, filledQuantity: 3, filledNotional: usd(291) };
    expect(refused(input([part], "o1", { quantity: 20 }))).toMatchObject({ error: { code: "ORDER_NOT_REPLACEABLE", message: expect.stringMatching(/has filled 3 of 10 shares/) }, candidate: null });
    const trig = { ...o!, type: "stop_limit" as const, stopPrice: usd(98), status: "triggered" as const, triggered: true };
    expect(refused(input([trig], "o1", { limitPrice: usd(96) })).error.message).toMatch(/has triggered and is working as a limit order now/);
  });

  it("a trailing stop keeps its water mark: the new trail is measured from the best price seen", () => {
    const [t] = placed({ side: "sell", type: "trailing_stop", trail: { kind: "price", amount: usd(5) }, limitPrice: undefined } as Partial<OrderRequest>);
    const moved = { ...t!, waterMark: usd(110), stopPrice: usd(105) };
    const r = replaced(input([moved], "o1", { trail: { kind: "price", amount: usd(3) } }, { held: 10, last: 108 }));
    expect(r.orders[0]).toMatchObject({ waterMark: usd(110), stopPrice: usd(107), trail: { kind: "price", amount: usd(3) } });
  });
});

describe("replacing a bracket", () => {
  const bracket = () =>
    placed({ orderClass: "bracket", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(90) } });

  it("an entry that waits carries its legs: they are replaced with it, for the new quantity, linked to the new entry", () => {
    const r = replaced(input(bracket(), "o1", { quantity: 5, limitPrice: usd(98) }, { cls: "bracket" }));
    expect(r.ended.map((e) => [e.order.id, e.order.status, e.by, e.reason])).toEqual([
      ["o1", "replaced", "n1", "requested"],
      ["o1:tp", "replaced", "n1:tp", "parent_replaced"],
      ["o1:sl", "replaced", "n1:sl", "parent_replaced"],
    ]);
    expect(r.orders.map((o) => [o.id, o.role, o.quantity, o.status, o.parentId, o.ocoWith])).toEqual([
      ["n1", "entry", 5, "accepted", undefined, undefined],
      ["n1:tp", "take_profit", 5, "held", "n1", "n1:sl"],
      ["n1:sl", "stop_loss", 5, "held", "n1", "n1:tp"],
    ]);
    expect(r.orderClass).toBe("bracket");
  });

  it("an entry moved above its take-profit is refused by the contract's leg rule", () => {
    expect(refused(input(bracket(), "o1", { limitPrice: usd(111) }, { cls: "bracket" })).error.message).toMatch(/takeProfit\.limitPrice \$110\.00 must be above the entry price \$111\.00/);
  });

  it("a leg's price moves alone: a new leg, the other leg linked to it; its quantity does not", () => {
    const legs = bracket();
    const r = replaced(input(legs, "o1:sl", { stopPrice: usd(92) }, { cls: "bracket" }));
    expect(r.ended.map((e) => e.order.id)).toEqual(["o1:sl"]);
    expect(r.orders).toEqual([{ ...legs[2]!, id: "n1", stopPrice: usd(92), ocoWith: "o1:tp", placedAt: T0 + 3_600_000 }]);
    expect(r.relinked).toEqual([{ ...legs[1]!, ocoWith: "n1" }]);
    expect(refused(input(legs, "o1:sl", { quantity: 3 }, { cls: "bracket" })).error.message).toMatch(/stop-loss leg of a bracket order: only its prices can change/);
    expect(refused(input(legs, "o1:sl", { stopPrice: usd(99) }, { cls: "bracket" })).error.message).toMatch(/stopLoss\.stopPrice \$99\.00 must be below the entry price \$97\.00/);
  });

  it("an active oco's stop-loss moved above the market is refused: it would stop out at once", () => {
    const oco = workingOrdersFor(
      { symbol: "AAPL", side: "sell", quantity: 10, type: "limit", limitPrice: usd(110), orderClass: "oco", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(90) }, timeInForce: "gtc" },
      { id: "o1", placedAt: T0, lastPrice: usd(100) },
    );
    const r = refused(input(oco, "o1:sl", { stopPrice: usd(100.5) }, { held: 10, cls: "oco" }));
    expect(r.error.message).toMatch(/stopLoss\.stopPrice \$100\.50 must be below the last price \$100\.00, or it stops out at once/);
    expect(r.candidate).toMatchObject({ id: "n1", role: "stop_loss", stopPrice: usd(100.5) });
    const ok = replaced(input(oco, "o1", { limitPrice: usd(112) }, { held: 10, cls: "oco" }));
    expect(ok.orders[0]).toMatchObject({ id: "n1", role: "take_profit", limitPrice: usd(112), ocoWith: "o1:sl", status: "accepted" });
    expect(ok.relinked[0]).toMatchObject({ id: "o1:sl", ocoWith: "n1" });
  });
});
