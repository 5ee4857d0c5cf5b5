"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import { CalendarClock, ChevronRight, TriangleAlert } from "lucide-react";
import { cn } from "@/lib/utils";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { feedItems, isExpiryRow, isMarginCallRow, type ExpiryRow as ExpiryItem, type FeedItem } from "@/lib/viewer/expiries";
import type { MarginCallRow } from "@/lib/viewer/margin-calls";
import { formatClock, formatClockTime } from "@/lib/viewer/format";
import type { DecisionSummary } from "@/lib/viewer/types";
import { DecisionDetails } from "./decision-details";
import { OutcomeBadge } from "./outcome-badge";
import { countOf } from "@/lib/format";

/** A closed row is exactly this tall (so closed rows need no measuring); open rows are measured. */
const ROW_HEIGHT = 68;
const ROW_ESTIMATE = ROW_HEIGHT;
/** The feed's height once it holds more than a screenful (px). */
const FEED_HEIGHT = 512;

function summaryLine(d: DecisionSummary): string {
  const parts = [countOf(d.toolCalls, "tool call")];
  if (d.filledOrders) parts.push(`${d.filledOrders} filled`);
  if (d.rejectedOrders) parts.push(`${d.rejectedOrders} rejected`);
  if (d.toolErrors) parts.push(countOf(d.toolErrors, "tool error"));
  return parts.join(" · ");
}

const Row = memo(function Row({
  d,
  sessionId,
  interval,
  open,
  onToggle,
  focus,
}: {
  d: DecisionSummary;
  sessionId: string;
  interval: "day" | "hour" | "minute";
  open: boolean;
  onToggle: (id: string) => void;
  /** Take the keyboard focus when shown (the decision a "go to" landed on). */
  focus: boolean;
}) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focus) button.current?.focus({ preventScroll: true });
  }, [focus]);
  const when = interval === "minute" ? formatClockTime(d.clock) : formatClock(d.clock, interval);
  const failed = d.outcome === "failed";
  const panelId = `decision-${d.id}`;
  return (
    <div className={`border-b px-1 py-2${open ? "" : " h-[68px] overflow-hidden"}${failed ? " border-l-4 border-l-destructive bg-destructive/5 pl-2" : ""}`}>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => onToggle(d.id)}
        className="grid w-full grid-cols-[auto_1fr] items-start gap-x-2 rounded-md p-1 text-left hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        <ChevronRight className={`mt-0.5 h-4 w-4${open ? " rotate-90" : ""}`} aria-hidden />
        <span className="grid min-w-0 gap-0.5">
          <span className="flex min-w-0 items-center gap-x-2 overflow-hidden whitespace-nowrap">
            <time dateTime={d.clock} className="font-mono text-sm font-medium">
              {when}
            </time>
            <OutcomeBadge outcome={d.outcome} />
            <span className="truncate text-xs text-muted-foreground">{summaryLine(d)}</span>
          </span>
          {failed && d.error ? (
            <span className="truncate text-sm font-medium text-destructive">Failed: {d.error}</span>
          ) : (
            // A preview of what the details show: left out of the button's name ("11:00 Traded 6 tool calls · 1 filled").
            <span className="truncate text-sm text-muted-foreground" aria-hidden>
              {d.text || "(no text)"}
            </span>
          )}
        </span>
      </button>
      {open && (
        <div id={panelId} className="mt-2 pl-7 pr-1">
          <DecisionDetails sessionId={sessionId} decisionId={d.id} when={when} interval={interval} />
        </div>
      )}
    </div>
  );
});

/**
 * What the session did itself before the bar's decision, a row of the feed as tall as a closed decision, with nothing
 * to open: an option's expiry settled (lib/viewer/expiries.ts) or a margin call (lib/viewer/margin-calls.ts).
 */
const SessionRowView = memo(function SessionRowView({ row, interval }: { row: ExpiryItem | MarginCallRow; interval: "day" | "hour" | "minute" }) {
  const when = interval === "minute" ? formatClockTime(row.clock) : formatClock(row.clock, interval);
  const expiry = row.kind === "expiry";
  const tone = expiry
    ? { row: "border-l-amber-500/70 bg-amber-500/5", icon: "text-amber-700 dark:text-amber-300", badge: "border-amber-500/60 text-amber-800 dark:text-amber-200" }
    : { row: "border-l-red-500/70 bg-red-500/5", icon: "text-red-700 dark:text-red-300", badge: "border-red-500/60 text-red-800 dark:text-red-200" };
  const Icon = expiry ? CalendarClock : TriangleAlert;
  const badge = expiry ? "Option expiry" : row.status === "issued" ? "Margin call" : "Forced buy-back";
  return (
    <div className={cn("h-[68px] overflow-hidden border-b border-l-4 px-1 py-2 pl-2", tone.row)} data-testid={expiry ? "expiry-row" : "margin-call-row"}>
      <div className="grid grid-cols-[auto_1fr] items-start gap-x-2 p-1">
        <Icon className={cn("mt-0.5 h-4 w-4", tone.icon)} aria-hidden />
        <div className="grid min-w-0 gap-0.5">
          <div className="flex min-w-0 items-center gap-x-2 overflow-hidden whitespace-nowrap">
            <time dateTime={row.clock} className="font-mono text-sm font-medium">
              {when}
            </time>
            <span className={cn("rounded-full border px-2 py-0.5 text-xs font-medium", tone.badge)}>{badge}</span>
          </div>
          <p className="truncate text-sm" title={row.text}>
            {row.text}
          </p>
        </div>
      </div>
    </div>
  );
});

/**
 * Every decision, newest first, virtualised (only the rows in view are in the DOM, so 10,000 decisions
 * scroll as smoothly as ten). Each row is a disclosure button; its details load when opened.
 */
export function DecisionFeed({
  decisions,
  expiries,
  older,
  sessionId,
  interval,
  emptyText = "No decisions yet. They appear here as the model makes them.",
  reveal = null,
}: {
  decisions: readonly DecisionSummary[];
  /** Option expiries and margin calls, shown among the decisions by their clock (the feed without a filter). */
  expiries?: readonly (ExpiryItem | MarginCallRow)[];
  /** Older decisions not loaded yet: shown as placeholders after the loaded ones. */
  older: number;
  sessionId: string;
  interval: "day" | "hour" | "minute";
  emptyText?: string;
  /** Scroll to this decision, open it and focus it (each new `n` again). */
  reveal?: { id: string; n: number } | null;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  // The rows, oldest first: the decisions, with the expiries among them (the decisions list itself when there are none).
  const rows = useMemo(() => feedItems(decisions, expiries ?? [], older > 0), [decisions, expiries, older]);
  const loaded = rows.length;
  const n = loaded + older;
  const at = (i: number): FeedItem | null => (i < loaded ? rows[loaded - 1 - i]! : null);
  // A row's key is its decision's position in the session, oldest first: decisions are append-only, so it
  // never changes when newer ones arrive at the top or older ones fill their placeholders. A stable
  // function of `n` alone, so the virtualiser recomputes its 10,000 offsets only when the count changes,
  // not on every scroll frame (an inline function is a new dependency each render).
  const getItemKey = useCallback((i: number) => n - 1 - i, [n]);

  // Before the first measurement every row is closed; an open row makes the list taller (getTotalSize below).
  const closedHeight = Math.min(FEED_HEIGHT, n * ROW_HEIGHT + 2);

  // The React Compiler cannot memoise around useVirtualizer's returned functions; this component is not compiled-memoised.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: n,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey,
    overscan: 6,
    // The box's inner height (its 1 px borders off), known before it is laid out: the server renders the
    // first rows, and hydration finds them instead of rendering them in the commit after it.
    initialRect: { width: 0, height: closedHeight - 2 },
  });

  // New decisions arrive at the top. A reader scrolled down keeps their place; one at the top sees them.
  // (Older pages fill placeholders at the bottom, so they move nothing.)
  const seen = useRef(loaded + older);
  useLayoutEffect(() => {
    const added = n - seen.current;
    seen.current = n;
    const el = parent.current;
    if (el && added > 0 && el.scrollTop > 0) el.scrollTop += added * ROW_ESTIMATE;
  }, [n]);

  const toggle = useCallback((id: string) => {
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  // The decision a "go to" landed on takes the focus when its row is rendered. For a second only: the
  // virtualiser may render the row again while it measures the opened row and settles the scroll (the
  // new row takes the focus again), but a reader who scrolls away and back later keeps their focus.
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    const timer = setTimeout(() => setFocusId(null), 1000);
    return () => clearTimeout(timer);
  }, [focusId, reveal]);
  useEffect(() => {
    if (!reveal) return;
    const position = rows.findIndex((d) => !isExpiryRow(d) && d.id === reveal.id);
    if (position < 0) return;
    setOpen((prev) => new Set(prev).add(reveal.id));
    setFocusId(reveal.id);
    virtualizer.scrollToIndex(loaded - 1 - position, { align: "start" });
    // Only the reveal itself moves the view: new decisions arriving later must not scroll back to it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reveal]);

  // Opening or closing a row: forget the measured sizes (closed rows go back to ROW_HEIGHT, open ones are measured again).
  useEffect(() => {
    virtualizer.measure();
  }, [open, virtualizer]);

  if (n === 0) {
    return <p className="rounded-md border border-dashed p-6 text-center text-sm text-muted-foreground">{emptyText}</p>;
  }
  const items = virtualizer.getVirtualItems();
  // A short feed grows with the rows opened in it (up to the cap) instead of scrolling them inside a sliver.
  const height = Math.min(FEED_HEIGHT, virtualizer.getTotalSize() + 2);
  return (
    <div
      ref={parent}
      className="overflow-auto rounded-md border [contain:strict]"
      style={{ height }}
      data-testid="decision-feed-scroll"
      data-loaded={loaded}
      data-total={n}
      tabIndex={-1}
    >
      <div role="list" aria-label="Decisions, newest first" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((item) => {
          const d = at(item.index);
          if (!d) {
            return (
              <div
                key={item.key}
                role="listitem"
                aria-setsize={n}
                aria-posinset={item.index + 1}
                data-index={item.index}
                style={{ position: "absolute", top: 0, left: 0, width: "100%", height: ROW_ESTIMATE, transform: `translateY(${item.start}px)` }}
                className="border-b px-3 py-3 text-sm text-muted-foreground"
              >
                Loading older decisions…
              </div>
            );
          }
          if (isExpiryRow(d) || isMarginCallRow(d)) {
            return (
              <div
                key={item.key}
                role="listitem"
                aria-setsize={n}
                aria-posinset={item.index + 1}
                data-index={item.index}
                style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${item.start}px)` }}
              >
                <SessionRowView row={d} interval={interval} />
              </div>
            );
          }
          return (
            <div
              key={item.key}
              role="listitem"
              aria-setsize={n}
              aria-posinset={item.index + 1}
              data-index={item.index}
              ref={open.has(d.id) ? virtualizer.measureElement : undefined}
              style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${item.start}px)` }}
            >
              <Row d={d} sessionId={sessionId} interval={interval} open={open.has(d.id)} onToggle={toggle} focus={focusId === d.id} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
