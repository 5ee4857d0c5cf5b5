"use client";
import { useMemo } from "react";
import { ComposedChart, Line, ReferenceLine, Scatter, Tooltip, type TooltipContentProps, type TooltipValueType } from "recharts";
import { barPosition, extent, labelOffsets, markersPath, niceTicks, type MarkerShape } from "@/lib/viewer/chart";
import type { OrderLevel } from "@/lib/viewer/working-orders";
import { barAxes, barLabelAt, barTimeAt, CHART_MARGIN } from "./bar-axes";
import { ChartFrame, ChartLegend, type LegendEntry } from "./chart-frame";
import { countOf } from "@/lib/format";

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

/** Working orders' levels: a colour and a dash pattern each (colour is never the only signal), and their words. */
const LEVELS: Record<OrderLevel["kind"], { name: string; color: string; dash: string }> = {
  limit: { name: "Limit", color: "oklch(0.58 0.16 250)", dash: "6 3" },
  stop: { name: "Stop", color: "var(--destructive)", dash: "2 3" },
  trailing: { name: "Trailing stop", color: "oklch(0.65 0.17 55)", dash: "10 3 2 3" },
};

/** A level's label: plain SVG text at the right end of its line, above it (nothing measured). */
function LevelLabel({ viewBox, text, dy }: { viewBox?: { x?: number; y?: number; width?: number }; text: string; dy: number }) {
  const { x = 0, y = 0, width = 0 } = viewBox ?? {};
  return (
    <text x={x + width - 4} y={y - 3 + dy} textAnchor="end" fontSize={11} fill="var(--foreground)" className="pointer-events-none">
      {text}
    </text>
  );
}

const HEIGHT = 228;
const VALUE_AXIS = 64;
/** The plot's height: the chart's, less its top margin and the time axis (bar-axes.tsx). */
const PLOT_HEIGHT = HEIGHT - CHART_MARGIN.top - CHART_MARGIN.bottom - 24;
const LEVEL_LABEL_GAP = 12;

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
export function PriceChart({ symbol, prices, trades, levels = [] }: { symbol: string; prices: readonly PricePoint[]; trades: readonly TradeMarker[]; levels?: readonly OrderLevel[] }) {
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
    // The working orders' levels are inside the value axis' range, so each line shows where it stands.
    const range = extent([prices.map((p) => p.close), sets.flatMap((m) => m.points.map((p) => p.close)), levels.map((l) => l.price)]);
    const first = prices[0];
    const last = prices[prices.length - 1];
    const text = first && last ? `${symbol} closes from ${price(first.close)} to ${price(last.close)} over ${prices.length} points` : `${symbol}: no prices`;
    const valueTicks = range ? niceTicks(range[0], range[1], 5) : [];
    // Levels close together (a stop-loss under a trailing stop) would print their labels over each other.
    const levelOffsets = valueTicks.length > 1 ? labelOffsets(levels.map((l) => l.price), valueTicks[0]!, valueTicks[valueTicks.length - 1]!, PLOT_HEIGHT, LEVEL_LABEL_GAP) : levels.map(() => 0);
    return {
      data: prices.map((p) => ({ i: p.bar, close: p.close })),
      bars,
      sets,
      valueTicks,
      levelOffsets,
      summary: [
        text,
        ...sets.map((m) => countOf(m.points.length, `${m.name.toLowerCase()} marker`)),
        ...(levels.length > 0 ? [`working order levels: ${levels.map((l) => l.label).join(", ")}`] : []),
      ].join("; "),
    };
  }, [symbol, prices, trades, levels]);
  const timeAt = useMemo(() => barTimeAt(prices), [prices]);
  const labelAt = useMemo(() => barLabelAt(prices), [prices]);
  const kinds = [...new Set(levels.map((l) => l.kind))];
  const legend: LegendEntry[] = [
    { name: symbol, color: "var(--primary)" },
    ...d.sets.map((m) => ({ name: m.name, color: m.color, marker: markersPath([{ x: 6, y: 6 }], m.shape) })),
    ...kinds.map((k) => ({ name: `${LEVELS[k].name} level`, color: LEVELS[k].color, dash: LEVELS[k].dash })),
  ];
  const label = `Price chart for ${symbol}`;
  return (
    <ChartFrame label={label} height={HEIGHT} delayFrames={1} legend={<ChartLegend entries={legend} />} summary={d.summary}>
      {(width, complete) => (
        <ComposedChart width={width} height={HEIGHT} data={d.data} margin={CHART_MARGIN} aria-label={`${label}: arrow keys move along the line`}>
          {barAxes({ width, bars: d.bars, labelAt, valueTicks: d.valueTicks, formatValue: price, valueAxisWidth: VALUE_AXIS })}
          {complete && <Tooltip content={(props: TooltipContentProps<TooltipValueType, string | number>) => <PriceTooltip {...props} symbol={symbol} timeAt={timeAt} sets={d.sets} />} isAnimationActive={false} />}
          {levels.map((l, k) => (
            <ReferenceLine
              key={`${l.orderId}:${l.kind}`}
              y={l.price}
              stroke={LEVELS[l.kind].color}
              strokeDasharray={LEVELS[l.kind].dash}
              strokeWidth={1.5}
              ifOverflow="visible"
              label={<LevelLabel text={l.label} dy={d.levelOffsets[k] ?? 0} />}
            />
          ))}
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
