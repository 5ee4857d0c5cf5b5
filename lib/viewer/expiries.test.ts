import { describe, expect, it } from "vitest";
import { expiryRows, feedItems, isExpiryRow, settlementFromPayload } from "./expiries";
import { applyEvents } from "./fold";
import type { DecisionSummary, SessionEvent, SettlementOrderView, ViewerState } from "./types";

const T5 = "2025-03-10T13:30:00.000Z";
/** An `order` event's payload as RECORD_BAR writes it (order-event-payload.ts): money as text, the time from jsonb. */
const payload = (id: string, symbol: string, side: string, quantity: number, price: string, reason: string | null, decisionId: string | null = null) => ({
  id, decisionId, symbol, side, quantity, status: "filled", filledQuantity: quantity, referencePrice: price, placedAt: "2025-03-10T13:30:00+00:00", statusReason: reason,
});

describe("settlementFromPayload", () => {
  it("takes the session's own orders of an expiry, and nothing a decision placed or that did not fill", () => {
    expect(settlementFromPayload(payload("o1", "OPT250307C00045000", "sell", 1, "0.000000", "exercised"))).toEqual({
      id: "o1", symbol: "OPT250307C00045000", side: "sell", quantity: 1, price: 0, reason: "exercised", placedAt: T5,
    });
    expect(settlementFromPayload(payload("o2", "OPT250307C00045000", "sell", 1, "2.000000", null, "d1"))).toBeNull();
    expect(settlementFromPayload(payload("o3", "OPT", "sell", 5, "45.000000", "requested"))).toBeNull();
    expect(settlementFromPayload({ ...payload("o4", "OPT250307P00040000", "sell", 1, "0", "expired_worthless"), status: "rejected" })).toBeNull();
  });
});

const order = (id: string, symbol: string, side: SettlementOrderView["side"], quantity: number, price: number, reason: SettlementOrderView["reason"]): SettlementOrderView => ({
  id, symbol, side, quantity, price, reason, placedAt: T5,
});

describe("expiryRows", () => {
  it("one row per contract, its delivery at the strike beside it, in words", () => {
    const rows = expiryRows([
      order("a", "OPT250307C00045000", "sell", 1, 0, "exercised"),
      order("b", "OPT", "buy", 100, 45, "exercised"),
      order("c", "OPT250307C00046000", "sell", 1, 6, "closed_at_intrinsic"),
      order("d", "OPT250307P00040000", "sell", 2, 0, "expired_worthless"),
      order("e", "OPT250307C00050000", "buy", 1, 0, "assigned"),
      order("f", "OPT", "sell", 100, 50, "assigned"),
    ]);
    expect(rows.map((r) => [r.id, r.outcome, r.written, r.delivery?.quantity ?? null])).toEqual([
      ["a", "exercised", false, 100],
      ["c", "closed_at_intrinsic", false, null],
      ["d", "expired_worthless", false, null],
      ["e", "assigned", true, 100],
    ]);
    expect(rows.map((r) => r.text)).toEqual([
      "OPT250307C00045000 exercised: 100 OPT bought at $45.00 (1 contract held)",
      "OPT250307C00046000 closed at its intrinsic value, $6.00 a share (1 contract held): the account could not take the shares",
      "OPT250307P00040000 expired worthless (2 contracts held)",
      "OPT250307C00050000 assigned: 100 OPT sold at $50.00 (1 contract written)",
    ]);
  });

  it("a delivery is matched by the strike and the quantity, not by its place in the list", () => {
    const rows = expiryRows([
      order("p", "OPT", "sell_short", 200, 55, "exercised"),
      order("q", "OPT250307C00045000", "sell", 1, 0, "exercised"),
      order("r", "OPT", "buy", 100, 45, "exercised"),
      order("s", "OPT250307P00055000", "sell", 2, 0, "exercised"),
    ]);
    expect(rows.map((r) => [r.id, r.delivery])).toEqual([
      ["q", { symbol: "OPT", side: "buy", quantity: 100, price: 45 }],
      ["s", { symbol: "OPT", side: "sell_short", quantity: 200, price: 55 }],
    ]);
  });
});

const decision = (id: string, clock: string): DecisionSummary => ({ id, clock, outcome: "held", text: "", toolCalls: 0, filledOrders: 0, rejectedOrders: 0, toolErrors: 0, error: null, latencyMs: 0 });

describe("feedItems", () => {
  const d = ["2025-03-06", "2025-03-07", "2025-03-10", "2025-03-11"].map((day, i) => decision(`d${i}`, `${day}T14:30:00.000Z`));
  const [row] = expiryRows([order("x", "OPT250307P00040000", "sell", 1, 0, "expired_worthless")]).map((r) => ({ ...r, clock: "2025-03-10T14:30:00.000Z" }));
  it("puts an expiry before the decision of its bar; none: the decisions themselves", () => {
    expect(feedItems(d, [], false)).toBe(d);
    expect(feedItems(d, [row!], false).map((x) => (isExpiryRow(x) ? "expiry" : x.id))).toEqual(["d0", "d1", "expiry", "d2", "d3"]);
    expect(feedItems(d.slice(0, 2), [row!], false).map((x) => (isExpiryRow(x) ? "expiry" : x.id))).toEqual(["d0", "d1", "expiry"]);
  });
  it("keeps an expiry older than the decisions loaded until they are", () => {
    expect(feedItems(d.slice(3), [row!], true).map((x) => (isExpiryRow(x) ? "expiry" : x.id))).toEqual(["d3"]);
    expect(feedItems(d.slice(2), [row!], true).map((x) => (isExpiryRow(x) ? "expiry" : x.id))).toEqual(["expiry", "d2", "d3"]);
    expect(feedItems([], [row!], true)).toEqual([]);
  });
});

describe("the viewer's fold", () => {
  it("keeps the expiry orders of the stream, once each", () => {
    const state = { lastSeq: 0, settlements: [], workingOrders: [], decisions: [], equity: [], fills: [], positions: [], session: { cursor: 0 } } as unknown as ViewerState;
    const ev = (seq: number, p: Record<string, unknown>): SessionEvent => ({ seq, type: "order", at: T5, payload: p });
    const events = [ev(1, payload("a", "OPT250307C00045000", "sell", 1, "0.000000", "exercised")), ev(2, payload("b", "OPT", "buy", 100, "45.000000", "exercised")), ev(3, payload("c", "OPT", "buy", 1, "50.000000", null, "d9"))];
    const once = applyEvents(state, events);
    expect(once.settlements.map((s) => s.id)).toEqual(["a", "b"]);
    // Replayed after a reconnect with a lower lastSeq: matched by id, nothing twice.
    expect(applyEvents({ ...once, lastSeq: 0 }, events).settlements.map((s) => s.id)).toEqual(["a", "b"]);
  });
});
