/**
 * Integer division of bigints with an explicit rounding mode. The divisor must be positive.
 *
 * - "floor":      towards −∞
 * - "ceil":       towards +∞
 * - "half_away":  to nearest, ties away from zero (2.5 → 3, −2.5 → −3)
 *
 * The engine's rules (docs/engine.md): charges (fees, slippage, borrow, margin) round against the
 * account (ceil for amounts it pays, floor for prices it receives); display and cost-basis splits
 * round half away from zero.
 */
export type RoundingMode = "floor" | "ceil" | "half_away";

export function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d <= 0n) throw new RangeError(`divRound: divisor must be positive, got ${d}`);
  const q = n / d; // truncates towards zero
  const r = n % d;
  if (r === 0n) return q;
  switch (mode) {
    case "floor":
      return n < 0n ? q - 1n : q;
    case "ceil":
      return n > 0n ? q + 1n : q;
    case "half_away": {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice < d) return q;
      return n < 0n ? q - 1n : q + 1n;
    }
  }
}
