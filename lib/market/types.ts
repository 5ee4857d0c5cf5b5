/** Bar intervals Bullpen stores and replays. */
export const INTERVALS = ["day", "hour", "minute"] as const;
export type Interval = (typeof INTERVALS)[number];

/**
 * One OHLCV bar. `start` is the bar's opening instant in UTC.
 * Prices are plain numbers: market data is analytics, not cash. The engine converts a price to
 * exact money (integer micro-dollars) at the moment it fills.
 * A bar whose session is still open at the source (the newest Alpha Vantage bar) carries only its
 * open: high, low, close and volume are null.
 */
export interface Bar {
  symbol: string;
  interval: Interval;
  start: Date;
  open: number;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  /** Where the bar came from: "alphavantage", "csv", "synthetic", "polygon", "alpaca", "yahoo", … */
  source: string;
  /** True when Bullpen computed it (minute bars from hourly ones, daily from hourly), not the source. */
  derived: boolean;
}
