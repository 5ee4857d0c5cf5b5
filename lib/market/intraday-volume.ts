/**
 * Relative trading intensity at a point of the regular session, `x` = fraction of the session
 * elapsed (0 = open, 1 = close). U-shaped like real US equity volume: about 3× the midday rate in
 * the first minutes, flat around midday, rising to about 2.5× into the close.
 */
export function intradayIntensity(x: number): number {
  const t = Math.min(1, Math.max(0, x));
  return 0.8 + 2.2 * Math.exp(-t / 0.07) + 1.7 * Math.exp(-(1 - t) / 0.06);
}

/**
 * Splits a non-negative total into parts proportional to `weights` that sum to the total EXACTLY
 * (largest-remainder method; ties go to the earlier index). Integer totals give integer parts;
 * a fractional remainder is added to the heaviest part.
 */
export function splitTotal(total: number, weights: readonly number[]): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const whole = Math.floor(total);
  const fraction = total - whole;
  const sum = weights.reduce((a, w) => a + Math.max(0, w), 0);
  const shares = weights.map((w) => (sum > 0 ? (Math.max(0, w) / sum) * whole : whole / n));
  const parts = shares.map((s) => Math.floor(s));
  let left = whole - parts.reduce((a, p) => a + p, 0);
  const order = shares.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) {
    const idx = order[k]?.i ?? 0;
    parts[idx] = (parts[idx] ?? 0) + 1;
  }
  if (fraction > 0) {
    let heaviest = 0;
    for (let i = 1; i < n; i++) if ((weights[i] ?? 0) > (weights[heaviest] ?? 0)) heaviest = i;
    parts[heaviest] = (parts[heaviest] ?? 0) + fraction;
  }
  return parts;
}
