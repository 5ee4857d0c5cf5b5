"use client";
import type { ReactNode } from "react";
import { CartesianGrid, XAxis, YAxis } from "recharts";
import { fittingBarTicks, nearestIndex } from "@/lib/viewer/chart";

/**
 * The grid and the two axes of the viewer's charts (bars spaced evenly by their number in the session,
 * nights and weekends take no room, a downsampled curve's points at their own bars), set up so recharts
 * measures nothing: ticks computed here, drawn as plain text, every one shown (interval 0), on a value axis
 * of fixed width.
 */

export const CHART_MARGIN = { top: 8, right: 16, bottom: 0, left: 0 };
/** Width of one character of a 12 px axis label, a little generous (px). */
const CHAR = 7;
/** The least room between two time labels (px). */
const LABEL_GAP = 16;

// Built once: toLocaleString with options builds a new Intl.DateTimeFormat per call.
const NY = "America/New_York";
const timeFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: NY });
const dayFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: NY });
const clockFormat = new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", timeZone: NY });

/** The point of `points` (ascending bars) nearest bar `bar`, formatted; "" when there is none. */
function nearestFormatted(points: readonly { t: string; bar: number }[], format: Intl.DateTimeFormat): (bar: number) => string {
  const bars = points.map((p) => p.bar);
  return (bar) => {
    const p = points[nearestIndex(bars, bar)];
    return p ? format.format(new Date(p.t)) : "";
  };
}

/** "Jun 10, 09:30 AM" (New York) of the point nearest a bar: the tooltip's time. */
export const barTimeAt = (points: readonly { t: string; bar: number }[]) => nearestFormatted(points, timeFormat);

/**
 * The time axis' labels say only what changes along it: "09:30 AM" on a one-day replay, "Jun 10" on day
 * bars (each at the same time of day), "Jun 10, 09:30 AM" otherwise.
 */
export function barLabelAt(points: readonly { t: string; bar: number }[]): (bar: number) => string {
  const at = (i: number, format: Intl.DateTimeFormat) => format.format(new Date(points[i]!.t));
  // Ascending times: one day if the first and the last are on it; one time of day if no point differs (stops at the first that does).
  const oneDay = points.length === 0 || at(0, dayFormat) === at(points.length - 1, dayFormat);
  const first = points.length > 0 ? at(0, clockFormat) : "";
  const oneClock = !oneDay && points.every((_, i) => at(i, clockFormat) === first);
  return nearestFormatted(points, oneDay ? clockFormat : oneClock ? dayFormat : timeFormat);
}

/**
 * The chart's CartesianGrid, XAxis and YAxis, as children of a recharts chart `width` px wide drawn from
 * points at `bars`: as many time ticks as fit their labels, the value axis at `valueTicks`.
 */
export function barAxes(a: {
  width: number;
  /** The bar numbers of the points drawn, ascending. */
  bars: readonly number[];
  /** The time axis' label of a bar (barLabelAt). */
  labelAt: (bar: number) => string;
  /** Passed to recharts as is: keep it the same array across renders (memoised). */
  valueTicks: number[];
  formatValue: (value: number) => string;
  valueAxisWidth: number;
}): ReactNode {
  const { bars, valueTicks } = a;
  const span: [number, number] = [bars[0] ?? 0, bars[bars.length - 1] ?? 0];
  const labelWidth = bars.length > 0 ? a.labelAt(span[1]).length * CHAR : 0;
  const plot = a.width - a.valueAxisWidth - CHART_MARGIN.left - CHART_MARGIN.right;
  const x = (bar: number) => (span[1] > span[0] ? ((bar - span[0]) / (span[1] - span[0])) * plot : plot / 2);
  const timeTicks = fittingBarTicks(bars, Math.floor(plot / (1.5 * labelWidth + 24)) + 1, x, labelWidth, LABEL_GAP);
  return (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" {...gridLines(valueTicks, timeTicks, span)} />
      <XAxis
        dataKey="i"
        type="number"
        domain={span}
        ticks={timeTicks}
        interval={0}
        niceTicks="none"
        tick={plainTick(a.labelAt, "x")}
        stroke="var(--muted-foreground)"
        fontSize={12}
        height={24}
      />
      <YAxis
        type="number"
        domain={valueTicks.length > 0 ? [valueTicks[0]!, valueTicks[valueTicks.length - 1]!] : ["auto", "auto"]}
        ticks={valueTicks}
        interval={0}
        niceTicks="none"
        tick={plainTick(a.formatValue, "y")}
        width={a.valueAxisWidth}
        stroke="var(--muted-foreground)"
        fontSize={12}
      />
    </>
  );
}

/** Ticks drawn as plain SVG text: recharts' own Text is given the axis' width and measures every word to wrap it. */
function plainTick(format: (value: number) => string, axis: "x" | "y") {
  return function Tick(props: { x?: number | string; y?: number | string; payload?: { value: number }; index?: number; visibleTicksCount?: number }) {
    const { x = 0, y = 0, payload, index = 0, visibleTicksCount = 1 } = props;
    if (!payload) return <g />;
    // Time labels: centred on their tick, the first and last aligned to the plot's edges.
    const anchor = axis === "y" ? "end" : visibleTicksCount > 1 && index === 0 ? "start" : index === visibleTicksCount - 1 && index > 0 ? "end" : "middle";
    return (
      <text x={x} y={y} dy={axis === "y" ? "0.355em" : "0.71em"} textAnchor={anchor} fill="var(--muted-foreground)" fontSize={12}>
        {format(payload.value)}
      </text>
    );
  };
}

interface GridArgs {
  offset: { left?: number; top?: number; width?: number; height?: number };
}

/**
 * CartesianGrid's line positions from ticks computed here: by default the grid asks recharts' getTicks for
 * the axes' ticks, and on the chart's first render, before the axes have registered `interval={0}`, that
 * measures every label (a forced layout each: 25-30 ms of the chart's first task).
 */
function gridLines(valueTicks: readonly number[], timeTicks: readonly number[], [first, last]: [number, number]) {
  const lo = valueTicks[0] ?? 0;
  const hi = valueTicks[valueTicks.length - 1] ?? 1;
  return {
    horizontalCoordinatesGenerator: ({ offset }: GridArgs) => {
      const { top = 0, height = 0 } = offset;
      return valueTicks.map((v) => top + height - ((v - lo) / (hi - lo || 1)) * height);
    },
    verticalCoordinatesGenerator: ({ offset }: GridArgs) => {
      const { left = 0, width = 0 } = offset;
      return timeTicks.map((bar) => left + (last <= first ? width / 2 : ((bar - first) / (last - first)) * width));
    },
  };
}
