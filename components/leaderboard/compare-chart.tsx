"use client";
import { useMemo } from "react";
import { Line, LineChart, Tooltip } from "recharts";
import { barAxes, barLabelAt, barTimeAt, CHART_MARGIN } from "@/components/charts/bar-axes";
import { ChartFrame, ChartLegend, type LegendEntry } from "@/components/charts/chart-frame";
import { linesTooltip } from "@/components/charts/lines-tooltip";
import { extent, niceTicks } from "@/lib/viewer/chart";
import type { Comparison } from "@/lib/viewer/compare";
import { benchmarkNameOf } from "@/lib/viewer/fold";

/** Distinct hues that read in light and dark mode; each series also has its own dash pattern. */
const COLORS = ["var(--primary)", "oklch(0.65 0.17 55)", "oklch(0.6 0.15 300)", "oklch(0.6 0.13 170)", "oklch(0.6 0.2 25)", "oklch(0.55 0.05 260)", "oklch(0.7 0.15 100)", "oklch(0.5 0.15 220)"];
const DASHES = [undefined, "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4", "3 6"];
const BENCHMARK = { color: "var(--muted-foreground)", dash: "5 3 1 3" };

const HEIGHT = 320;
const VALUE_AXIS = 56;
const LABEL = "Compared equity curves, normalised to 100";
const value = (v: number) => v.toFixed(1);

interface Series extends LegendEntry {
  key: string;
}

/**
 * Equity curves of several sessions normalised to 100 at their start (lib/viewer/compare.ts): when their runs
 * overlap in time, over all their bars in New York time (with their common benchmark when there is one); when
 * they do not, over the share of each one's bars. Drawn as the viewer's charts are (ChartFrame, barAxes: nothing measured).
 */
export function CompareChart({ comparison, names }: { comparison: Comparison; names: ReadonlyMap<string, string> }) {
  const { axis, rows, span, sessionIds, benchmark } = comparison;
  const d = useMemo(() => {
    const series: Series[] = sessionIds.map((id, k) => ({ key: `v${k}`, name: names.get(id) ?? id.slice(0, 8), color: COLORS[k % COLORS.length]!, dash: DASHES[k % DASHES.length] }));
    if (benchmark) series.push({ key: `v${sessionIds.length}`, name: `Benchmark: ${benchmarkNameOf({ kind: benchmark }) ?? benchmark}`, ...BENCHMARK });
    const columns = series.map((_, k) => rows.map((r) => r.values[k] ?? null));
    const range = extent(columns);
    const timed = rows.map((r) => ({ t: r.t ?? "", bar: r.x }));
    const share = (x: number) => (span > 1 ? Math.round((x / (span - 1)) * 100) : 0);
    return {
      series,
      data: rows.map((r) => Object.fromEntries([["i", r.x], ...r.values.map((v, k) => [`v${k}`, v])])),
      bars: rows.map((r) => r.x),
      valueTicks: range ? niceTicks(range[0], range[1], 5) : [],
      labelAt: axis === "bars" ? barLabelAt(timed) : (x: number) => `${share(x)}%`,
      tooltip: linesTooltip(axis === "bars" ? barTimeAt(timed) : (x) => `${share(x)}% of each session's bars`, (v) => v.toFixed(2)),
      summary: series
        .map((s, k) => {
          const known = columns[k]!.filter((v): v is number => v !== null);
          return known.length ? `${s.name} from ${value(known[0]!)} to ${value(known[known.length - 1]!)}` : `${s.name}: no marks`;
        })
        .join("; "),
    };
  }, [axis, rows, span, sessionIds, benchmark, names]);

  return (
    <div className="grid gap-1">
      <ChartFrame label={LABEL} height={HEIGHT} legend={<ChartLegend entries={d.series} />} summary={d.summary}>
        {(width, complete) => (
          <LineChart width={width} height={HEIGHT} data={d.data} margin={CHART_MARGIN} aria-label={`${LABEL}: arrow keys move along the lines`}>
            {barAxes({ width, bars: d.bars, labelAt: d.labelAt, valueTicks: d.valueTicks, formatValue: value, valueAxisWidth: VALUE_AXIS })}
            {complete && <Tooltip content={d.tooltip} isAnimationActive={false} />}
            {d.series.map((s) => (
              <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={s.color} strokeDasharray={s.dash} strokeWidth={2} dot={false} activeDot={{ r: 3 }} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        )}
      </ChartFrame>
      <p className="text-xs text-muted-foreground">
        Each session&apos;s equity as a percentage of its starting cash (100 at the start, as returns are measured);{" "}
        {axis === "bars"
          ? `across: the ${span} bars they ran over (New York time)${benchmark ? ", with the buy-and-hold benchmark they share" : ""}.`
          : "across: the share of its bars run (their runs do not overlap in time: sessions of different days and lengths line up)."}
      </p>
    </div>
  );
}
