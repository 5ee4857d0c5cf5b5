"use client";
import { useMemo } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from "recharts";
import { extent, indexTicks, niceTicks } from "@/lib/viewer/chart";
import { ChartFrame, ChartLegend, gridLines, plainTick, type LegendEntry } from "./chart-frame";

export interface EquityPoint {
  /** Bar time, ISO. */
  t: string;
  equity: number;
  benchmark?: number | null;
}

// Formatters built once: toLocaleString with options builds a new Intl formatter per call.
const timeFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "America/New_York" });
const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const time = (iso: string) => timeFormat.format(new Date(iso));
const usd = (v: number) => usdFormat.format(v);

const HEIGHT = 260;
const VALUE_AXIS = 80;
const MARGIN = { top: 8, right: 16, bottom: 0, left: 0 };
/** Width of one character of a 12 px axis label, a little generous (px). */
const CHAR = 7;
const MODEL = { name: "Model", color: "var(--primary)" };
const BENCHMARK = { name: "Benchmark", color: "var(--muted-foreground)", dash: "4 4" };

function describe(name: string, values: readonly (number | null | undefined)[]): string | null {
  const known = values.filter((v): v is number => typeof v === "number");
  return known.length === 0 ? null : `${name} from ${usd(known[0]!)} to ${usd(known[known.length - 1]!)}`;
}

/**
 * Equity against the benchmark over the session's bars (New York time on the axis), with recharts. Bars are
 * spaced evenly by index (nights and weekends take no room). Nothing is measured: the ticks are computed
 * here, drawn as plain text, every one shown (interval 0), on a value axis of fixed width. The chart is
 * mounted after the first paint (ChartFrame). Keyboard: the chart takes focus, arrows move the tooltip.
 */
export function EquityChart({ points, label = "Equity curve" }: { points: readonly EquityPoint[]; label?: string }) {
  const d = useMemo(() => {
    const hasBenchmark = points.some((p) => p.benchmark !== null && p.benchmark !== undefined);
    const range = extent([points.map((p) => p.equity), hasBenchmark ? points.map((p) => p.benchmark ?? null) : []]);
    const valueTicks = range ? niceTicks(range[0], range[1], 5) : [];
    const labelWidth = points.length > 0 ? time(points[points.length - 1]!.t).length * CHAR : 0;
    return {
      data: points.map((p, i) => ({ i, equity: p.equity, benchmark: p.benchmark ?? null })),
      hasBenchmark,
      valueTicks,
      labelWidth,
      summary: [describe(MODEL.name, points.map((p) => p.equity)), hasBenchmark ? describe(BENCHMARK.name, points.map((p) => p.benchmark)) : null, `${points.length} points`].filter(Boolean).join("; "),
    };
  }, [points]);
  const legend: LegendEntry[] = d.hasBenchmark ? [MODEL, BENCHMARK] : [MODEL];
  const n = points.length;
  const timeAt = (i: number) => (points[Math.round(i)] ? time(points[Math.round(i)]!.t) : "");
  return (
    <ChartFrame label={label} height={HEIGHT} legend={<ChartLegend entries={legend} />} summary={d.summary}>
      {(width, complete) => {
        const timeTicks = indexTicks(n, Math.floor((width - VALUE_AXIS - MARGIN.right) / (1.5 * d.labelWidth + 24)) + 1);
        return (
          <LineChart width={width} height={HEIGHT} data={d.data} margin={MARGIN} aria-label={`${label}: arrow keys move through the bars`}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" {...gridLines(d.valueTicks, timeTicks, n)} />
            <XAxis
              dataKey="i"
              type="number"
              domain={[0, Math.max(0, n - 1)]}
              ticks={timeTicks}
              interval={0}
              niceTicks="none"
              tick={plainTick(timeAt, "x")}
              stroke="var(--muted-foreground)"
              fontSize={12}
              height={24}
            />
            <YAxis
              type="number"
              domain={d.valueTicks.length > 0 ? [d.valueTicks[0]!, d.valueTicks[d.valueTicks.length - 1]!] : ["auto", "auto"]}
              ticks={d.valueTicks}
              interval={0}
              niceTicks="none"
              tick={plainTick(usd, "y")}
              width={VALUE_AXIS}
              stroke="var(--muted-foreground)"
              fontSize={12}
            />
            {complete && <Tooltip content={(props: TooltipContentProps<TooltipValueType, string | number>) => <EquityTooltip {...props} timeAt={timeAt} />} isAnimationActive={false} />}
            <Line type="linear" dataKey="equity" name={MODEL.name} stroke={MODEL.color} strokeWidth={2} dot={false} activeDot={{ r: 3.5 }} isAnimationActive={false} />
            {complete && d.hasBenchmark && (
              <Line type="linear" dataKey="benchmark" name={BENCHMARK.name} stroke={BENCHMARK.color} strokeDasharray={BENCHMARK.dash} dot={false} activeDot={{ r: 3 }} isAnimationActive={false} />
            )}
          </LineChart>
        );
      }}
    </ChartFrame>
  );
}

function EquityTooltip({ active, payload, label, timeAt }: TooltipContentProps<TooltipValueType, string | number> & { timeAt: (i: number) => string }) {
  if (!active || !payload || payload.length === 0) return null;
  return (
    <div className="grid gap-0.5 rounded-md border bg-card px-2.5 py-1.5 text-xs shadow-sm">
      <span className="font-medium">{timeAt(Number(label))}</span>
      {payload.map((p) =>
        typeof p.value === "number" ? (
          <span key={String(p.dataKey)} style={{ color: p.color }}>
            {p.name}: {usd(p.value)}
          </span>
        ) : null,
      )}
    </div>
  );
}
