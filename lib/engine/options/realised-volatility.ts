/**
 * Realised (historical) volatility: the sample standard deviation of close-to-close log returns, annualised by
 * √252 trading days a year (the usual definition; Hull, Options, Futures and Other Derivatives, 15.4).
 * Closes are oldest first; `returns` is how many of the latest returns to use.
 */
export const TRADING_DAYS_PER_YEAR = 252;

/** The annualised volatility of the latest `returns` daily log returns of `closes`, or null when there are fewer closes than returns + 1. */
export function realisedVolatility(closes: readonly number[], returns: number): number | null {
  if (!Number.isInteger(returns) || returns < 2) throw new RangeError(`realisedVolatility: returns must be a whole number of at least 2, got ${returns}`);
  if (closes.length < returns + 1) return null;
  const window = closes.slice(closes.length - returns - 1);
  const logs: number[] = [];
  for (let i = 1; i < window.length; i++) {
    const [before, after] = [window[i - 1]!, window[i]!];
    if (!(before > 0 && after > 0)) throw new RangeError(`realisedVolatility: closes must be prices above 0, got ${before} and ${after}`);
    logs.push(Math.log(after / before));
  }
  const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
  const variance = logs.reduce((s, x) => s + (x - mean) ** 2, 0) / (logs.length - 1);
  return Math.sqrt(variance * TRADING_DAYS_PER_YEAR);
}
