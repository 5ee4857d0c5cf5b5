"use client";
import { memo, useEffect, useRef, useState, type ReactNode } from "react";
import { useElementWidth } from "./use-element-width";

interface FrameProps {
  /** The figure's accessible name. */
  label: string;
  /** Height of the drawing in px (the legend below it is not included). */
  height: number;
  /**
   * Frames to wait after the width is known before drawing: a page with two charts gives the second a
   * later frame, so each chart's first render is a task of its own.
   */
  delayFrames?: number;
  /**
   * Draws the chart at the measured width: first its axes, grid and main line (`complete` false), the rest
   * (second line, markers, tooltip) a frame later, so recharts' first render is split in two tasks.
   */
  children: (width: number, complete: boolean) => ReactNode;
  /** Below the drawing, from the server render on (so nothing moves). */
  legend?: ReactNode;
  /** Read by screen readers instead of the drawing ("Model from $100,000 to $104,210 …"). */
  summary: string;
}

/**
 * The box of a recharts chart: a labelled figure of fixed height, server-rendered, that shows a placeholder
 * of the same size until it has been laid out once (its width measured) and `delayFrames` frames have
 * passed; only then is the chart mounted, with that width, so its first render (the expensive part of
 * recharts) is a task of its own after the first paint, not part of hydration. `aria-busy` until the chart
 * is drawn whole (its second stage: markers, benchmark, tooltip).
 */
export const ChartFrame = memo(function ChartFrame({ label, height, delayFrames = 0, children, legend, summary }: FrameProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const measured = width !== null && width > 0;
  const [ready, setReady] = useState(false);
  const [complete, setComplete] = useState(false);
  useEffect(() => afterFrames(measured && !ready, delayFrames, () => setReady(true)), [measured, ready, delayFrames]);
  useEffect(() => afterFrames(ready && !complete, 0, () => setComplete(true)), [ready, complete]);
  return (
    <figure aria-label={label} aria-busy={!(measured && ready && complete)} className="grid w-full min-w-0 gap-1">
      {/* The drawing is out of flow (absolute) and clipped: its width in px must not hold the box (a grid
          item) wider than the page after a resize, or the box would never shrink and be measured again. */}
      <div ref={box} className="relative w-full min-w-0 overflow-hidden" style={{ height }}>
        {measured && ready ? (
          <div className="absolute inset-0">{children(width, complete)}</div>
        ) : (
          <p className="grid h-full place-items-center text-sm text-muted-foreground">Drawing the chart…</p>
        )}
      </div>
      {legend}
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
});

/** Calls `then` after `frames` + 1 paints (a timer after each frame); returns the cleanup. Nothing when not `enabled`. */
function afterFrames(enabled: boolean, frames: number, then: () => void): (() => void) | undefined {
  if (!enabled) return undefined;
  let raf = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = () => {
    raf = requestAnimationFrame(() => {
      timer = setTimeout(() => (frames-- <= 0 ? then() : next()), 0);
    });
  };
  next();
  return () => {
    cancelAnimationFrame(raf);
    clearTimeout(timer);
  };
}

/** One entry of a chart's legend: a line (with its dash) or a marker shape, then the name. */
export interface LegendEntry {
  name: string;
  color: string;
  dash?: string;
  /** A marker's outline, as an SVG path in a 12 × 12 box; a line when absent. */
  marker?: string;
}

/** The legend, as plain HTML under the chart (recharts' Legend measures itself after every render). */
export function ChartLegend({ entries }: { entries: readonly LegendEntry[] }) {
  return (
    <ul className="flex min-h-6 flex-wrap items-center justify-center gap-x-4 text-xs text-muted-foreground" aria-hidden>
      {entries.map((e, i) => (
        <li key={`${i}:${e.name}`} className="flex items-center gap-1.5">
          {e.marker ? (
            <svg width={12} height={12} className="shrink-0">
              <path d={e.marker} fill={e.color} />
            </svg>
          ) : (
            <svg width={16} height={10} className="shrink-0">
              <line x1={0} x2={16} y1={5} y2={5} stroke={e.color} strokeWidth={2} strokeDasharray={e.dash} />
            </svg>
          )}
          {e.name}
        </li>
      ))}
    </ul>
  );
}
