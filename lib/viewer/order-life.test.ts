import { describe, expect, it } from "vitest";
import { orderLife } from "./order-life";
import type { DecisionOrderView, FillView } from "./types";

const D = (day: number) => new Date(Date.UTC(2025, 2, 3 + day, 14, 30)).toISOString();

const order = (over: Partial<DecisionOrderView>): DecisionOrderView => ({
  id: "o1",
  decisionId: "d1",
  symbol: "CCC",
  side: "buy",
  quantity: 10,
  status: "accepted",
  filledQuantity: 0,
  referencePrice: 100,
  rejectCode: null,
  rejectMessage: null,
  placedAt: D(0),
  type: "limit",
  timeInForce: "gtc",
  orderClass: "simple",
  leg: "entry",
  parentId: null,
  limitPrice: 101,
  stopPrice: null,
  trailPrice: null,
  trailPercent: null,
  triggeredAt: null,
  endedAt: null,
  statusReason: null,
  ...over,
});

const fill = (orderId: string, day: number, quantity: number, price: number, realizedPnl: number | null = null): FillView => ({
  id: `${orderId}@${day}`,
  orderId,
  symbol: "CCC",
  side: "buy",
  quantity,
  price,
  fee: 0,
  cashAfter: 0,
  realizedPnl,
  quantityAfter: 0,
  filledAt: D(day),
});

const steps = (o: DecisionOrderView, orders: DecisionOrderView[], fills: FillView[]) => orderLife(o, orders, fills).map((s) => [s.at, s.kind, s.text]);

describe("an order's life in a decision's details", () => {
  // The bracket of lib/trading/working-order-kinds.int.test.ts: the entry fills at D0, the take-profit at D2, the stop-loss goes with it.
  const entry = order({ orderClass: "bracket", status: "filled", filledQuantity: 10, endedAt: D(0) });
  const tp = order({ id: "o1:tp", orderClass: "bracket", leg: "take_profit", parentId: "o1", side: "sell", limitPrice: 108, status: "filled", endedAt: D(2) });
  const sl = order({ id: "o1:sl", orderClass: "bracket", leg: "stop_loss", parentId: "o1", side: "sell", type: "stop", limitPrice: null, stopPrice: 95, status: "cancelled", statusReason: "oco", endedAt: D(2) });
  const fills = [fill("o1", 0, 10, 100), fill("o1:tp", 2, 10, 108, 80)];
  const orders = [entry, tp, sl];

  it("a bracket: its entry placed and filled; its legs held, active at the entry's fill, one filled, the other cancelled with it", () => {
    expect(steps(entry, orders, fills)).toEqual([
      [D(0), "placed", "Placed (GTC), working"],
      [D(0), "fill", "Filled 10 @ $100.00 · fee $0.00"],
    ]);
    expect(steps(tp, orders, fills)).toEqual([
      [D(0), "placed", "Placed (GTC), held until its entry fills"],
      [D(0), "activated", "Active: its entry filled"],
      [D(2), "fill", "Filled 10 @ $108.00 · fee $0.00 · realized $80.00"],
    ]);
    expect(steps(sl, orders, fills)).toEqual([
      [D(0), "placed", "Placed (GTC), held until its entry fills"],
      [D(0), "activated", "Active: its entry filled"],
      [D(2), "ended", "Cancelled: its other leg filled"],
    ]);
  });

  it("a leg whose entry never filled is not active; it ends with its entry", () => {
    const e = { ...entry, status: "cancelled", filledQuantity: 0, statusReason: "requested", endedAt: D(1) };
    const leg = { ...sl, statusReason: "parent_ended", endedAt: D(1) };
    expect(steps(leg, [e, leg], [])).toEqual([
      [D(0), "placed", "Placed (GTC), held until its entry fills"],
      [D(1), "ended", "Cancelled: its entry ended before any fill"],
    ]);
    expect(steps(e, [e, leg], [])).toEqual([
      [D(0), "placed", "Placed (GTC), working"],
      [D(1), "ended", "Cancelled: by the model"],
    ]);
  });

  it("a trailing stop triggers and fills in one bar: trigger before fill, in time order whatever the input order", () => {
    const t = order({ type: "trailing_stop", side: "sell", limitPrice: null, stopPrice: 103, trailPrice: 5, triggeredAt: D(3), status: "filled", endedAt: D(3) });
    expect(steps(t, [t], [fill("o1", 3, 10, 103, 30)])).toEqual([
      [D(0), "placed", "Placed (GTC), working"],
      [D(3), "triggered", "Triggered"],
      [D(3), "fill", "Filled 10 @ $103.00 · fee $0.00 · realized $30.00"],
    ]);
    const stop = order({ type: "stop", limitPrice: null, stopPrice: 105, triggeredAt: D(1), status: "partially_filled", filledQuantity: 4 });
    expect(steps(stop, [stop], [fill("o1", 2, 6, 105.5), fill("o1", 1, 4, 105)]).map(([at, kind]) => [at, kind])).toEqual([
      [D(0), "placed"],
      [D(1), "triggered"],
      [D(1), "fill"],
      [D(2), "fill"],
    ]);
    expect(orderLife(stop, [stop], [])[1]!.text).toBe("Triggered at its stop $105.00");
  });

  it("ends between bars come last and carry no time; the account's refusal is marked", () => {
    const mine = order({ status: "cancelled", statusReason: "requested_by_user" });
    expect(steps(mine, [mine], [])).toEqual([
      [D(0), "placed", "Placed (GTC), working"],
      [null, "ended", "Cancelled: by you"],
    ]);
    const end = order({ status: "cancelled", statusReason: "session_end" });
    expect(orderLife(end, [end], []).at(-1)).toEqual({ at: null, kind: "ended", text: "Cancelled: the session ended" });
    const poor = order({ status: "cancelled", statusReason: "insufficient_cash", endedAt: D(2) });
    expect(orderLife(poor, [poor], []).at(-1)).toEqual({ at: D(2), kind: "ended", text: "Cancelled: the account could not pay for it when it would have filled", tone: "error" });
    const day = order({ timeInForce: "day", status: "expired", statusReason: "day", endedAt: D(0) });
    expect(steps(day, [day], [])).toEqual([
      [D(0), "placed", "Placed (Day), working"],
      [D(0), "ended", "Expired: the day ended"],
    ]);
  });

  it("a rejection is one step in words; a market order is placed at the market; a replaced order says so", () => {
    const no = order({ status: "rejected", rejectCode: "INSUFFICIENT_CASH", rejectMessage: "buy 80 AAA needs $8,000.00; free cash is $7,640.00" });
    expect(orderLife(no, [no], [])).toEqual([{ at: D(0), kind: "ended", text: "Rejected (INSUFFICIENT_CASH): buy 80 AAA needs $8,000.00; free cash is $7,640.00", tone: "error" }]);
    const m = order({ type: "market", limitPrice: null, timeInForce: "day", status: "filled" });
    expect(steps(m, [m], [fill("o1", 0, 10, 100)])[0]).toEqual([D(0), "placed", "Placed at the market"]);
    const r = order({ status: "replaced", statusReason: "requested", endedAt: D(1) });
    expect(orderLife(r, [r], []).at(-1)).toEqual({ at: D(1), kind: "ended", text: "Replaced by a new order" });
    const leg = order({ id: "o1:sl", leg: "stop_loss", parentId: "o1", status: "replaced", statusReason: "parent_replaced", endedAt: D(1) });
    expect(orderLife(leg, [r, leg], []).at(-1)!.text).toBe("Replaced: its entry was replaced");
  });
});
