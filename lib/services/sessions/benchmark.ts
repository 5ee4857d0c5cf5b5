import { computeMetrics, toDecimalString, type MetricsInterval, type SessionMetrics } from "@/lib/engine";

/**
 * The benchmark of a session (pure): buy-and-hold over the session's own bar times, from the same
 * starting cash, without fees. `prices[s][i]` is symbol s's price at bar time i as the market view
 * quotes it (null: none yet). Equal weight: the cash is split evenly at the first bar among the symbols
 * priced there and each part follows its symbol (a missing later price carries the last one forward).
 * With one symbol (QQQ) it is that symbol's buy-and-hold. Returns null when no symbol has a first price.
 */
export function buyAndHoldCurve(prices: readonly (readonly (number | null)[])[], startingCash: number): number[] | null {
  const held = prices.filter((series) => typeof series[0] === "number" && series[0] > 0);
  if (held.length === 0) return null;
  const n = held[0]!.length;
  const weight = startingCash / held.length;
  const curve: number[] = [];
  const last = held.map((series) => series[0] as number);
  for (let i = 0; i < n; i++) {
    let value = 0;
    held.forEach((series, s) => {
      const p = series[i];
      if (typeof p === "number" && p > 0) last[s] = p;
      value += (weight * last[s]!) / (series[0] as number);
    });
    curve.push(value);
  }
  return curve;
}

/** Metrics as JSON: numbers (null when undefined for the data), fees as a decimal-dollar string. */
export type MetricsJson = Omit<SessionMetrics, "feesPaid"> & { feesPaid: string };

export function metricsJson(m: SessionMetrics): MetricsJson {
  return { ...m, feesPaid: toDecimalString(m.feesPaid) };
}

/** Benchmark metrics: a buy-and-hold has no closing trades and pays no fees. */
export function benchmarkMetrics(curve: readonly number[], interval: MetricsInterval): MetricsJson {
  return metricsJson(
    computeMetrics({ equityCurve: curve.map((equity, i) => ({ time: i, equity })), interval, closingPnls: [], tradeCount: 0, feesPaid: 0n }),
  );
}
