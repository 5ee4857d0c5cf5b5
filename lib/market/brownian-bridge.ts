import { sessionAt } from "./calendar";
import { MarketDataError } from "./errors";
import { intradayIntensity, splitTotal } from "./intraday-volume";
import { MINUTE_MS } from "./intervals";
import { compareBars } from "./parsed-bars";
import { priceGrid } from "./price-grid";
import { Rng } from "./rng";
import type { Bar } from "./types";

export interface BridgeOptions {
  /** The user's seed; each hour's generator is seeded from (seed, symbol, bar start). */
  seed: number;
}

/**
 * Minute bars derived from one hour bar with a seeded Brownian bridge, reproducing the hour EXACTLY:
 * first minute open = hour open, last minute close = hour close, max of minute highs = hour high,
 * min of minute lows = hour low, minute volumes sum to the hour volume (exactly for integer volumes).
 * Every minute satisfies low ≤ open, close ≤ high; prices lie on the hour's price grid (4 decimals,
 * or finer when the hour's prices have more). An hour that starts inside a session and would run
 * past its close yields only the minutes before the close. An open-only hour yields one open-only
 * minute at its start. Same seed and bar → same minutes, whatever else is derived and in what order.
 */
export function deriveMinuteBars(hour: Bar, options: BridgeOptions): Bar[] {
  if (hour.interval !== "hour") {
    throw new MarketDataError("INVALID_REQUEST", `deriveMinuteBars takes hour bars, got a ${hour.interval} bar of ${hour.symbol}`);
  }
  const startMs = hour.start.getTime();
  const minute = (k: number, o: number, h: number | null, l: number | null, c: number | null, v: number | null): Bar => ({
    symbol: hour.symbol,
    interval: "minute",
    start: new Date(startMs + k * MINUTE_MS),
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
    source: hour.source,
    derived: true,
  });
  if (hour.high === null || hour.low === null || hour.close === null) return [minute(0, hour.open, null, null, null, null)];

  if (hour.high < hour.low || Math.min(hour.open, hour.close) < hour.low || Math.max(hour.open, hour.close) > hour.high) {
    throw new MarketDataError("INVALID_REQUEST", `${hour.symbol} hour bar at ${hour.start.toISOString()} is inconsistent: open and close must lie within [low, high]`);
  }
  const session = sessionAt(hour.start);
  const n = session ? Math.max(1, Math.min(60, Math.floor((session.close.getTime() - startMs) / MINUTE_MS))) : 60;
  const grid = priceGrid([hour.open, hour.high, hour.low, hour.close]);
  const [o, h, l, c] = [grid.toTicks(hour.open), grid.toTicks(hour.high), grid.toTicks(hour.low), grid.toTicks(hour.close)];
  const rng = Rng.of(options.seed, "minute-bridge", hour.symbol, startMs);
  const path = bridgePath(rng, n, o, c, h - l);
  fitIntoRange(path, rng, o, h, l, c);

  const wickScale = ((h - l) / Math.sqrt(n)) * 0.35;
  const highs: number[] = [];
  const lows: number[] = [];
  let top = 0;
  let bottom = 0;
  for (let k = 0; k < n; k++) {
    const open = path[k] ?? o;
    const close = path[k + 1] ?? c;
    highs.push(Math.min(h, Math.max(open, close) + Math.round(Math.abs(rng.normal()) * wickScale)));
    lows.push(Math.max(l, Math.min(open, close) - Math.round(Math.abs(rng.normal()) * wickScale)));
    if (Math.max(open, close) > Math.max(path[top] ?? o, path[top + 1] ?? c)) top = k;
    if (Math.min(open, close) < Math.min(path[bottom] ?? o, path[bottom + 1] ?? c)) bottom = k;
  }
  highs[top] = h; // the hour's extremes are reached by the minutes whose bodies come closest
  lows[bottom] = l;

  const volumes = hour.volume === null ? null : splitTotal(hour.volume, minuteWeights(rng, startMs, n, session));
  const bars: Bar[] = [];
  for (let k = 0; k < n; k++) {
    const t = (x: number | undefined) => grid.fromTicks(x ?? o);
    bars.push(minute(k, t(path[k]), t(highs[k]), t(lows[k]), t(path[k + 1]), volumes ? (volumes[k] ?? 0) : null));
  }
  return bars;
}

/** Minute bars for many hour bars, ordered by symbol then start. */
export function deriveMinuteBarsFromHours(hours: readonly Bar[], options: BridgeOptions): Bar[] {
  return hours.flatMap((hour) => deriveMinuteBars(hour, options)).sort(compareBars);
}

/** n + 1 points from o to c (in ticks): straight line plus a Brownian bridge scaled to the range. */
function bridgePath(rng: Rng, n: number, o: number, c: number, range: number): number[] {
  const sigma = range / (1.8 * Math.sqrt(n));
  const walk = [0];
  for (let k = 1; k <= n; k++) walk.push((walk[k - 1] ?? 0) + rng.normal() * sigma);
  const end = walk[n] ?? 0;
  return walk.map((w, k) => o + ((c - o) * k) / n + (w - (end * k) / n));
}

/**
 * Maps the path monotonically into [l, h], keeping values between open and close, so that its
 * highest point lands at 75–100% of the way from max(o, c) to h (lowest likewise), then rounds to
 * ticks and pins the ends to o and c.
 */
function fitIntoRange(path: number[], rng: Rng, o: number, h: number, l: number, c: number): void {
  const hi = Math.max(o, c);
  const lo = Math.min(o, c);
  const peak = Math.max(...path);
  const trough = Math.min(...path);
  const topTarget = hi + (h - hi) * (0.75 + 0.25 * rng.uniform());
  const bottomTarget = lo - (lo - l) * (0.75 + 0.25 * rng.uniform());
  for (let k = 0; k < path.length; k++) {
    const x = path[k] ?? o;
    let y = x;
    if (x > hi) y = hi + ((x - hi) * (topTarget - hi)) / (peak - hi);
    else if (x < lo) y = lo - ((lo - x) * (lo - bottomTarget)) / (lo - trough);
    path[k] = Math.min(h, Math.max(l, Math.round(y)));
  }
  path[0] = o;
  path[path.length - 1] = c;
}

/** U-shaped intraday intensity at each minute's place in the session, with multiplicative noise. */
function minuteWeights(rng: Rng, startMs: number, n: number, session: { open: Date; close: Date } | null): number[] {
  const weights: number[] = [];
  for (let k = 0; k < n; k++) {
    const x = session
      ? (startMs + (k + 0.5) * MINUTE_MS - session.open.getTime()) / (session.close.getTime() - session.open.getTime())
      : 0.5;
    weights.push(intradayIntensity(x) * Math.exp(0.35 * rng.normal()));
  }
  return weights;
}
