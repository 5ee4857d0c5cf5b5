/**
 * Statistics over an equity curve, in floating point: metrics are analytics, not cash.
 * Every function returns null instead of NaN or ±Infinity.
 */

/** Simple period returns r_i = e_i / e_(i−1) − 1; null if any e_(i−1) ≤ 0. */
export function periodReturns(equity: readonly number[]): number[] | null {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const prev = equity[i - 1] as number;
    if (!(prev > 0)) return null;
    out.push((equity[i] as number) / prev - 1);
  }
  return out;
}

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample standard deviation (divides by n − 1); null for fewer than 2 values. */
export function sampleStdDev(xs: readonly number[]): number | null {
  const m = mean(xs);
  if (m === null || xs.length < 2) return null;
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

/** Downside deviation against a 0 target: sqrt(Σ min(r, 0)² / n) over all n periods. */
export function downsideDeviation(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let ss = 0;
  for (const x of xs) if (x < 0) ss += x * x;
  return Math.sqrt(ss / xs.length);
}

/** Largest peak-to-trough fall as a fraction of the peak (0.25 = −25 %); null for an empty curve. */
export function maxDrawdown(equity: readonly number[]): number | null {
  if (equity.length === 0) return null;
  let peak = -Infinity;
  let worst = 0;
  for (const e of equity) {
    if (e > peak) peak = e;
    if (peak > 0) {
      const dd = (peak - e) / peak;
      if (dd > worst) worst = dd;
    }
  }
  return worst;
}

export function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}
