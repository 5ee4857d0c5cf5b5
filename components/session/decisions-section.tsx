"use client";
import { useMemo, useState } from "react";
import { countDecisions, DECISION_FILTERS, EMPTY_FILTER_TEXT, filterDecisions, type DecisionFilter } from "@/lib/viewer/decision-filter";
import { expiryRows, sessionRows } from "@/lib/viewer/expiries";
import type { MarginCallRow } from "@/lib/viewer/margin-calls";
import type { DecisionSummary, SettlementOrderView } from "@/lib/viewer/types";
import { DecisionFeed } from "./decision-feed";
import { GoToDecision } from "./go-to-decision";

const WARNING_FILTERS: ReadonlySet<DecisionFilter> = new Set(["failed", "rejected", "tool-errors"]);

/**
 * The decision feed with a filter above it: all decisions, by outcome, or only those where something
 * went wrong (failed, an order rejected, a tool error), each with its count. A filter applies to the
 * decisions loaded so far and says so while older ones are still loading.
 */
export function DecisionsSection({
  decisions,
  older,
  settlements,
  marginCalls = [],
  sessionId,
  interval,
  initialFilter,
  day,
}: {
  decisions: readonly DecisionSummary[];
  older: number;
  /** The orders of option expiries: rows of their own among the decisions (shown with every decision, not with a filter). */
  settlements: readonly SettlementOrderView[];
  /** Margin calls issued and enforced: rows of their own too (lib/viewer/margin-calls.ts). */
  marginCalls?: readonly MarginCallRow[];
  sessionId: string;
  interval: "day" | "hour" | "minute";
  /** From the page's URL (?show=failed). */
  initialFilter: DecisionFilter;
  /** A replay's day (go to a time on it); null for a backtest (go to a day). */
  day: string | null;
}) {
  const [filter, setFilter] = useState<DecisionFilter>(initialFilter);
  const [reveal, setReveal] = useState<{ id: string; n: number } | null>(null);
  // The URL follows the filter (?show=…), so a filtered feed is a link that can be shared and reloaded.
  const choose = (next: DecisionFilter) => {
    setFilter(next);
    setReveal(null);
    const url = new URL(window.location.href);
    if (next === "all") url.searchParams.delete("show");
    else url.searchParams.set("show", next);
    window.history.replaceState(null, "", url);
  };
  const counts = useMemo(() => countDecisions(decisions), [decisions]);
  const shown = useMemo(() => filterDecisions(decisions, filter), [decisions, filter]);
  const expiries = useMemo(() => sessionRows(expiryRows(settlements), marginCalls), [settlements, marginCalls]);
  const filtered = filter !== "all";
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
      <div role="radiogroup" aria-label="Show decisions" className="flex flex-wrap gap-1.5">
        {DECISION_FILTERS.map((f) => {
          const n = f.id === "all" ? counts.all + older : counts[f.id];
          const warn = WARNING_FILTERS.has(f.id) && n > 0;
          return (
            <label key={f.id} className="cursor-pointer">
              <input
                type="radio"
                name={`decision-filter-${sessionId}`}
                value={f.id}
                checked={filter === f.id}
                onChange={() => choose(f.id)}
                className="peer sr-only"
              />
              <span
                className={
                  "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium hover:bg-muted " +
                  "peer-checked:border-primary peer-checked:bg-primary peer-checked:text-primary-foreground " +
                  "peer-focus-visible:ring-2 peer-focus-visible:ring-ring" +
                  (warn ? " border-destructive/60 text-destructive" : "")
                }
              >
                {f.label}
                <span className="tabular-nums">{n.toLocaleString("en-US")}</span>
              </span>
            </label>
          );
        })}
      </div>
      <GoToDecision decisions={shown} day={day} onFound={(id) => setReveal((r) => ({ id, n: (r?.n ?? 0) + 1 }))} />
      </div>
      {filtered && older > 0 && (
        <p className="text-xs text-muted-foreground">
          Filtering the {decisions.length.toLocaleString("en-US")} decisions loaded; {older.toLocaleString("en-US")} older ones are still loading.
        </p>
      )}
      {/* Remounted per filter: row keys are positions in the list shown, so a new list starts from the top with its rows closed. */}
      <DecisionFeed
        key={filter}
        decisions={shown}
        expiries={filtered ? undefined : expiries}
        older={filtered ? 0 : older}
        sessionId={sessionId}
        interval={interval}
        emptyText={filtered ? EMPTY_FILTER_TEXT[filter] : undefined}
        reveal={reveal}
      />
    </>
  );
}
