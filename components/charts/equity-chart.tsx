"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface EquityPoint {
  /** Bar time, ISO. */
  t: string;
  equity: number;
  benchmark?: number | null;
}

// Formatters built once: toLocaleString with options builds a new Intl formatter per call, and recharts
// formats every category to lay out the axis (thousands of calls per render).
const timeFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "America/New_York" });
const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const time = (iso: string) => timeFormat.format(new Date(iso));
const usd = (v: number) => usdFormat.format(v);

/** Equity against the benchmark over the session's bars (New York time on the axis). */
export function EquityChart({ points, label = "Equity curve" }: { points: readonly EquityPoint[]; label?: string }) {
  return (
    <figure aria-label={label} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={[...points]} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="t" tickFormatter={time} minTickGap={40} stroke="var(--muted-foreground)" fontSize={12} />
          <YAxis domain={["auto", "auto"]} tickFormatter={usd} width={80} stroke="var(--muted-foreground)" fontSize={12} />
          <Tooltip labelFormatter={(v) => time(String(v))} formatter={(v) => usd(Number(v))} contentStyle={{ background: "var(--card)", borderColor: "var(--border)" }} />
          <Legend />
          <Line type="monotone" dataKey="equity" name="Model" stroke="var(--primary)" dot={false} strokeWidth={2} isAnimationActive={false} />
          <Line type="monotone" dataKey="benchmark" name="Benchmark" stroke="var(--muted-foreground)" strokeDasharray="4 4" dot={false} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
