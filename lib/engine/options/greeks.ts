/**
 * Sensitivities of an option's price per share, each name saying its unit.
 * Theta is the change as calendar time passes (Hull's sign: negative for a long option that loses value
 * with time); a calendar day is 1/365 of a year. A volatility point is 0.01 (20 % → 21 %); a rate point the same.
 */
export interface Greeks {
  /** ∂V/∂S: dollars per dollar of the underlying. */
  readonly delta: number;
  /** ∂²V/∂S²: delta per dollar of the underlying. */
  readonly gamma: number;
  /** ∂V/∂t per year of calendar time (= −∂V/∂T). */
  readonly thetaPerYear: number;
  /** thetaPerYear / 365: dollars per calendar day. */
  readonly thetaPerDay: number;
  /** ∂V/∂σ per unit of volatility (σ from 0.20 to 1.20). */
  readonly vegaPerUnit: number;
  /** vegaPerUnit / 100: dollars per volatility point (σ from 0.20 to 0.21). */
  readonly vegaPerPoint: number;
  /** ∂V/∂r per unit of rate. */
  readonly rhoPerUnit: number;
  /** rhoPerUnit / 100: dollars per rate point (r from 5 % to 6 %). */
  readonly rhoPerPoint: number;
}

export const DAYS_PER_YEAR = 365;

export function greeksOf(g: { delta: number; gamma: number; thetaPerYear: number; vegaPerUnit: number; rhoPerUnit: number }): Greeks {
  return {
    delta: g.delta,
    gamma: g.gamma,
    thetaPerYear: g.thetaPerYear,
    thetaPerDay: g.thetaPerYear / DAYS_PER_YEAR,
    vegaPerUnit: g.vegaPerUnit,
    vegaPerPoint: g.vegaPerUnit / 100,
    rhoPerUnit: g.rhoPerUnit,
    rhoPerPoint: g.rhoPerUnit / 100,
  };
}
