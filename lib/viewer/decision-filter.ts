import { DECISION_KINDS, type DecisionKind } from "@/lib/schemas/session";
import type { DecisionSummary } from "./types";

/** What each kind keeps: the same kinds as the API's `?show=` (lib/db/queries/decisions.ts). */
const KEEPS: Record<DecisionKind, (d: DecisionSummary) => boolean> = {
  traded: (d) => d.outcome === "traded",
  held: (d) => d.outcome === "held",
  failed: (d) => d.outcome === "failed",
  rejected: (d) => d.rejectedOrders > 0,
  "tool-errors": (d) => d.toolErrors > 0,
};
const LABEL: Record<DecisionKind, string> = { traded: "Traded", held: "Held", failed: "Failed", rejected: "Rejected orders", "tool-errors": "Tool errors" };

export type DecisionFilter = "all" | DecisionKind;

/** Which decisions the viewer's feed shows: all, by outcome, or those where something went wrong. */
export const DECISION_FILTERS: readonly { id: DecisionFilter; label: string; test: (d: DecisionSummary) => boolean }[] = [
  { id: "all", label: "All", test: () => true },
  ...DECISION_KINDS.map((k) => ({ id: k, label: LABEL[k], test: KEEPS[k] })),
];

/** How many of `decisions` each filter keeps, in one pass. */
export function countDecisions(decisions: readonly DecisionSummary[]): Record<DecisionFilter, number> {
  const counts = Object.fromEntries(DECISION_FILTERS.map((f) => [f.id, 0])) as Record<DecisionFilter, number>;
  for (const d of decisions) for (const f of DECISION_FILTERS) if (f.test(d)) counts[f.id]++;
  return counts;
}

/** The decisions a filter keeps, in their order ("all" returns the same array). */
export function filterDecisions(decisions: readonly DecisionSummary[], filter: DecisionFilter): readonly DecisionSummary[] {
  if (filter === "all") return decisions;
  return decisions.filter(KEEPS[filter]);
}

/** What the feed says when a filter keeps nothing. */
export const EMPTY_FILTER_TEXT: Record<DecisionKind, string> = {
  traded: "No decision has traded yet.",
  held: "No decision has held yet.",
  failed: "No decision failed: every one ran to its end.",
  rejected: "No order was rejected.",
  "tool-errors": "No tool call returned an error.",
};
