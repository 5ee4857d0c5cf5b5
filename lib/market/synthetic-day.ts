import { barStarts, type Session } from "./calendar";
import { intradayIntensity } from "./intraday-volume";
import { MINUTE_MS } from "./intervals";
import { Rng } from "./rng";
import type { SyntheticDayState } from "./synthetic-daily";
import { SYNTHETIC_PROFILES, SYNTHETIC_SECTORS } from "./synthetic-instruments";
import { REGIME_PARAMS } from "./synthetic-regimes";
import type { Bar, Interval } from "./types";

/** Share of the daily variance that happens during the session (the rest is the overnight gap). */
const INTRADAY_SHARE = 0.75;

/** One instrument's minutes of one session, in cents: open of minute k = cents[k], close = cents[k + 1]. */
export interface SymbolMinutes {
  symbol: string;
  cents: Int32Array;
  high: Int32Array;
  low: Int32Array;
  volume: Float64Array;
}

export interface SyntheticSession {
  day: string;
  openMs: number;
  minutes: number;
  hourStarts: number[];
  symbols: SymbolMinutes[];
}

/**
 * Simulates one session. Minute log-prices follow a market factor, a sector factor and an
 * idiosyncratic walk with U-shaped intraday volatility and volume; each path is then bridged to
 * the day's open and close from the daily path, so day, hour and minute bars agree exactly.
 * Prices are whole cents.
 */
export function simulateSyntheticSession(seed: number, state: SyntheticDayState, session: Session): SyntheticSession {
  const openMs = session.open.getTime();
  const n = Math.round((session.close.getTime() - openMs) / MINUTE_MS);
  const p = REGIME_PARAMS[state.regime];
  const intensity = Float64Array.from({ length: n }, (_, k) => intradayIntensity((k + 0.5) / n));
  const mean = intensity.reduce((a, b) => a + b, 0) / n;
  const stepScale = intensity.map((w) => Math.sqrt((INTRADAY_SHARE * w) / mean / n));
  const cumulative = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) cumulative[k + 1] = (cumulative[k] ?? 0) + (intensity[k] ?? 0) / mean / n;

  const rm = Rng.of(seed, "synthetic-intraday", state.day);
  const market = stepScale.map((s) => p.vol * s * rm.normal());
  const sectors = SYNTHETIC_SECTORS.map(() => stepScale.map((s) => p.sectorVol * s * rm.normal()));

  const symbols = SYNTHETIC_PROFILES.map((prof, i): SymbolMinutes => {
    const rng = Rng.of(seed, "synthetic-intraday", state.day, prof.symbol);
    const open = state.open[i] ?? prof.initialPrice;
    const close = state.close[i] ?? open;
    const sector = sectors[prof.sectorIndex] ?? market;
    const walk = new Float64Array(n + 1);
    for (let k = 0; k < n; k++) {
      const step = prof.beta * (market[k] ?? 0) + (sector[k] ?? 0) + prof.idioVol * (stepScale[k] ?? 0) * rng.normal();
      walk[k + 1] = (walk[k] ?? 0) + step;
    }
    const end = walk[n] ?? 0;
    const target = Math.log(close / open);
    const cents = new Int32Array(n + 1);
    for (let k = 0; k <= n; k++) {
      const w = cumulative[k] ?? 0;
      cents[k] = Math.max(1, Math.round(open * Math.exp((walk[k] ?? 0) - w * end + w * target) * 100));
    }
    cents[0] = Math.max(1, Math.round(open * 100));
    cents[n] = Math.max(1, Math.round(close * 100));

    const high = new Int32Array(n);
    const low = new Int32Array(n);
    const volume = new Float64Array(n);
    const dayVolume = prof.dailyVolume * p.volumeMultiplier * Math.exp(0.25 * rng.normal());
    for (let k = 0; k < n; k++) {
      const o = cents[k] ?? 1;
      const c = cents[k + 1] ?? o;
      const wick = o * p.vol * (stepScale[k] ?? 0) * 0.5;
      high[k] = Math.max(o, c) + Math.round(-Math.log(1 - rng.fast()) * wick);
      low[k] = Math.max(1, Math.min(o, c) - Math.round(-Math.log(1 - rng.fast()) * wick));
      volume[k] = Math.round(((dayVolume * (intensity[k] ?? 1)) / mean / n) * (0.55 + 0.9 * rng.fast()));
    }
    return { symbol: prof.symbol, cents, high, low, volume };
  });
  return { day: state.day, openMs, minutes: n, hourStarts: barStarts(state.day, "hour").map((d) => d.getTime()), symbols };
}

/** One bar over minutes [from, to) of a symbol's session. */
function barOver(m: SymbolMinutes, interval: Interval, startMs: number, from: number, to: number): Bar {
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  for (let k = from; k < to; k++) {
    high = Math.max(high, m.high[k] ?? -Infinity);
    low = Math.min(low, m.low[k] ?? Infinity);
    volume += m.volume[k] ?? 0;
  }
  const open = (m.cents[from] ?? 0) / 100;
  const close = (m.cents[to] ?? 0) / 100;
  return { symbol: m.symbol, interval, start: new Date(startMs), open, high: high / 100, low: low / 100, close, volume, source: "synthetic", derived: false };
}

/** The session's bars of one interval for one instrument, oldest first. Hour bars start 10:00 … 15:00. */
export function sessionBars(s: SyntheticSession, m: SymbolMinutes, interval: Interval): Bar[] {
  if (interval === "day") return [barOver(m, "day", s.openMs, 0, s.minutes)];
  if (interval === "minute") return Array.from({ length: s.minutes }, (_, k) => barOver(m, "minute", s.openMs + k * MINUTE_MS, k, k + 1));
  return s.hourStarts.map((hs) => {
    const from = Math.round((hs - s.openMs) / MINUTE_MS);
    return barOver(m, "hour", hs, from, Math.min(s.minutes, from + 60));
  });
}
