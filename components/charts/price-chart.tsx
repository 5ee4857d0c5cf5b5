"use client";
import { useMemo } from "react";
import { ComposedChart, Line, Scatter, Tooltip, type TooltipContentProps, type TooltipValueType } from "recharts";
import { barPosition, extent, markersPath, niceTicks, type MarkerShape } from "@/lib/viewer/chart";
import { barAxes, barLabelAt, barTimeAt, CHART_MARGIN } from "./bar-axes";
import { ChartFrame, ChartLegend, type LegendEntry } from "./chart-frame";

export interface PricePoint {
  t: string;
  /** The bar's number among the symbol's bars (its place on the time axis: downsampled prices skip some). */
  bar: number;
  close: number;
}
export interface TradeMarker {
  t: string;
  price: number;
  side: "buy" | "sell" | "sell_short" | "buy_to_cover";
  quantity: number;
}

/** Each side has its own colour and its own shape (colour is never the only signal). */
const SIDES: readonly { side: TradeMarker["side"]; name: string; color: string; shape: MarkerShape }[] = [
  { side: "buy", name: "Buy", color: "var(--success)", shape: "up" },
  { side: "sell", name: "Sell", color: "var(--destructive)", shape: "down" },
  { side: "sell_short", name: "Short", color: "oklch(0.65 0.17 55)", shape: "diamond" },
  { side: "buy_to_cover", name: "Cover", color: "oklch(0.6 0.15 300)", shape: "square" },
];

// Built once: toLocaleString with options builds a new Intl.NumberFormat per call.
const priceFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const price = (v: number) => priceFormat.format(v);

const HEIGHT = 228;
const VALUE_AXIS = 64;

interface MarkerPoint {
  /** Fractional bar number (barPosition). */
  i: number;
  close: number;
  label: string;
}

/** A marker as one SVG path: recharts gives the point's centre; nothing else is drawn per marker. */
function markerShape(shape: MarkerShape) {
  return function Marker(props: unknown) {
    const { cx, cy, fill } = props as { cx?: number; cy?: number; fill?: string };
    return typeof cx === "number" && typeof cy === "number" ? <path d={markersPath([{ x: cx, y: cy }], shape)} fill={fill} /> : <g />;
  };
}
const SHAPES = Object.fromEntries(SIDES.map((s) => [s.side, markerShape(s.shape)])) as Record<TradeMarker["side"], ReturnType<typeof markerShape>>;

/**
 * A symbol's closes with the session's fills marked by side, at the bar they were filled in, with
 * recharts: bars spaced evenly by their number, a Scatter per side with a one-path shape. Nothing is measured
 * (computed ticks drawn as plain text, interval 0, a value axis of fixed width); the chart is mounted after
 * the first paint and a frame after the equity chart (ChartFrame). Keyboard: arrows move the tooltip.
 */
export function PriceChart({ symbol, prices, trades }: { symbol: string; prices: readonly PricePoint[]; trades: readonly TradeMarker[] }) {
  const d = useMemo(() => {
    const ms = prices.map((p) => Date.parse(p.t));
    const bars = prices.map((p) => p.bar);
    // Only sides that traded appear, in the legend too; a fill outside the bars drawn so far is not marked.
    const sets = SIDES.flatMap((s) => {
      const points: MarkerPoint[] = trades.flatMap((tr) => {
        const at = tr.side === s.side ? barPosition(ms, bars, Date.parse(tr.t)) : null;
        return at === null ? [] : [{ i: at, close: tr.price, label: `${s.name} ${tr.quantity} at ${price(tr.price)}` }];
      });
      return points.length > 0 ? [{ ...s, points }] : [];
    });
    const range = extent([prices.map((p) => p.close), sets.flatMap((m) => m.points.map((p) => p.close))]);
    const first = prices[0];
    const last = prices[prices.length - 1];
    const text = first && last ? `${symbol} closes from ${price(first.close)} to ${price(last.close)} over ${prices.length} points` : `${symbol}: no prices`;
    return {
      data: prices.map((p) => ({ i: p.bar, close: p.close })),
      bars,
      sets,
      valueTicks: range ? niceTicks(range[0], range[1], 5) : [],
      summary: [text, ...sets.map((m) => `${m.points.length} ${m.name.toLowerCase()} markers`)].join("; "),
    };
  }, [symbol, prices, trades]);
  const timeAt = useMemo(() => barTimeAt(prices), [prices]);
  const labelAt = useMemo(() => barLabelAt(prices), [prices]);
  const legend: LegendEntry[] = [{ name: symbol, color: "var(--primary)" }, ...d.sets.map((m) => ({ name: m.name, color: m.color, marker: markersPath([{ x: 6, y: 6 }], m.shape) }))];
  const label = `Price chart for ${symbol}`;
  return (
    <ChartFrame label={label} height={HEIGHT} delayFrames={1} legend={<ChartLegend entries={legend} />} summary={d.summary}>
      {(width, complete) => (
        <ComposedChart width={width} height={HEIGHT} data={d.data} margin={CHART_MARGIN} aria-label={`${label}: arrow keys move along the line`}>
          {barAxes({ width, bars: d.bars, labelAt, valueTicks: d.valueTicks, formatValue: price, valueAxisWidth: VALUE_AXIS })}
          {complete && <Tooltip content={(props: TooltipContentProps<TooltipValueType, string | number>) => <PriceTooltip {...props} symbol={symbol} timeAt={timeAt} sets={d.sets} />} isAnimationActive={false} />}
          <Line type="linear" dataKey="close" name={symbol} stroke="var(--primary)" strokeWidth={1.5} dot={false} activeDot={{ r: 3 }} isAnimationActive={false} />
          {complete && d.sets.map((m) => (
            <Scatter key={m.side} name={m.name} data={m.points} dataKey="close" fill={m.color} shape={SHAPES[m.side]} isAnimationActive={false} tooltipType="none" />
          ))}
        </ComposedChart>
      )}
    </ChartFrame>
  );
}

function PriceTooltip({ active, payload, label, symbol, timeAt, sets }: TooltipContentProps<TooltipValueType, string | number> & { symbol: string; timeAt: (i: number) => string; sets: readonly { name: string; color: string; points: readonly MarkerPoint[] }[] }) {
  if (!active || label === undefined) return null;
  const at = Math.round(Number(label));
  const row = sets.flatMap((m) => m.points.filter((p) => Math.round(p.i) === at).map((p) => ({ key: `${m.name}${p.i}${p.label}`, color: m.color, label: p.label })));
  return (
    <div className="grid gap-0.5 rounded-md border bg-card px-2.5 py-1.5 text-xs shadow-sm">
      <span className="font-medium">{timeAt(at)}</span>
      {payload
        ?.filter((p) => p.dataKey === "close" && typeof p.value === "number" && p.name === symbol)
        .slice(0, 1)
        .map((p) => (
          <span key="close" style={{ color: "var(--primary)" }}>
            {symbol}: {price(p.value as number)}
          </span>
        ))}
      {row.slice(0, 4).map((t) => (
        <span key={t.key} style={{ color: t.color }}>
          {t.label}
        </span>
      ))}
    </div>
  );
}
