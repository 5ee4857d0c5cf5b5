"use client";
import { useMemo } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { extent, niceTicks } from "@/lib/viewer/chart";
import type { PayoffPoint } from "@/lib/viewer/payoff";
import { CHART_MARGIN } from "./bar-axes";
import { ChartFrame, ChartLegend, type LegendEntry } from "./chart-frame";
import { linesTooltip } from "./lines-tooltip";

const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const usd = (v: number) => usdFormat.format(v);
const priceFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const price = (v: number) => priceFormat.format(v);

const HEIGHT = 240;
const VALUE_AXIS = 72;
const EXPIRY = { name: "At expiry", color: "var(--primary)" };
const TODAY = { name: "Today (model)", color: "var(--muted-foreground)", dash: "4 4" };
const BREAKEVEN = { name: "Breakeven", color: "var(--success)", dash: "6 3" };

/**
 * The payoff diagram of one option position (lib/viewer/payoff.ts): P&L at expiry and today across the underlying's
 * price, a line at zero, the breakeven and the price now marked. Ticks are computed here (nothing measured), as the
 * viewer's other charts. Keyboard: the chart takes focus, arrows move the tooltip.
 */
export function PayoffChart({ label, points, breakeven, spot }: { label: string; points: readonly PayoffPoint[]; breakeven: number | null; spot: number }) {
  const d = useMemo(() => {
    const range = extent([points.map((p) => p.atExpiry), points.map((p) => p.today), [0]]);
    const valueTicks = range ? niceTicks(range[0], range[1], 5) : [];
    const xs = points.map((p) => p.price);
    const lo = xs[0] ?? 0;
    const hi = xs.at(-1) ?? 1;
    const priceTicks = niceTicks(lo, hi, 6).filter((t) => t >= lo && t <= hi);
    const at = (s: number | null) => (s === null ? null : points.reduce((best, p) => (Math.abs(p.price - s) < Math.abs(best.price - s) ? p : best), points[0]!));
    const now = at(spot);
    const summary = [
      `P&L at expiry from ${usd(Math.min(...points.map((p) => p.atExpiry)))} to ${usd(Math.max(...points.map((p) => p.atExpiry)))} for the underlying from ${price(lo)} to ${price(hi)}`,
      breakeven === null ? "no breakeven" : `breakeven at ${price(breakeven)}`,
      now ? `at today's price ${price(spot)}: ${usd(now.today)} today, ${usd(now.atExpiry)} if it stays there to expiry` : null,
    ]
      .filter(Boolean)
      .join("; ");
    return { data: points.map((p) => ({ x: p.price, atExpiry: p.atExpiry, today: p.today })), valueTicks, priceTicks, domain: [lo, hi] as [number, number], summary };
  }, [points, breakeven, spot]);
  const tooltip = useMemo(() => linesTooltip((x) => `Underlying at ${price(x)}`, usd), []);
  const legend: LegendEntry[] = breakeven === null ? [EXPIRY, TODAY] : [EXPIRY, TODAY, BREAKEVEN];
  return (
    <ChartFrame label={label} height={HEIGHT} legend={<ChartLegend entries={legend} />} summary={d.summary}>
      {(width, complete) => (
        <LineChart width={width} height={HEIGHT} data={d.data} margin={{ ...CHART_MARGIN, top: 16 }} aria-label={`${label}: arrow keys move along the lines`}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="x" type="number" domain={d.domain} ticks={d.priceTicks} interval={0} niceTicks="none" tickFormatter={price} stroke="var(--muted-foreground)" fontSize={12} height={24} />
          <YAxis
            type="number"
            domain={d.valueTicks.length > 0 ? [d.valueTicks[0]!, d.valueTicks.at(-1)!] : ["auto", "auto"]}
            ticks={d.valueTicks}
            interval={0}
            niceTicks="none"
            tickFormatter={usd}
            width={VALUE_AXIS}
            stroke="var(--muted-foreground)"
            fontSize={12}
          />
          <ReferenceLine y={0} stroke="var(--muted-foreground)" />
          <ReferenceLine x={spot} stroke="var(--muted-foreground)" strokeDasharray="1 3" label={{ value: "now", position: "top", fill: "var(--muted-foreground)", fontSize: 11 }} />
          {breakeven !== null && <ReferenceLine x={breakeven} stroke={BREAKEVEN.color} strokeDasharray={BREAKEVEN.dash} />}
          {complete && <Tooltip content={tooltip} isAnimationActive={false} />}
          <Line type="linear" dataKey="atExpiry" name={EXPIRY.name} stroke={EXPIRY.color} strokeWidth={2} dot={false} activeDot={{ r: 3.5 }} isAnimationActive={false} />
          {complete && <Line type="linear" dataKey="today" name={TODAY.name} stroke={TODAY.color} strokeDasharray={TODAY.dash} dot={false} activeDot={{ r: 3 }} isAnimationActive={false} />}
        </LineChart>
      )}
    </ChartFrame>
  );
}
