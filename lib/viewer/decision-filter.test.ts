import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countDecisions, DECISION_FILTERS, filterDecisions } from "./decision-filter";
import type { DecisionSummary } from "./types";

const decision = (i: number, over: Partial<DecisionSummary>): DecisionSummary => ({
  id: `d${i}`,
  clock: new Date(Date.UTC(2025, 5, 10, 13, 30 + i)).toISOString(),
  outcome: "held",
  text: "",
  toolCalls: 1,
  filledOrders: 0,
  rejectedOrders: 0,
  toolErrors: 0,
  error: null,
  latencyMs: 1,
  ...over,
});

describe("decision filters", () => {
  const feed = [
    decision(0, { outcome: "traded", filledOrders: 1 }),
    decision(1, {}),
    decision(2, { outcome: "failed", error: "the model timed out", toolErrors: 1 }),
    decision(3, { outcome: "traded", filledOrders: 1, rejectedOrders: 1 }),
    decision(4, { rejectedOrders: 2, toolErrors: 2 }),
  ];

  it("count each kind, a decision in every filter it matches", () => {
    expect(countDecisions(feed)).toEqual({ all: 5, traded: 2, held: 2, failed: 1, rejected: 2, "tool-errors": 2 });
    expect(countDecisions([])).toEqual({ all: 0, traded: 0, held: 0, failed: 0, rejected: 0, "tool-errors": 0 });
  });

  it("keep the matching decisions in their order", () => {
    expect(filterDecisions(feed, "all")).toBe(feed);
    expect(filterDecisions(feed, "traded").map((d) => d.id)).toEqual(["d0", "d3"]);
    expect(filterDecisions(feed, "failed").map((d) => d.id)).toEqual(["d2"]);
    expect(filterDecisions(feed, "rejected").map((d) => d.id)).toEqual(["d3", "d4"]);
    expect(filterDecisions(feed, "tool-errors").map((d) => d.id)).toEqual(["d2", "d4"]);
  });

  it("agree with their counts, and the outcomes split the feed", () => {
    const arb = fc.array(
      fc.record({
        outcome: fc.constantFrom("traded" as const, "held" as const, "failed" as const),
        rejectedOrders: fc.nat(3),
        toolErrors: fc.nat(3),
      }),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(arb, (parts) => {
        const ds = parts.map((p, i) => decision(i, p));
        const counts = countDecisions(ds);
        for (const f of DECISION_FILTERS) expect(filterDecisions(ds, f.id)).toHaveLength(counts[f.id]);
        expect(counts.traded + counts.held + counts.failed).toBe(counts.all);
      }),
    );
  });
});
