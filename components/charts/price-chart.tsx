"use client";
import { useMemo } from "react";
import { fractionalIndex, type MarkerShape } from "@/lib/viewer/chart";
import { SeriesChart, type ChartMarkerSet, type ChartSeries } from "./series-chart";

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

/** Each side has its own colour and its own shape (colour is never the only signal). */
const SIDES: readonly { side: TradeMarker["side"]; name: string; color: string; shape: MarkerShape }[] = [
  { side: "buy", name: "Buy", color: "var(--success)", shape: "up" },
  { side: "sell", name: "Sell", color: "var(--destructive)", shape: "down" },
  { side: "sell_short", name: "Short", color: "oklch(0.65 0.17 55)", shape: "diamond" },
  { side: "buy_to_cover", name: "Cover", color: "oklch(0.6 0.15 300)", shape: "square" },
];

// Formatters built once: toLocaleString with options builds a new Intl.DateTimeFormat per call.
const timeFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "America/New_York" });
const priceFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const time = (iso: string) => timeFormat.format(new Date(iso));
const price = (v: number) => priceFormat.format(v);

/** A symbol's closes with the session's fills marked by side, at the bar they were filled in. */
export function PriceChart({ symbol, prices, trades }: { symbol: string; prices: readonly PricePoint[]; trades: readonly TradeMarker[] }) {
  const { times, series, markers, summary } = useMemo(() => {
    const ms = prices.map((p) => Date.parse(p.t));
    const line: ChartSeries = { name: symbol, values: prices.map((p) => p.close), color: "var(--primary)" };
    // Only sides that traded appear, in the legend too; a fill outside the bars drawn so far is not marked.
    const sets: ChartMarkerSet[] = SIDES.flatMap((s) => {
      const points = trades.flatMap((tr) => {
        const at = tr.side === s.side ? fractionalIndex(ms, Date.parse(tr.t)) : null;
        return at === null ? [] : [{ at, value: tr.price, label: `${s.name} ${tr.quantity} at ${price(tr.price)}` }];
      });
      return points.length > 0 ? [{ name: s.name, color: s.color, shape: s.shape, points }] : [];
    });
    const first = prices[0];
    const last = prices[prices.length - 1];
    const text = first && last ? `${symbol} closes from ${price(first.close)} to ${price(last.close)} over ${prices.length} points` : `${symbol}: no prices`;
    return { times: prices.map((p) => p.t), series: [line], markers: sets, summary: [text, ...sets.map((m) => `${m.points.length} ${m.name.toLowerCase()} markers`)].join("; ") };
  }, [symbol, prices, trades]);
  return (
    <SeriesChart
      label={`Price chart for ${symbol}`}
      height={256}
      times={times}
      series={series}
      markers={markers}
      formatTime={time}
      formatValue={price}
      valueAxisWidth={64}
      summary={summary}
    />
  );
}
