"use client";
import { useMemo } from "react";
import { Line, LineChart, Tooltip } from "recharts";
import { extent, niceTicks } from "@/lib/viewer/chart";
import { barAxes, barLabelAt, barTimeAt, CHART_MARGIN } from "./bar-axes";
import { ChartFrame, ChartLegend, type LegendEntry } from "./chart-frame";
import { linesTooltip } from "./lines-tooltip";

export interface EquityPoint {
  /** Bar time, ISO. */
  t: string;
  /** The bar's number in the session (its place on the time axis: a downsampled curve skips some). */
  bar: number;
  equity: number;
  benchmark?: number | null;
}

// Built once: toLocaleString with options builds a new Intl formatter per call.
const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const usd = (v: number) => usdFormat.format(v);

const HEIGHT = 260;
const VALUE_AXIS = 80;
const MODEL = { name: "Model", color: "var(--primary)" };
const BENCHMARK = { name: "Benchmark", color: "var(--muted-foreground)", dash: "4 4" };

function describe(name: string, values: readonly (number | null | undefined)[]): string | null {
  const known = values.filter((v): v is number => typeof v === "number");
  return known.length === 0 ? null : `${name} from ${usd(known[0]!)} to ${usd(known[known.length - 1]!)}`;
}

/**
 * Equity against the benchmark over the session's bars (New York time on the axis), with recharts. Bars are
 * spaced evenly by their number (nights and weekends take no room; a downsampled curve's points sit at their bars). Nothing is measured: the ticks are computed
 * here, drawn as plain text, every one shown (interval 0), on a value axis of fixed width. The chart is
 * mounted after the first paint (ChartFrame). Keyboard: the chart takes focus, arrows move the tooltip.
 */
export function EquityChart({ points, label = "Equity curve" }: { points: readonly EquityPoint[]; label?: string }) {
  const d = useMemo(() => {
    const hasBenchmark = points.some((p) => p.benchmark !== null && p.benchmark !== undefined);
    const range = extent([points.map((p) => p.equity), hasBenchmark ? points.map((p) => p.benchmark ?? null) : []]);
    const valueTicks = range ? niceTicks(range[0], range[1], 5) : [];
    return {
      data: points.map((p) => ({ i: p.bar, equity: p.equity, benchmark: p.benchmark ?? null })),
      bars: points.map((p) => p.bar),
      hasBenchmark,
      valueTicks,
      summary: [describe(MODEL.name, points.map((p) => p.equity)), hasBenchmark ? describe(BENCHMARK.name, points.map((p) => p.benchmark)) : null, `${points.length} points`].filter(Boolean).join("; "),
    };
  }, [points]);
  const legend: LegendEntry[] = d.hasBenchmark ? [MODEL, BENCHMARK] : [MODEL];
  const tooltip = useMemo(() => linesTooltip(barTimeAt(points), usd), [points]);
  const labelAt = useMemo(() => barLabelAt(points), [points]);
  return (
    <ChartFrame label={label} height={HEIGHT} legend={<ChartLegend entries={legend} />} summary={d.summary}>
      {(width, complete) => (
        <LineChart width={width} height={HEIGHT} data={d.data} margin={CHART_MARGIN} aria-label={`${label}: arrow keys move along the line`}>
          {barAxes({ width, bars: d.bars, labelAt, valueTicks: d.valueTicks, formatValue: usd, valueAxisWidth: VALUE_AXIS })}
          {complete && <Tooltip content={tooltip} isAnimationActive={false} />}
          <Line type="linear" dataKey="equity" name={MODEL.name} stroke={MODEL.color} strokeWidth={2} dot={false} activeDot={{ r: 3.5 }} isAnimationActive={false} />
          {complete && d.hasBenchmark && (
            <Line type="linear" dataKey="benchmark" name={BENCHMARK.name} stroke={BENCHMARK.color} strokeDasharray={BENCHMARK.dash} dot={false} activeDot={{ r: 3 }} isAnimationActive={false} />
          )}
        </LineChart>
      )}
    </ChartFrame>
  );
}
