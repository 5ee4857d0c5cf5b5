"use client";
import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";

export interface PricePoint {
  t: string;
  close: number;
}
export interface TradeMarker {
  t: string;
  price: number;
  side: "buy" | "sell" | "sell_short" | "buy_to_cover";
  quantity: number;
}

const SIDES = [
  { side: "buy", name: "Buy", color: "var(--success)", shape: "triangle" },
  { side: "sell", name: "Sell", color: "var(--destructive)", shape: "triangle" },
  { side: "sell_short", name: "Short", color: "oklch(0.65 0.17 55)", shape: "diamond" },
  { side: "buy_to_cover", name: "Cover", color: "oklch(0.6 0.15 300)", shape: "diamond" },
] as const;

// One formatter for every tick: toLocaleString with options builds a new Intl.DateTimeFormat per call, and
// recharts formats every category to lay out the axis (thousands of calls per render).
const timeFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "America/New_York" });
const time = (iso: string) => timeFormat.format(new Date(iso));

/** A symbol's closes with the session's fills marked by side. */
export function PriceChart({ symbol, prices, trades }: { symbol: string; prices: readonly PricePoint[]; trades: readonly TradeMarker[] }) {
  const data = prices.map((p) => ({ t: p.t, close: p.close }));
  return (
    <figure aria-label={`Price chart for ${symbol}`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="t" type="category" allowDuplicatedCategory={false} tickFormatter={time} minTickGap={40} stroke="var(--muted-foreground)" fontSize={12} />
          <YAxis domain={["auto", "auto"]} width={64} stroke="var(--muted-foreground)" fontSize={12} />
          <Tooltip labelFormatter={(v) => time(String(v))} contentStyle={{ background: "var(--card)", borderColor: "var(--border)" }} />
          <Legend />
          <Line dataKey="close" name={symbol} stroke="var(--primary)" dot={false} isAnimationActive={false} />
          {/* A Scatter with empty data falls back to the chart's data (every price as a marker): draw only sides that traded. */}
          {SIDES.filter((s) => trades.some((tr) => tr.side === s.side)).map((s) => (
            <Scatter
              key={s.side}
              name={s.name}
              data={trades.filter((tr) => tr.side === s.side).map((tr) => ({ t: tr.t, close: tr.price }))}
              dataKey="close"
              fill={s.color}
              shape={s.shape}
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
