/** Market regimes of the synthetic market, switched day by day by a seeded Markov chain. */
export const REGIMES = ["calm-bull", "volatile", "bear"] as const;
export type Regime = (typeof REGIMES)[number];

export interface RegimeParams {
  /** Mean daily log return of the market factor. */
  drift: number;
  /** Daily volatility of the market factor. */
  vol: number;
  /** Daily volatility of each sector factor. */
  sectorVol: number;
  /** Scales every instrument's typical volume. */
  volumeMultiplier: number;
}

export const REGIME_PARAMS: Readonly<Record<Regime, RegimeParams>> = {
  "calm-bull": { drift: 0.0007, vol: 0.007, sectorVol: 0.004, volumeMultiplier: 0.9 },
  volatile: { drift: 0, vol: 0.02, sectorVol: 0.008, volumeMultiplier: 1.6 },
  bear: { drift: -0.0012, vol: 0.014, sectorVol: 0.006, volumeMultiplier: 1.3 },
};

/** Probability of tomorrow's regime given today's, in REGIMES order (rows sum to 1). */
export const REGIME_TRANSITIONS: Readonly<Record<Regime, readonly [number, number, number]>> = {
  "calm-bull": [0.97, 0.02, 0.01],
  volatile: [0.06, 0.88, 0.06],
  bear: [0.03, 0.05, 0.92],
};

/** Tomorrow's regime from today's and a uniform draw u ∈ [0, 1). */
export function nextRegime(today: Regime, u: number): Regime {
  const row = REGIME_TRANSITIONS[today];
  let acc = 0;
  for (let i = 0; i < REGIMES.length; i++) {
    acc += row[i] ?? 0;
    if (u < acc) return REGIMES[i] ?? today;
  }
  return REGIMES[REGIMES.length - 1] ?? today;
}
