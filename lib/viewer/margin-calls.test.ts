import { describe, expect, it } from "vitest";
import { expiryRows, feedItems, sessionRows } from "./expiries";
import { marginCallFromPayload } from "./margin-calls";
import type { DecisionSummary } from "./types";

const issued = { barIndex: 1, at: "2025-03-04T14:30:00.000Z", status: "issued", requirement: "1081.000000", cash: "1044.000000", shortfall: "37.000000", lines: [] };
const forced = { ...issued, barIndex: 2, at: "2025-03-05T14:30:00.000Z", status: "forced_close", closed: ["OPT250307C00050000"], requirementAfter: "0.000000", cashAfter: "931.000000" };

describe("margin calls in the feed", () => {
  it("a margin_call event's payload in words: the call issued, and the forced buy-back", () => {
    expect(marginCallFromPayload(issued)).toEqual({
      kind: "margin_call",
      id: "margin-call:1:issued",
      clock: "2025-03-04T14:30:00.000Z",
      status: "issued",
      text: "Margin call: the shorts required $1,081.00 of cash, there was $1,044.00 (short by $37.00); to be met by the next decision, or the session buys the shorts back",
    });
    expect(marginCallFromPayload(forced)!.text).toBe(
      "Margin call not met: the shorts required $1,081.00 of cash, there was $1,044.00 (short by $37.00); the session bought back OPT250307C00050000, leaving $0.00 required",
    );
    expect(marginCallFromPayload({ ...issued, status: "other" })).toBeNull();
    expect(marginCallFromPayload({ ...issued, requirement: undefined })).toBeNull();
  });

  it("among the decisions by clock, after the bar's expiries and before its decision", () => {
    const decision = (clock: string) => ({ id: clock, clock }) as unknown as DecisionSummary;
    const expiry = expiryRows([{ id: "e", symbol: "OPT250307P00048000", side: "buy_to_cover", quantity: 1, price: 0, reason: "expired_worthless", placedAt: "2025-03-05T14:30:00.000Z" }]);
    const rows = sessionRows(expiry, [marginCallFromPayload(forced)!, marginCallFromPayload(issued)!]);
    expect(rows.map((r) => `${r.kind}@${r.clock.slice(8, 10)}`)).toEqual(["margin_call@04", "expiry@05", "margin_call@05"]);
    const feed = feedItems([decision("2025-03-04T14:30:00.000Z"), decision("2025-03-05T14:30:00.000Z")], rows, false);
    expect(feed.map((f) => ("kind" in f ? f.kind : "decision"))).toEqual(["margin_call", "decision", "expiry", "margin_call", "decision"]);
  });
});
