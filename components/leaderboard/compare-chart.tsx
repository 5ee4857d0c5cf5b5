"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CurveOfSession } from "@/lib/services/leaderboard";

/** Distinct hues that read in light and dark mode; each series also has its own dash pattern. */
const COLORS = ["var(--primary)", "oklch(0.65 0.17 55)", "oklch(0.6 0.15 300)", "oklch(0.6 0.13 170)", "oklch(0.6 0.2 25)", "oklch(0.55 0.05 260)", "oklch(0.7 0.15 100)", "oklch(0.5 0.15 220)"];
const DASHES = [undefined, "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4", "3 6"];

/** Equity curves of several sessions normalised to 100 at their start, over the share of bars run. */
export function CompareChart({ curves, names }: { curves: readonly CurveOfSession[]; names: ReadonlyMap<string, string> }) {
  return (
    <figure aria-label="Compared equity curves, normalised to 100" className="w-full">
      {/* Clipped: after the window narrows, the drawing keeps its old width in px until recharts measures
          again, and must not widen the page meanwhile (a phone-sized e2e run caught it once). */}
      <div className="h-80 w-full min-w-0 overflow-hidden">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis
            dataKey="x"
            type="number"
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            tickFormatter={(v: number) => `${v}%`}
            stroke="var(--muted-foreground)"
            fontSize={12}
            allowDuplicatedCategory={false}
          />
          <YAxis domain={["auto", "auto"]} width={56} stroke="var(--muted-foreground)" fontSize={12} tickFormatter={(v: number) => v.toFixed(1)} />
          <Tooltip
            labelFormatter={(v) => `${Number(v).toFixed(0)}% of the session`}
            formatter={(v) => Number(v).toFixed(2)}
            contentStyle={{ background: "var(--card)", borderColor: "var(--border)" }}
          />
          <Legend />
          {curves.map((c, i) => (
            <Line
              key={c.sessionId}
              data={c.points}
              dataKey="value"
              name={names.get(c.sessionId) ?? c.sessionId.slice(0, 8)}
              stroke={COLORS[i % COLORS.length]}
              strokeDasharray={DASHES[i % DASHES.length]}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-muted-foreground">
        Each session&apos;s equity as a percentage of its starting cash (100 at the start, as returns are measured); across: the share of its bars run (sessions of different lengths and days line up).
      </figcaption>
    </figure>
  );
}
