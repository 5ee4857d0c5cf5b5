"use client";
import { memo, useMemo } from "react";
import { EquityChart } from "@/components/charts/equity-chart";
import { downsample } from "@/lib/viewer/derive";
import type { EquitySample } from "@/lib/viewer/types";
import { countOf } from "@/lib/format";

/** At most this many points are drawn: the first and the last, and every high and low (downsample). */
export const MAX_CHART_POINTS = 500;

/** Memoised: the viewer re-renders on every batch of events; this panel only when its own props change. */
export const EquityPanel = memo(function EquityPanel({ equity, bars, benchmarkName }: { equity: readonly EquitySample[]; bars: number; benchmarkName: string | null }) {
  const points = useMemo(() => downsample(equity, MAX_CHART_POINTS, [(p) => p.equity, (p) => p.benchmark]).map((p) => ({ t: p.t, bar: p.barIndex, equity: p.equity, benchmark: p.benchmark })), [equity]);
  if (equity.length === 0) {
    return <p className="grid h-72 place-items-center rounded-md border border-dashed text-sm text-muted-foreground">No bars run yet: the equity curve starts with the first bar.</p>;
  }
  const hasBenchmark = equity.some((p) => p.benchmark !== null);
  return (
    <div>
      <EquityChart points={points} label="Equity curve against the benchmark" />
      <p className="mt-1 text-xs text-muted-foreground" data-testid="equity-points">
        {countOf(bars, "bar")}
        {points.length < bars && ` (drawn from ${points.length} points, every high and low kept)`} ·{" "}
        {hasBenchmark ? `Benchmark: ${benchmarkName ?? "buy-and-hold"}, same starting cash, no fees` : "Benchmark: not available for these bars"}
      </p>
    </div>
  );
});
