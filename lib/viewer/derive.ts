import { multiplierOf } from "@/lib/engine/cash-ledger";
import { computeMetrics, PERIODS_PER_YEAR } from "@/lib/engine/metrics";
import { formatPct } from "./format";
import type { EquitySample, MetricsView, PositionView, SessionView } from "./types";

/**
 * Numbers the pages derive from the viewer state. Pure, so the dashboard, the viewer and the leaderboard
 * agree, and the unit tests can pin them.
 */

/**
 * At most `max` of `points`, in order, the first and the last among them: all of them when they fit.
 * Without `values` (or a budget too small for them), evenly strided. With them, the points are cut into
 * equal runs, and each run keeps its first and last point and, for every series in `values`, its lowest
 * and highest (M4): every high and low is drawn, the trough of the maximum drawdown too, which a stride
 * would step over.
 */
export function downsample<T>(points: readonly T[], max: number, values: readonly ((p: T) => number | null)[] = []): T[] {
  if (points.length <= max || max < 3) return [...points];
  const runs = Math.floor(max / (2 + 2 * values.length));
  if (values.length === 0 || runs < 1) {
    const step = (points.length - 1) / (max - 1);
    return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
  }
  const n = points.length;
  const out: T[] = [];
  let last = -1;
  for (let r = 0; r < runs; r++) {
    const from = Math.floor((r * n) / runs);
    const to = Math.floor(((r + 1) * n) / runs); // exclusive; never empty, as n > max > runs
    const picks = [from, to - 1];
    for (const value of values) {
      let lo = -1;
      let hi = -1;
      let loV = Infinity;
      let hiV = -Infinity;
      for (let i = from; i < to; i++) {
        const v = value(points[i]!);
        if (v === null || !Number.isFinite(v)) continue;
        if (v < loV) [lo, loV] = [i, v];
        if (v > hiV) [hi, hiV] = [i, v];
      }
      if (lo >= 0) picks.push(lo, hi);
    }
    picks.sort((a, b) => a - b);
    for (const i of picks) if (i !== last) out.push(points[(last = i)]!);
  }
  return out;
}

export interface Progress {
  done: number;
  total: number;
  /** 0..1 */
  fraction: number;
  /** Milliseconds left at the pace so far; null when unknown (not started, or nothing run yet). */
  etaMs: number | null;
}

/** Bars done / total and the ETA from the pace between start and the last bar committed. */
export function progressOf(s: Pick<SessionView, "cursor" | "totalBars" | "startedAt" | "heartbeatAt" | "status">, now = Date.now()): Progress {
  const total = Math.max(0, s.totalBars);
  const done = Math.min(total, Math.max(0, s.cursor));
  const fraction = total > 0 ? done / total : 0;
  let etaMs: number | null = null;
  if (s.status === "running" && s.startedAt && done > 0 && done < total) {
    const started = Date.parse(s.startedAt);
    const last = s.heartbeatAt ? Date.parse(s.heartbeatAt) : now;
    const perBar = (last - started) / done;
    if (Number.isFinite(perBar) && perBar >= 0) etaMs = Math.max(0, perBar * (total - done) - Math.max(0, now - last));
  }
  if (s.status === "completed") etaMs = 0;
  return { done, total, fraction, etaMs };
}

export function formatEta(ms: number | null): string {
  if (ms === null) return "ETA unknown";
  if (ms <= 0) return "done";
  const s = Math.round(ms / 1000);
  if (s < 60) return `about ${Math.max(1, s)} s left`;
  const m = Math.round(s / 60);
  if (m < 60) return `about ${m} min left`;
  return `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

/** Return so far: last equity over starting cash. */
export function returnSoFar(equity: readonly EquitySample[], startingCash: number): number | null {
  const last = equity[equity.length - 1];
  if (!last || startingCash <= 0) return null;
  return last.equity / startingCash - 1;
}

/**
 * Metrics while the session runs, from the curve so far (the stored ones replace them at the end),
 * measured from the starting cash as the runner's are (lib/engine computeMetrics, `startingEquity`).
 */
export function liveMetrics(
  equity: readonly EquitySample[],
  { startingCash, interval, tradeCount, closingPnls, fees }: { startingCash: number; interval: "day" | "hour" | "minute"; tradeCount: number; closingPnls: number[]; fees: number },
): MetricsView {
  const curve = equity.map((p) => ({ time: p.barIndex, equity: p.equity }));
  const m = computeMetrics({ equityCurve: curve, startingEquity: startingCash, interval, closingPnls, tradeCount, feesPaid: 0n });
  return { ...m, feesPaid: fees };
}

/**
 * Annualising compounds the return over a year of bars: over a few days it only magnifies noise (a
 * one-day minute replay that made 3 % "earns" +200,000 % a year). Correct by definition, meaningless, so
 * the pages show it from this many trading days of bars on, and "n/a" with the reason before.
 */
export const MIN_DAYS_TO_ANNUALISE = 20;

/** Trading days a number of bars spans, by the engine's own convention (a day of 6.5 hour or 390 minute bars). */
export function tradingDaysOf(bars: number, interval: "day" | "hour" | "minute"): number {
  return bars / (PERIODS_PER_YEAR[interval] / PERIODS_PER_YEAR.day);
}

/** The annualised return as the pages show it: the number, or "n/a" and why when the bars span too little. */
export function annualizedDisplay(value: number | null, { bars, interval }: { bars: number; interval: "day" | "hour" | "minute" }): { text: string; note: string | null } {
  const days = tradingDaysOf(bars, interval);
  if (days >= MIN_DAYS_TO_ANNUALISE) return { text: formatPct(value), note: null };
  if (bars === 0) return { text: "n/a", note: `Annualized: needs at least ${MIN_DAYS_TO_ANNUALISE} trading days (about a month) of bars; no bar has run yet.` };
  const span = days < 1 ? "less than a trading day" : `${Math.floor(days)} trading day${Math.floor(days) === 1 ? "" : "s"}`;
  return {
    text: "n/a",
    note:
      `Annualized: needs at least ${MIN_DAYS_TO_ANNUALISE} trading days (about a month) of bars; this session has ${span}. ` +
      "Sharpe, Sortino and volatility are scaled to a year from these bars too: over so short a span they are noisy.",
  };
}

export function benchmarkReturn(equity: readonly EquitySample[], startingCash: number): number | null {
  for (let i = equity.length - 1; i >= 0; i--) {
    const b = equity[i]!.benchmark;
    if (b !== null && startingCash > 0) return b / startingCash - 1;
  }
  return null;
}

/** Market value and unrealized P&L of a position at a price (the last one seen when none is given); a contract is 100 shares' worth. */
export function valuePosition(p: PositionView, price = p.lastPrice) {
  if (price === null) return { marketValue: null, unrealized: null };
  const value = p.quantity * price * multiplierOf(p.symbol);
  return { marketValue: value, unrealized: value - p.costBasis };
}

export function isSyntheticSymbol(symbol: string): boolean {
  return /^ZZ[A-Z]{4}$/.test(symbol);
}
