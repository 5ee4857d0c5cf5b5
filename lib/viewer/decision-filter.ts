import type { DecisionSummary } from "./types";

/** Which decisions the viewer's feed shows: all, by outcome, or those where something went wrong. */
export const DECISION_FILTERS = [
  { id: "all", label: "All", test: () => true },
  { id: "traded", label: "Traded", test: (d: DecisionSummary) => d.outcome === "traded" },
  { id: "held", label: "Held", test: (d: DecisionSummary) => d.outcome === "held" },
  { id: "failed", label: "Failed", test: (d: DecisionSummary) => d.outcome === "failed" },
  { id: "rejected", label: "Rejected orders", test: (d: DecisionSummary) => d.rejectedOrders > 0 },
  { id: "tool-errors", label: "Tool errors", test: (d: DecisionSummary) => d.toolErrors > 0 },
] as const;

export type DecisionFilter = (typeof DECISION_FILTERS)[number]["id"];

/** How many of `decisions` each filter keeps, in one pass. */
export function countDecisions(decisions: readonly DecisionSummary[]): Record<DecisionFilter, number> {
  const counts = Object.fromEntries(DECISION_FILTERS.map((f) => [f.id, 0])) as Record<DecisionFilter, number>;
  for (const d of decisions) for (const f of DECISION_FILTERS) if (f.test(d)) counts[f.id]++;
  return counts;
}

/** The decisions a filter keeps, in their order ("all" returns the same array). */
export function filterDecisions(decisions: readonly DecisionSummary[], filter: DecisionFilter): readonly DecisionSummary[] {
  if (filter === "all") return decisions;
  const f = DECISION_FILTERS.find((x) => x.id === filter)!;
  return decisions.filter(f.test);
}

/** What the feed says when a filter keeps nothing. */
export const EMPTY_FILTER_TEXT: Record<Exclude<DecisionFilter, "all">, string> = {
  traded: "No decision has traded yet.",
  held: "No decision has held yet.",
  failed: "No decision failed: every one ran to its end.",
  rejected: "No order was rejected.",
  "tool-errors": "No tool call returned an error.",
};
