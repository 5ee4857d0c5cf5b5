/**
 * The volatility surface of modelled option chains (docs/engine.md, "Modelled chains"): our rule, documented so
 * a reader can recompute any number of a chain by hand. Three parts:
 *
 * 1. **Base**: the underlying's realised volatility, short (the latest SHORT_VOL_RETURNS daily returns) and long
 *    (up to LONG_VOL_RETURNS), each clamped to [VOL_FLOOR, VOL_CAP].
 * 2. **Term structure**: at-the-money variance reverts from the short level to the long one at speed κ
 *    (MEAN_REVERSION_PER_YEAR): the expected average variance to expiry T of a mean-reverting variance
 *    (as in Heston's model), σ²(T) = σL² + (σS² − σL²) × (1 − e^(−κT)) / (κT). T → 0 gives σS, T → ∞ gives σL.
 * 3. **Skew**: a quadratic smile in standardised log-moneyness x = ln(K/F) / (σ(T) √T), F = S e^((r−q)T) the forward:
 *    σ(K, T) = σ(T) × (1 + SKEW_SLOPE × x + SKEW_CURVE × x²), x clamped to ±SKEW_X_LIMIT, the result to
 *    [VOL_FLOOR, VOL_CAP]. With the slope −0.10 and the curve 0.02, volatility rises for lower strikes (puts below
 *    the money are dearer, as in equity markets since 1987) and falls with the strike up to x = 2.5 (its minimum,
 *    0.875 × σ(T)), then rises gently to x = 4 (0.92 × σ(T)) and stays flat beyond.
 */
export const SHORT_VOL_RETURNS = 20;
export const LONG_VOL_RETURNS = 252;
export const VOL_FLOOR = 0.05;
export const VOL_CAP = 2;
/** κ: 4 a year, a half-life of ln 2 / 4 ≈ 0.17 years (about two months). */
export const MEAN_REVERSION_PER_YEAR = 4;
export const SKEW_SLOPE = -0.1;
export const SKEW_CURVE = 0.02;
export const SKEW_X_LIMIT = 4;
/** Where the smile turns: x = −slope / (2 × curve). */
export const SKEW_MINIMUM_X = -SKEW_SLOPE / (2 * SKEW_CURVE);

export interface VolatilityBase {
  /** Realised volatility of the latest SHORT_VOL_RETURNS returns, per √year. */
  readonly short: number;
  /** Realised volatility over up to LONG_VOL_RETURNS returns, per √year. */
  readonly long: number;
}

export const clampVolatility = (v: number): number => Math.min(VOL_CAP, Math.max(VOL_FLOOR, v));

/** At-the-money volatility for `years` to expiry: the average variance of a variance reverting from short to long. */
export function atTheMoneyVolatility(base: VolatilityBase, years: number): number {
  const short = clampVolatility(base.short);
  const long = clampVolatility(base.long);
  const kt = MEAN_REVERSION_PER_YEAR * Math.max(0, years);
  const weight = kt < 1e-9 ? 1 : (1 - Math.exp(-kt)) / kt;
  return Math.sqrt(long * long + (short * short - long * long) * weight);
}

/** Standardised log-moneyness ln(K/F) / (σ √T), clamped to ±SKEW_X_LIMIT (also when σ √T is 0). */
export function standardisedMoneyness(strike: number, forward: number, atmVolatility: number, years: number): number {
  const spread = atmVolatility * Math.sqrt(Math.max(0, years));
  const logMoneyness = Math.log(strike / forward);
  if (spread < 1e-12) return logMoneyness === 0 ? 0 : Math.sign(logMoneyness) * SKEW_X_LIMIT;
  return Math.min(SKEW_X_LIMIT, Math.max(-SKEW_X_LIMIT, logMoneyness / spread));
}

/** The smile's multiplier at standardised moneyness x (already clamped). */
export function skewMultiplier(x: number): number {
  return 1 + SKEW_SLOPE * x + SKEW_CURVE * x * x;
}

/** σ(K, T): the surface's volatility for a strike and years to expiry, given the forward. */
export function surfaceVolatility(base: VolatilityBase, input: { strike: number; forward: number; years: number }): number {
  const atm = atTheMoneyVolatility(base, input.years);
  const x = standardisedMoneyness(input.strike, input.forward, atm, input.years);
  return clampVolatility(atm * skewMultiplier(x));
}
