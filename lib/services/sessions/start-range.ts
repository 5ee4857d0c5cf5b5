import { isTradingDay, previousTradingDay, type Interval } from "@/lib/market";

/**
 * What the Start dialog suggests, so that pressing Start at once runs: a replay day and a backtest range per
 * interval INSIDE the stored bars the session would run on. Pure: the service reads the coverage
 * (getStartDefaults) and this picks the dates.
 *
 * A session without symbols runs on every imported symbol with bars in its window, and on the synthetic
 * market only when no imported symbol has any (plan.ts, resolveUniverse). So each kind of session is
 * suggested dates in the imported bars of its intervals when there are any, else in the synthetic market's.
 */

/** Where the bars of one interval (of one kind of data) are, as New York trading days. */
export interface IntervalCoverage {
  /** The day of the first bar. */
  first: string;
  /** The day of the last bar. */
  last: string;
  /** The last day whose bars run to the close (a download taken mid-day leaves a partial one), else `last`. */
  lastFull: string;
}

export type Coverage = Partial<Record<Interval, IntervalCoverage>>;

export interface StoredCoverage {
  /** Imported, fetched or derived from those: anything but the synthetic market. */
  imported: Coverage;
  synthetic: Coverage;
}

export interface BacktestDefault {
  start: string;
  end: string;
  /** The data of this interval the range was chosen in: the date fields' bounds and hint. */
  first: string;
  last: string;
  synthetic: boolean;
}

export interface ReplayDefault {
  day: string;
  first: string;
  last: string;
  synthetic: boolean;
}

export interface StartDefaults {
  replay: ReplayDefault | null;
  backtest: { day: BacktestDefault | null; hour: BacktestDefault | null };
  /** "day and hour bars 2025-01-02 to 2025-12-31 (synthetic market)", for the dialog's description. */
  dataSpan: string | null;
}

/** Trading days in a suggested backtest: about three months of day bars, about a month of hour bars (~120). */
export const BACKTEST_TRADING_DAYS = { day: 60, hour: 20 } as const;

/** The trading day at or before `day`; `day` itself outside the calendar (2024–2027). */
export function tradingDayAtOrBefore(day: string): string {
  try {
    return isTradingDay(day) ? day : previousTradingDay(day);
  } catch {
    return day;
  }
}

/** `n` trading days ending on `end` (inclusive), starting no earlier than `first`. */
export function rangeEndingOn(end: string, n: number, first: string): { start: string; end: string } {
  let start = end;
  try {
    for (let i = 1; i < n; i++) {
      const before = previousTradingDay(start);
      if (before < first) break;
      start = before;
    }
  } catch {
    // outside the calendar: the range stays as long as it got
  }
  return { start, end };
}

/** The imported coverage of these intervals if there is any, else the synthetic market's. */
function chosen(data: StoredCoverage, intervals: readonly Interval[]): { coverage: IntervalCoverage[]; synthetic: boolean } {
  const imported = intervals.flatMap((i) => (data.imported[i] ? [data.imported[i]] : []));
  if (imported.length > 0) return { coverage: imported, synthetic: false };
  return { coverage: intervals.flatMap((i) => (data.synthetic[i] ? [data.synthetic[i]] : [])), synthetic: true };
}

const maxOf = (days: string[]) => days.reduce((a, b) => (b > a ? b : a));
const minOf = (days: string[]) => days.reduce((a, b) => (b < a ? b : a));

function backtestDefault(data: StoredCoverage, interval: "day" | "hour"): BacktestDefault | null {
  const { coverage, synthetic } = chosen(data, [interval]);
  const c = coverage[0];
  if (!c) return null;
  return { ...rangeEndingOn(c.lastFull, BACKTEST_TRADING_DAYS[interval], c.first), first: c.first, last: c.last, synthetic };
}

/** A replay runs on minute bars, stored or derived from hour bars: the latest full day of either. */
function replayDefault(data: StoredCoverage): ReplayDefault | null {
  const { coverage, synthetic } = chosen(data, ["minute", "hour"]);
  if (coverage.length === 0) return null;
  return { day: maxOf(coverage.map((c) => c.lastFull)), first: minOf(coverage.map((c) => c.first)), last: maxOf(coverage.map((c) => c.last)), synthetic };
}

/** "day and hour bars 2025-01-02 to 2025-12-31", imported data first; the synthetic market's minutes (made on demand) left out. */
function dataSpanOf(data: StoredCoverage): string | null {
  const spans = new Map<string, Interval[]>();
  const add = (key: string, i: Interval) => spans.set(key, [...(spans.get(key) ?? []), i]);
  const importedAny = Object.keys(data.imported).length > 0;
  for (const i of ["day", "hour", "minute"] as const) {
    const imported = data.imported[i];
    const synthetic = i === "minute" ? undefined : data.synthetic[i];
    if (imported) add(`${imported.first} to ${imported.last}`, i);
    else if (synthetic) add(`${synthetic.first} to ${synthetic.last}${importedAny ? " (synthetic)" : ""}`, i);
  }
  if (spans.size === 0) return null;
  const text = [...spans].map(([span, intervals]) => `${intervals.join(" and ")} bars ${span}`).join(", ");
  return importedAny ? text : `${text} (synthetic market)`;
}

export function startDefaultsOf(data: StoredCoverage): StartDefaults {
  return {
    replay: replayDefault(data),
    backtest: { day: backtestDefault(data, "day"), hour: backtestDefault(data, "hour") },
    dataSpan: dataSpanOf(data),
  };
}
