import type { DecisionSummary } from "./types";

/** "2025-06-10 09:30": a clock as New York's calendar and wall time, which sort like the clocks they name. */
const nyParts = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
export function nyKeyOf(iso: string): string {
  const p = Object.fromEntries(nyParts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * The decision a "go to" lands on, among `decisions` (oldest first, as the viewer holds them), by binary
 * search (a few dozen clock conversions, whatever the count):
 * - `{ day, time }` (a replay: "09:45" on its day): the last decision at or before that minute;
 * - `{ day }` (a backtest): the first decision on that New York day or after it.
 * Null when there is none (a time before the first decision, a day after the last).
 */
export function findDecision(decisions: readonly DecisionSummary[], target: { day: string; time?: string }): DecisionSummary | null {
  const key = target.time ? `${target.day} ${target.time}` : `${target.day} 00:00`;
  // The first position whose key is after `key` (time) or at/after it (day).
  let lo = 0;
  let hi = decisions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const k = nyKeyOf(decisions[mid]!.clock);
    if (target.time ? k <= key : k < key) lo = mid + 1;
    else hi = mid;
  }
  return target.time ? (decisions[lo - 1] ?? null) : (decisions[lo] ?? null);
}
