import { downsample } from "./derive";

/**
 * The leaderboard's comparison of several sessions on one chart (pure, so it is unit-tested). Each curve is
 * the session's equity as a percentage of its starting cash (100 at the start, as returns are measured:
 * the first mark, taken after the first bar's trades, gives way to the starting cash).
 *
 * When the sessions' runs overlap in time (some moment lies within every one of them), the curves are drawn
 * against the bars of all of them, in time order, with their times: each from its own first bar, a gap
 * where it has none. When, moreover, every session ran over the bars of the longest (the same dates and
 * bars, or some of them: a cancelled run, a daily run among hourly ones) and their benchmarks are the same
 * (same kind, same symbols), the benchmark is drawn with them. Runs that do not overlap (different days)
 * are drawn against the share of each session's bars run, so that their starts and ends line up.
 */

export const COMPARE_POINTS = 400;

export interface ComparedSession {
  sessionId: string;
  startingCash: number;
  /** The equity marks, in bar order. */
  marks: readonly { barIndex: number; at: string; equity: number }[];
  /** The stored benchmark: its value at each of the session's bars (by bar index). */
  benchmark: { kind: string; symbols: readonly string[]; curve: readonly number[] } | null;
}

export interface CompareRow {
  /** The row's place on the x axis: its bar among all the sessions' bars in time order, or its step of `span` (axis "share"). */
  x: number;
  /** The bar's time (axis "bars"), else null. */
  t: string | null;
  /** One value per session, in `sessionIds` order, then the benchmark's when there is one; null: no mark here. */
  values: (number | null)[];
}

export interface Comparison {
  axis: "bars" | "share";
  sessionIds: string[];
  /** The benchmark's kind ("QQQ", "equal-weight") when it is drawn, else null. */
  benchmark: string | null;
  /** Steps on the x axis (the sessions' bars together, or the longest session's): x runs from 0 to span − 1. */
  span: number;
  rows: CompareRow[];
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** The comparison of `sessions` (those without a positive starting cash or a mark are left out), at most `max` rows. */
export function compareSessions(sessions: readonly ComparedSession[], max = COMPARE_POINTS): Comparison {
  const used = sessions.filter((s) => s.startingCash > 0 && s.marks.length > 0);
  const sessionIds = used.map((s) => s.sessionId);
  if (used.length === 0) return { axis: "share", sessionIds, benchmark: null, span: 0, rows: [] };
  const normalised = used.map((s) => s.marks.map((m, i) => (i === 0 ? 100 : round4((m.equity / s.startingCash) * 100))));
  const longest = used.reduce((a, b) => (b.marks.length > a.marks.length ? b : a));
  // ISO times of one format: their order as strings is their order in time.
  const overlap = used.every((a) => used.every((b) => a.marks[0]!.at <= b.marks.at(-1)!.at));

  let rows: CompareRow[];
  let benchmark: string | null = null;
  let span: number;
  if (overlap) {
    const timeline = [...new Set(used.flatMap((s) => s.marks.map((m) => m.at)))].sort();
    const place = new Map(timeline.map((t, x) => [t, x]));
    // On the longest's bars alone, the benchmark measured over them is everyone's (when they share it).
    const bench = timeline.length === longest.marks.length ? sharedBenchmark(used, longest) : null;
    benchmark = bench?.kind ?? null;
    span = timeline.length;
    rows = timeline.map((t, x) => ({ x, t, values: [...used.map(() => null), ...(bench ? [bench.values[x] ?? null] : [])] }));
    used.forEach((s, k) => s.marks.forEach((m, i) => (rows[place.get(m.at)!]!.values[k] = normalised[k]![i]!)));
  } else {
    // Step x of the longest session's span is each session's mark at the same share of its own marks.
    span = longest.marks.length;
    const at = (len: number, x: number) => (span > 1 ? Math.round((x * (len - 1)) / (span - 1)) : 0);
    rows = Array.from({ length: span }, (_, x) => ({ x, t: null, values: normalised.map((curve) => curve[at(curve.length, x)]!) }));
  }
  const width = sessionIds.length + (benchmark ? 1 : 0);
  // Every high and low of every line (M4), and each line's first and last mark: a run cancelled early ends where it did.
  const ends = new Set<number>();
  for (let k = 0; k < width; k++) {
    const marked = rows.filter((r) => r.values[k] !== null);
    if (marked.length) ends.add(marked[0]!.x).add(marked[marked.length - 1]!.x);
  }
  const accessors = Array.from({ length: width }, (_, k) => (r: CompareRow) => r.values[k] ?? null);
  const sampled = downsample(rows, Math.max(3, max - ends.size), accessors);
  const kept = new Set(sampled.map((r) => r.x));
  return {
    axis: overlap ? "bars" : "share",
    sessionIds,
    benchmark,
    span,
    rows: sampled.length === rows.length ? sampled : [...sampled, ...[...ends].filter((x) => !kept.has(x)).map((x) => rows[x]!)].sort((a, b) => a.x - b.x),
  };
}

/** The sessions' benchmark on `longest`'s bars, normalised to 100 at its first, when every session's is the same. */
function sharedBenchmark(sessions: readonly ComparedSession[], longest: ComparedSession): { kind: string; values: (number | null)[] } | null {
  const key = (s: ComparedSession) => (s.benchmark ? `${s.benchmark.kind}:${[...s.benchmark.symbols].sort().join(",")}` : null);
  const first = key(longest);
  if (first === null || !sessions.every((s) => key(s) === first)) return null;
  const curve = longest.benchmark!.curve;
  const start = curve[0];
  if (!(typeof start === "number" && start > 0)) return null;
  return { kind: longest.benchmark!.kind, values: longest.marks.map((m) => (typeof curve[m.barIndex] === "number" ? round4((curve[m.barIndex]! / start) * 100) : null)) };
}
