/**
 * What the viewer's recharts charts (components/charts) are given instead of measuring: ticks, the
 * value range, marker positions and shapes. Pure, so it is unit-tested.
 * Bars are spaced evenly by their number, as trading charts do (nights and weekends take no room).
 */

/** About `count` round values covering [min, max] (1, 2 or 5 times a power of ten apart), as d3's ticks. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = Math.abs(min) * 0.01 || 1;
    [min, max] = [min - pad, max + pad];
  }
  const step = niceStep((max - min) / Math.max(1, count));
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(Number((i * step).toFixed(decimals)));
  return out;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
}

/** At most `max` indices of `n` points, evenly spaced, the first and the last among them. */
export function indexTicks(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n === 1 || max <= 1) return [0];
  const k = Math.min(n, Math.max(2, Math.floor(max)));
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const index = Math.round((i * (n - 1)) / (k - 1));
    if (out[out.length - 1] !== index) out.push(index);
  }
  return out;
}

/** The index in ascending `values` of the value nearest `x` (the lower one on a tie); -1 when empty. */
export function nearestIndex(values: readonly number[], x: number): number {
  if (values.length === 0) return -1;
  let lo = 0;
  let hi = values.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs(x - values[lo]!) <= Math.abs(values[hi]! - x) ? lo : hi;
}

/**
 * At most `max` time ticks for a chart drawn from the bars `bars` (ascending bar numbers, with gaps when
 * downsampled): spread evenly over their span, each snapped to the nearest bar drawn, so that its label is
 * that bar's own time; the first and the last bar among them. Without gaps, the same as indexTicks.
 */
export function barTicks(bars: readonly number[], max: number): number[] {
  if (bars.length === 0) return [];
  const first = bars[0]!;
  const out: number[] = [];
  for (const offset of indexTicks(bars[bars.length - 1]! - first + 1, max)) {
    const bar = bars[nearestIndex(bars, first + offset)]!;
    if (out[out.length - 1] !== bar) out.push(bar);
  }
  return out;
}

/**
 * The ticks of `ticks` (ascending) whose labels, `width` px wide, do not collide: at least `gap` px between
 * neighbours, with the first label starting at its tick, the last ending at its tick and the others centred
 * (as the charts draw them). A tick too close to the one kept before it is dropped; the last tick is always
 * wanted, so the ones before it give way to it. `x` is a tick's position in px.
 */
export function spacedTicks(ticks: readonly number[], x: (tick: number) => number, width: number, gap: number): number[] {
  if (ticks.length <= 1) return [...ticks];
  const kept = [ticks[0]!];
  // How far a kept label reaches right of its tick: the first all of its width, the others half.
  const reach = () => (kept.length === 1 ? width : width / 2);
  const fits = (tick: number, leftOfTick: number) => x(tick) - x(kept[kept.length - 1]!) >= reach() + leftOfTick + gap;
  for (const tick of ticks.slice(1, -1)) if (fits(tick, width / 2)) kept.push(tick);
  const last = ticks[ticks.length - 1]!;
  while (kept.length > 1 && !fits(last, width)) kept.pop();
  if (fits(last, width)) kept.push(last);
  return kept;
}

/**
 * The most evenly spread time ticks (barTicks, at most `max`) whose labels fit without dropping any
 * (spacedTicks); when not even the first and the last fit, only the first. Labels `width` px wide.
 */
export function fittingBarTicks(bars: readonly number[], max: number, x: (bar: number) => number, width: number, gap: number): number[] {
  for (let k = Math.floor(max); k >= 2; k--) {
    const ticks = barTicks(bars, k);
    if (spacedTicks(ticks, x, width, gap).length === ticks.length) return ticks;
  }
  return barTicks(bars, 1);
}

/**
 * Where an instant falls on a bar axis drawn from points at ascending `times` that sit at bars `bars`: a
 * fractional bar number, interpolated between the two points around it; null outside the first and last.
 */
export function barPosition(times: readonly number[], bars: readonly number[], t: number): number | null {
  const f = fractionalIndex(times, t);
  if (f === null) return null;
  const k = Math.floor(f);
  return k >= bars.length - 1 ? bars[k]! : bars[k]! + (f - k) * (bars[k + 1]! - bars[k]!);
}

/** Smallest and largest finite value over several series (nulls skipped); null when there is none. */
export function extent(series: readonly (readonly (number | null)[])[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of series) {
    for (const v of values) {
      if (v === null || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Where an instant falls among ascending bar times, as a fractional index (3.5 is halfway between the
 * fourth and fifth bar); null outside the first and last bar.
 */
export function fractionalIndex(times: readonly number[], t: number): number | null {
  const n = times.length;
  if (n === 0 || !(t >= times[0]!) || !(t <= times[n - 1]!)) return null;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid;
  }
  if (times[lo] === t || lo === hi) return lo;
  if (times[hi] === t) return hi;
  return lo + (t - times[lo]!) / (times[hi]! - times[lo]!);
}

export type MarkerShape = "up" | "down" | "diamond" | "square";

/** One SVG path holding a marker of `shape` (radius r) at each point: hundreds of markers, one DOM node. */
export function markersPath(points: readonly { x: number; y: number }[], shape: MarkerShape, r = 5): string {
  let d = "";
  for (const { x, y } of points) {
    const [a, b] = [x.toFixed(1), y.toFixed(1)];
    if (shape === "up") d += `M${a},${(y - r).toFixed(1)}L${(x + r).toFixed(1)},${(y + r * 0.8).toFixed(1)}L${(x - r).toFixed(1)},${(y + r * 0.8).toFixed(1)}Z`;
    else if (shape === "down") d += `M${a},${(y + r).toFixed(1)}L${(x + r).toFixed(1)},${(y - r * 0.8).toFixed(1)}L${(x - r).toFixed(1)},${(y - r * 0.8).toFixed(1)}Z`;
    else if (shape === "diamond") d += `M${a},${(y - r).toFixed(1)}L${(x + r).toFixed(1)},${b}L${a},${(y + r).toFixed(1)}L${(x - r).toFixed(1)},${b}Z`;
    else d += `M${(x - r * 0.8).toFixed(1)},${(y - r * 0.8).toFixed(1)}h${(r * 1.6).toFixed(1)}v${(r * 1.6).toFixed(1)}h${(-r * 1.6).toFixed(1)}Z`;
  }
  return d;
}

/**
 * How far (px, down) to move each of the labels drawn just above horizontal lines at `values`, on a value axis
 * [lo, hi] drawn `height` px tall, so that no two are closer than `gap` px (a working order's levels are often
 * close: a bracket's stop-loss under a trailing stop). From the top down, each label moves only as far as it
 * must. In the order of `values`; 0 for every label that is clear of the others.
 */
export function labelOffsets(values: readonly number[], lo: number, hi: number, height: number, gap: number): number[] {
  const y = (v: number) => (hi === lo ? 0 : ((hi - v) / (hi - lo)) * height);
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
  const offsets = values.map(() => 0);
  let last = -Infinity;
  for (const i of order) {
    const at = Math.max(y(values[i]!), last + gap);
    offsets[i] = at - y(values[i]!);
    last = at;
  }
  return offsets;
}
