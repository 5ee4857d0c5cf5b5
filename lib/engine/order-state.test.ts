import { describe, expect, it } from "vitest";
import {
  fillEvent,
  isTerminalStatus,
  ORDER_EVENTS,
  ORDER_STATUSES,
  transition,
  type OrderEvent,
  type OrderStatus,
} from "./order-state";

/** The specification, written out independently of the implementation's table. */
const EXPECTED: Record<string, OrderStatus> = {
  "new/accept": "accepted",
  "new/reject": "rejected",
  "new/hold": "held",
  "held/activate": "accepted",
  "held/cancel": "cancelled",
  "held/expire": "expired",
  "held/replace": "replaced",
  "accepted/trigger": "triggered",
  "accepted/replace": "replaced",
  "triggered/partial_fill": "partially_filled",
  "triggered/fill": "filled",
  "triggered/cancel": "cancelled",
  "triggered/expire": "expired",
  "partially_filled/replace": "replaced",
  "accepted/partial_fill": "partially_filled",
  "accepted/fill": "filled",
  "accepted/cancel": "cancelled",
  "accepted/expire": "expired",
  "partially_filled/partial_fill": "partially_filled",
  "partially_filled/fill": "filled",
  "partially_filled/cancel": "cancelled",
  "partially_filled/expire": "expired",
};
const TERMINAL: OrderStatus[] = ["filled", "cancelled", "rejected", "expired", "replaced"];

describe("order state machine", () => {
  const pairs: [OrderStatus, OrderEvent][] = ORDER_STATUSES.flatMap((s) => ORDER_EVENTS.map((e) => [s, e] as [OrderStatus, OrderEvent]));

  it.each(pairs)("%s + %s moves as specified or is ILLEGAL_TRANSITION", (from, event) => {
    const result = transition(from, event);
    const expected = EXPECTED[`${from}/${event}`];
    if (expected) {
      expect(result).toEqual({ ok: true, value: expected });
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("ILLEGAL_TRANSITION");
        expect(result.error.message).toContain(`"${from}"`);
      }
    }
  });

  it("has exactly the expected terminal states, which accept nothing", () => {
    expect(ORDER_STATUSES.filter(isTerminalStatus)).toEqual(TERMINAL);
    for (const s of TERMINAL) for (const e of ORDER_EVENTS) expect(transition(s, e).ok).toBe(false);
  });

  it("tells the caller which events are allowed", () => {
    const r = transition("new", "fill");
    expect(!r.ok && r.error.message).toBe('an order that is "new" cannot take event "fill": from "new" only accept, reject, hold are allowed');
  });

  it("a triggered order cannot be replaced or triggered again; a held exit cannot fill before it is activated", () => {
    expect(transition("triggered", "replace").ok).toBe(false);
    expect(transition("triggered", "trigger").ok).toBe(false);
    expect(transition("held", "fill").ok).toBe(false);
    expect(transition("held", "trigger").ok).toBe(false);
  });

  it("picks partial_fill until the order quantity is reached", () => {
    expect(fillEvent(3, 10)).toBe("partial_fill");
    expect(fillEvent(10, 10)).toBe("fill");
  });
});
