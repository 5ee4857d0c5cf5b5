import { describe, expect, it } from "vitest";
import { applyEvents } from "./fold";
import type { SessionEvent, ViewerState } from "./types";
import { applyOrderEvent, describeOrder, describeStatus, markCancelRequested, orderLevels, workingOrderFromEvent } from "./working-orders";

/** An `order` event as RECORD_BAR writes it (lib/db/queries/order-event-payload.ts): money as text. */
const orderEvent = (seq: number, p: Record<string, unknown>): SessionEvent => ({
  seq,
  type: "order",
  at: null,
  payload: {
    id: "o1", symbol: "AAA", side: "buy", quantity: 10, status: "accepted", filledQuantity: 0, placedAt: "2025-03-03T14:30:00+00:00",
    type: "limit", timeInForce: "gtc", orderClass: "simple", leg: "entry", parentId: null, limitPrice: "97.000000", stopPrice: null,
    trailPrice: null, trailPercent: null, waterMark: null, triggered: false, statusReason: null, ...p,
  },
});

const state = (): ViewerState => ({ lastSeq: 0, workingOrders: [] } as unknown as ViewerState);
const fold = (s: ViewerState, events: SessionEvent[]) => applyEvents({ ...s, equity: [], decisions: [], fills: [], positions: [], cash: 0, benchmark: null, olderDecisions: 0, session: {} as ViewerState["session"] }, events);

describe("working orders in the viewer", () => {
  it("reads an order event: prices as numbers, the instant in one ISO form", () => {
    expect(workingOrderFromEvent(orderEvent(1, {}))).toMatchObject({ id: "o1", limitPrice: 97, stopPrice: null, placedAt: "2025-03-03T14:30:00.000Z", cancelRequested: false });
    expect(workingOrderFromEvent({ seq: 1, type: "order", at: null, payload: { id: "x" } })).toBeNull(); // no symbol: a refused request
  });

  it("folds the stream: placed orders join in order, a moved one is replaced in place, an ended one leaves", () => {
    let s = fold(state(), [
      orderEvent(1, {}),
      orderEvent(2, { id: "o2", type: "trailing_stop", side: "sell", limitPrice: null, stopPrice: "95.000000", trailPercent: "5.00", waterMark: "100.000000" }),
      orderEvent(3, { id: "rej", status: "rejected", rejectCode: "INSUFFICIENT_CASH" }),
    ]);
    expect(s.workingOrders.map((o) => o.id)).toEqual(["o1", "o2"]);
    s = { ...s, workingOrders: markCancelRequested(s.workingOrders, "o1") };
    s = applyEvents(s, [orderEvent(4, { id: "o2", type: "trailing_stop", side: "sell", limitPrice: null, stopPrice: "99.750000", trailPercent: "5.00", waterMark: "105.000000" })]);
    expect(s.workingOrders.map((o) => [o.id, o.stopPrice, o.waterMark, o.cancelRequested])).toEqual([["o1", null, null, true], ["o2", 99.75, 105, false]]);
    s = applyEvents(s, [orderEvent(5, { status: "cancelled", statusReason: "requested_by_user" })]);
    expect(s.workingOrders.map((o) => o.id)).toEqual(["o2"]);
    const again = applyEvents(s, [orderEvent(5, { status: "accepted" })]); // a replayed seq changes nothing
    expect(again).toBe(s);
  });

  it("leaves the list as it is for an ended order it never had", () => {
    const list = [workingOrderFromEvent(orderEvent(1, {}))!];
    expect(applyOrderEvent(list, workingOrderFromEvent(orderEvent(2, { id: "other", status: "filled" }))!)).toBe(list);
  });

  it("describes orders and their status in words", () => {
    const limit = workingOrderFromEvent(orderEvent(1, {}))!;
    expect(describeOrder(limit)).toBe("Buy 10 AAA limit 97.00");
    const trail = workingOrderFromEvent(orderEvent(1, { side: "sell", type: "trailing_stop", limitPrice: null, stopPrice: "95.5", trailPercent: "5.00" }))!;
    expect(describeOrder(trail)).toBe("Sell 10 AAA trailing stop 5% (stop 95.50)");
    const leg = workingOrderFromEvent(orderEvent(1, { side: "sell", type: "stop", limitPrice: null, stopPrice: "35", orderClass: "bracket", leg: "stop_loss", status: "held" }))!;
    expect(describeOrder(leg)).toBe("Sell 10 AAA stop 35.00 (stop-loss)");
    expect(describeStatus(leg)).toBe("Held until its entry fills");
    expect(describeStatus({ ...limit, status: "partially_filled", filledQuantity: 3 })).toBe("Partially filled 3 of 10");
    expect(describeStatus({ ...limit, cancelRequested: true })).toBe("Cancel requested");
  });

  it("gives the chart each limit, each untriggered stop and each trailing stop where it stands, of the symbol shown", () => {
    const orders = [
      workingOrderFromEvent(orderEvent(1, {}))!,
      workingOrderFromEvent(orderEvent(2, { id: "sl", side: "sell", type: "stop_limit", stopPrice: "90", limitPrice: "89.5" }))!,
      workingOrderFromEvent(orderEvent(3, { id: "fired", side: "sell", type: "stop", limitPrice: null, stopPrice: "91", triggered: true, status: "triggered" }))!,
      workingOrderFromEvent(orderEvent(4, { id: "tr", side: "sell", type: "trailing_stop", limitPrice: null, stopPrice: "95", trailPrice: "5" }))!,
      workingOrderFromEvent(orderEvent(5, { id: "b", symbol: "BBB" }))!,
    ];
    expect(orderLevels(orders, "AAA").map((l) => [l.orderId, l.kind, l.price, l.label])).toEqual([
      ["o1", "limit", 97, "Buy limit 97.00"],
      ["sl", "stop", 90, "Sell stop 90.00"],
      ["sl", "limit", 89.5, "Sell limit 89.50"],
      ["tr", "trailing", 95, "Sell trailing stop 95.00"],
    ]);
  });
});
