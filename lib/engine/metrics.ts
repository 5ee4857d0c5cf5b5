import { moneyToNumber, type Money } from "./money";
import {
  downsideDeviation,
  finiteOrNull,
  maxDrawdown,
  mean,
  periodReturns,
  sampleStdDev,
} from "./metrics-stats";

export type MetricsInterval = "day" | "hour" | "minute";

/** Bars per year used to annualise: 252 trading days of 6.5 hours of 60 minutes. */
export const PERIODS_PER_YEAR: Readonly<Record<MetricsInterval, number>> = {
  day: 252,
  hour: 252 * 6.5,
  minute: 252 * 390,
};

export interface EquityPoint {
  readonly time: Date | string | number;
  /** Dollars as a number, or Money (bigint micro-dollars). */
  readonly equity: number | bigint;
}

export interface MetricsInput {
  /** One point per bar, oldest first (time is carried for the caller, not used). */
  readonly equityCurve: readonly EquityPoint[];
  /**
   * The equity before the first bar traded (a session's starting cash). It replaces the first point: that
   * point is marked at the same time, after the first bar's trades, so the return is measured from the
   * money put in and the first period carries the first bar's fees and slippage.
   */
  readonly startingEquity?: number | bigint;
  readonly interval: MetricsInterval;
  /** Realized P&L of each closing fill, in any consistent unit. */
  readonly closingPnls: readonly (number | bigint)[];
  /** Number of fills (trades) in the session. */
  readonly tradeCount: number;
  readonly feesPaid: Money;
}

export interface SessionMetrics {
  readonly totalReturn: number | null;
  readonly annualizedReturn: number | null;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdown: number | null;
  readonly calmar: number | null;
  readonly winRate: number | null;
  readonly tradeCount: number;
  readonly feesPaid: Money;
}

/**
 * Session metrics with risk-free rate 0 (architecture.md, "Trading conventions"):
 *   total = e_last / e_first − 1            annualized = (1 + total)^(P / n) − 1, n = number of returns
 *   (e_first = startingEquity when given)
 *   volatility = stdev(r) × √P (sample)     sharpe = mean(r) / stdev(r) × √P
 *   sortino = mean(r) / downsideDev(r) × √P calmar = annualized / maxDrawdown
 *   winRate = closing fills with P&L > 0 / closing fills
 * Degenerate inputs (fewer than 2 points, zero deviation, no drawdown) give null, never NaN or Infinity.
 */
export function computeMetrics(input: MetricsInput): SessionMetrics {
  const dollars = (e: number | Money) => (typeof e === "bigint" ? moneyToNumber(e) : e);
  const equity = input.equityCurve.map((p) => dollars(p.equity));
  if (input.startingEquity !== undefined && equity.length > 0) equity[0] = dollars(input.startingEquity);
  const periods = PERIODS_PER_YEAR[input.interval];
  const n = equity.length - 1; // number of periods
  const returns = n >= 1 ? periodReturns(equity) : null; // null also when equity touched 0
  const first = equity[0] ?? 0;
  const last = equity[n] ?? 0;
  const totalReturn = n >= 1 && first > 0 ? finiteOrNull(last / first - 1) : null;
  const annualizedReturn =
    totalReturn !== null ? finiteOrNull(Math.pow(1 + totalReturn, periods / n) - 1) : null;
  const avg = returns ? mean(returns) : null;
  const sd = returns ? sampleStdDev(returns) : null;
  const down = returns ? downsideDeviation(returns) : null;
  const scale = Math.sqrt(periods);
  const dd = n >= 1 ? maxDrawdown(equity) : null;
  let wins = 0;
  for (const pnl of input.closingPnls) if (pnl > 0) wins++;
  return {
    totalReturn,
    annualizedReturn,
    volatility: sd === null ? null : finiteOrNull(sd * scale),
    sharpe: avg !== null && sd ? finiteOrNull((avg / sd) * scale) : null,
    sortino: avg !== null && down ? finiteOrNull((avg / down) * scale) : null,
    maxDrawdown: dd,
    calmar: annualizedReturn !== null && dd ? finiteOrNull(annualizedReturn / dd) : null,
    winRate: input.closingPnls.length > 0 ? wins / input.closingPnls.length : null,
    tradeCount: input.tradeCount,
    feesPaid: input.feesPaid,
  };
}
