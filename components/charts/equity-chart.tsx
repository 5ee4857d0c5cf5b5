"use client";
import { useMemo } from "react";
import { SeriesChart, type ChartSeries } from "./series-chart";

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

function describe(name: string, values: readonly (number | null)[]): string | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : `${name} from ${usd(known[0]!)} to ${usd(known[known.length - 1]!)}`;
}

/** Equity against the benchmark over the session's bars (New York time on the axis). */
export function EquityChart({ points, label = "Equity curve" }: { points: readonly EquityPoint[]; label?: string }) {
  const { times, series, summary } = useMemo(() => {
    const model: ChartSeries = { name: "Model", values: points.map((p) => p.equity), color: "var(--primary)", strokeWidth: 2 };
    const benchmark: ChartSeries = { name: "Benchmark", values: points.map((p) => p.benchmark ?? null), color: "var(--muted-foreground)", dash: "4 4" };
    const all = benchmark.values.some((v) => v !== null) ? [model, benchmark] : [model];
    return {
      times: points.map((p) => p.t),
      series: all,
      summary: [...all.map((s) => describe(s.name, s.values)), `${points.length} points`].filter(Boolean).join("; "),
    };
  }, [points]);
  return <SeriesChart label={label} height={288} times={times} series={series} formatTime={time} formatValue={usd} valueAxisWidth={80} summary={summary} />;
}
