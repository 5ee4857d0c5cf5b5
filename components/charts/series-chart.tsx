"use client";
import { memo, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { extent, indexTicks, linePath, markersPath, niceTicks, type MarkerShape } from "@/lib/viewer/chart";
import { useElementWidth } from "./use-element-width";

export interface ChartSeries {
  name: string;
  /** One value per bar (null: no value at that bar; the line joins its neighbours). */
  values: readonly (number | null)[];
  color: string;
  dash?: string;
  strokeWidth?: number;
}

export interface ChartMarkerSet {
  name: string;
  color: string;
  shape: MarkerShape;
  /** `at`: the fractional bar index (lib/viewer/chart fractionalIndex); `label`: what the tooltip says. */
  points: readonly { at: number; value: number; label: string }[];
}

interface ChartProps {
  /** The figure's accessible name. */
  label: string;
  /** Total height in px, legend included; the box has it from the server render on, so nothing moves. */
  height: number;
  /** Bar times, ISO, ascending: one per value of each series. */
  times: readonly string[];
  series: readonly ChartSeries[];
  markers?: readonly ChartMarkerSet[];
  formatTime: (iso: string) => string;
  formatValue: (v: number) => string;
  /** Room for the value axis' labels (px). */
  valueAxisWidth: number;
  /** Read by screen readers instead of the drawing ("Model from $100,000 to $104,210 …"). */
  summary: string;
}

const TOP = 8;
const RIGHT = 16;
const TIME_AXIS = 24;
const LEGEND = 24;
/** Width of one character of a 12 px axis label, a little generous (px). */
const CHAR = 7;

/**
 * A line chart drawn as plain SVG: a few paths whatever the number of points (markers of a kind share
 * one path), so drawing 600 points and 300 markers takes a millisecond or two, where recharts took
 * hundreds on the 10,000-decision viewer (it measured every axis label and kept a store per chart).
 * The width is measured after the first layout; until then the box shows a placeholder of the same size.
 * Pointer or keyboard (the figure takes focus; arrows, Home, End) show a bar's values in a tooltip.
 */
export const SeriesChart = memo(function SeriesChart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  return (
    // The drawing is out of flow (absolute) and clipped: its width in px must not hold the box (a grid item)
    // wider than the page after a resize, or the box would never shrink and be measured again.
    <div ref={box} className="relative w-full min-w-0 overflow-hidden" style={{ height: props.height }}>
      {width === null || width <= 0 ? (
        <p className="grid h-full place-items-center text-sm text-muted-foreground">Drawing the chart…</p>
      ) : (
        <Plot {...props} width={width} />
      )}
    </div>
  );
});

function Plot({ label, height, width, times, series, markers = [], formatTime, formatValue, valueAxisWidth, summary }: ChartProps & { width: number }) {
  const [hover, setHover] = useState<number | null>(null);
  const n = times.length;
  const left = valueAxisWidth;
  const plotW = Math.max(10, width - left - RIGHT);
  const plotH = Math.max(10, height - TOP - TIME_AXIS - LEGEND);
  const labelWidth = n > 0 ? formatTime(times[n - 1]!).length * CHAR : 0;
  const g = useMemo(() => {
    const range = extent([...series.map((s) => s.values), markers.flatMap((m) => m.points.map((p) => p.value))]);
    const valueTicks = range ? niceTicks(range[0], range[1], 5) : [];
    const lo = valueTicks[0] ?? 0;
    const hi = valueTicks[valueTicks.length - 1] ?? 1;
    const x = (i: number) => left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
    const y = (v: number) => TOP + plotH - ((v - lo) / (hi - lo || 1)) * plotH;
    return {
      x,
      y,
      valueTicks,
      // Labels are centred on their tick, the first and last aligned to the plot's edges: ticks are
      // spaced one and a half labels apart, plus a gap.
      timeTicks: indexTicks(n, Math.floor(plotW / (1.5 * labelWidth + 24)) + 1),
      lines: series.map((s) => linePath(s.values, x, y)),
      marks: markers.map((m) => markersPath(m.points.map((p) => ({ x: x(p.at), y: y(p.value) })), m.shape)),
    };
  }, [series, markers, n, left, plotW, plotH, labelWidth]);

  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    if (n === 0) return;
    const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
    const i = n === 1 ? 0 : Math.round(((px - left) / plotW) * (n - 1));
    setHover(Math.min(n - 1, Math.max(0, i)));
  };
  // The keyboard reads the chart bar by bar as the pointer does: arrows (with Shift, ten bars), Home, End.
  const onKey = (e: KeyboardEvent<HTMLElement>) => {
    if (n === 0) return;
    const step = e.shiftKey ? 10 : 1;
    const from = hover ?? n - 1;
    const next = { ArrowLeft: from - step, ArrowRight: from + step, Home: 0, End: n - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    setHover(Math.min(n - 1, Math.max(0, next)));
  };
  const bottom = TOP + plotH;

  return (
    <figure
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKey}
      onBlur={() => setHover(null)}
      className="absolute inset-0 rounded-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring"
    >
      <svg width={width} height={height - LEGEND} aria-hidden className="block touch-pan-y select-none" onPointerMove={onMove} onPointerLeave={() => setHover(null)}>
        <g stroke="var(--border)" strokeDasharray="3 3">
          {g.valueTicks.map((v) => (
            <line key={`v${v}`} x1={left} x2={left + plotW} y1={g.y(v)} y2={g.y(v)} />
          ))}
          {g.timeTicks.map((i) => (
            <line key={`t${i}`} x1={g.x(i)} x2={g.x(i)} y1={TOP} y2={bottom} />
          ))}
        </g>
        <g stroke="var(--muted-foreground)" fill="var(--muted-foreground)" fontSize={12}>
          <line x1={left} x2={left + plotW} y1={bottom} y2={bottom} />
          <line x1={left} x2={left} y1={TOP} y2={bottom} />
          {g.valueTicks.map((v) => (
            <g key={`v${v}`}>
              <line x1={left - 6} x2={left} y1={g.y(v)} y2={g.y(v)} />
              <text x={left - 8} y={g.y(v)} stroke="none" textAnchor="end" dominantBaseline="middle">
                {formatValue(v)}
              </text>
            </g>
          ))}
          {g.timeTicks.map((i, k) => (
            <g key={`t${i}`}>
              <line x1={g.x(i)} x2={g.x(i)} y1={bottom} y2={bottom + 6} />
              <text x={g.x(i)} y={bottom + 18} stroke="none" textAnchor={g.timeTicks.length > 1 && k === 0 ? "start" : k === g.timeTicks.length - 1 && k > 0 ? "end" : "middle"}>
                {formatTime(times[i]!)}
              </text>
            </g>
          ))}
        </g>
        {series.map((s, k) => (
          <path key={s.name} d={g.lines[k]} fill="none" stroke={s.color} strokeWidth={s.strokeWidth ?? 1.5} strokeDasharray={s.dash} strokeLinejoin="round" />
        ))}
        {markers.map((m, k) => (
          <path key={m.name} d={g.marks[k]} fill={m.color} />
        ))}
        {hover !== null && (
          <g pointerEvents="none">
            <line x1={g.x(hover)} x2={g.x(hover)} y1={TOP} y2={bottom} stroke="var(--muted-foreground)" />
            {series.map((s) => {
              const v = s.values[hover];
              return v === null || v === undefined ? null : <circle key={s.name} cx={g.x(hover)} cy={g.y(v)} r={3.5} fill={s.color} stroke="var(--card)" />;
            })}
          </g>
        )}
      </svg>
      {hover !== null && <ChartTooltip at={hover} x={g.x(hover)} width={width} time={formatTime(times[hover]!)} series={series} markers={markers} formatValue={formatValue} />}
      <Legend series={series} markers={markers} />
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}

function ChartTooltip({ at, x, width, time, series, markers, formatValue }: { at: number; x: number; width: number; time: string; series: readonly ChartSeries[]; markers: readonly ChartMarkerSet[]; formatValue: (v: number) => string }) {
  const trades = markers.flatMap((m) => m.points.filter((p) => Math.round(p.at) === at).map((p) => ({ key: `${m.name}${p.at}${p.label}`, color: m.color, label: p.label })));
  const side = x < width / 2 ? { left: x + 12 } : { right: width - x + 12 };
  return (
    <div className="pointer-events-none absolute top-2 z-10 grid gap-0.5 rounded-md border bg-card px-2.5 py-1.5 text-xs shadow-sm" style={side}>
      <span className="font-medium">{time}</span>
      {series.map((s) => {
        const v = s.values[at];
        return v === null || v === undefined ? null : (
          <span key={s.name} style={{ color: s.color }}>
            {s.name}: {formatValue(v)}
          </span>
        );
      })}
      {trades.slice(0, 4).map((t) => (
        <span key={t.key} style={{ color: t.color }}>
          {t.label}
        </span>
      ))}
    </div>
  );
}

function Legend({ series, markers }: { series: readonly ChartSeries[]; markers: readonly ChartMarkerSet[] }) {
  return (
    <ul className="flex h-6 flex-wrap items-center justify-center gap-x-4 overflow-hidden text-xs text-muted-foreground" aria-hidden>
      {series.map((s) => (
        <li key={s.name} className="flex items-center gap-1.5">
          <svg width={16} height={10} className="shrink-0">
            <line x1={0} x2={16} y1={5} y2={5} stroke={s.color} strokeWidth={2} strokeDasharray={s.dash} />
          </svg>
          {s.name}
        </li>
      ))}
      {markers.map((m) => (
        <li key={m.name} className="flex items-center gap-1.5">
          <svg width={12} height={12} className="shrink-0">
            <path d={markersPath([{ x: 6, y: 6 }], m.shape, 5)} fill={m.color} />
          </svg>
          {m.name}
        </li>
      ))}
    </ul>
  );
}
