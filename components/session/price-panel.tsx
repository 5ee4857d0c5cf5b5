"use client";
import { useQuery } from "@tanstack/react-query";
import { memo, useId, useMemo, useState } from "react";
import { PriceChart, type TradeMarker } from "@/components/charts/price-chart";
import { Select } from "@/components/ui/select";
import { getSessionPricesAction } from "@/app/(app)/sessions/actions";
import { downsample, isSyntheticSymbol } from "@/lib/viewer/derive";
import type { FillView, WorkingOrderView } from "@/lib/viewer/types";
import { orderLevels } from "@/lib/viewer/working-orders";
import { countOf } from "@/lib/format";

const MAX_PRICE_POINTS = 600;
const MAX_MARKERS = 300;

/** Which symbol to show first: the most traded one of the universe (an option contract has no chart here), else its first. */
function defaultSymbol(symbols: readonly string[], fills: readonly FillView[]): string {
  const counts = new Map<string, number>();
  for (const f of fills) if (symbols.includes(f.symbol)) counts.set(f.symbol, (counts.get(f.symbol) ?? 0) + 1);
  let best = symbols[0] ?? "";
  let most = 0;
  for (const [s, c] of counts) if (c > most) [best, most] = [s, c];
  return best;
}

/**
 * A symbol's prices with the session's fills marked (buy, sell, short, cover). Bars are loaded once per
 * symbol; only those that closed before the session's clock are drawn, so the chart grows with the run.
 */
/** Memoised: the viewer re-renders on every batch of events; this panel only when its own props change. */
export const PricePanel = memo(function PricePanel({
  sessionId,
  symbols,
  fills,
  orders,
  clock,
  finished,
}: {
  sessionId: string;
  symbols: readonly string[];
  fills: readonly FillView[];
  /** The working orders: their limit, stop and trailing-stop levels of the symbol shown are drawn across the chart. */
  orders: readonly WorkingOrderView[];
  clock: string | null;
  finished: boolean;
}) {
  const id = useId();
  // The first symbol shown is fixed when the page loads; fills arriving later do not switch it under the reader.
  const [symbol, setSymbol] = useState(() => defaultSymbol(symbols, fills));
  const q = useQuery({
    queryKey: ["session", sessionId, "prices", symbol],
    queryFn: async () => {
      const res = await getSessionPricesAction(sessionId, symbol);
      if (!res.ok) throw new Error(res.message);
      return res.prices;
    },
    enabled: symbol !== "",
    staleTime: Infinity,
  });
  const prices = useMemo(() => {
    const all = q.data?.points ?? [];
    const limit = finished || !clock ? Infinity : Date.parse(clock);
    return downsample(
      all.flatMap((p, bar) => (Date.parse(p.t) <= limit ? [{ t: p.t, bar, close: p.close }] : [])),
      MAX_PRICE_POINTS,
      [(p) => p.close],
    );
  }, [q.data, clock, finished]);
  const all = useMemo(() => fills.filter((f) => f.symbol === symbol), [fills, symbol]);
  // Past a few hundred, markers only pile on each other (and each is an SVG shape): mark an even sample, and say so.
  const trades: TradeMarker[] = useMemo(
    () => downsample(all, MAX_MARKERS).map((f) => ({ t: f.filledAt, price: f.price, side: f.side, quantity: f.quantity })),
    [all],
  );
  const levels = useMemo(() => orderLevels(orders, symbol), [orders, symbol]);
  const synthetic = isSyntheticSymbol(symbol);
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="text-sm font-medium">
          Symbol
        </label>
        <Select id={id} value={symbol} onChange={(e) => setSymbol(e.target.value)} className="w-auto min-w-40">
          {symbols.map((s) => (
            <option key={s} value={s}>
              {isSyntheticSymbol(s) ? `${s} (synthetic)` : s}
            </option>
          ))}
        </Select>
        <span className="text-xs text-muted-foreground">
          {countOf(all.length, "fill")} in {symbol}
          {all.length > trades.length && ` (${trades.length} marked, evenly spaced)`}
          {levels.length > 0 && ` · ${levels.length === 1 ? "1 working order level" : `${levels.length} working order levels`}`}
          {synthetic && " · synthetic prices"}
        </span>
      </div>
      {q.isError ? (
        <p role="alert" className="text-sm text-destructive">
          Could not load prices for {symbol}: {q.error.message}
        </p>
      ) : q.isPending ? (
        <p className="grid h-64 place-items-center text-sm text-muted-foreground">Loading prices…</p>
      ) : prices.length === 0 ? (
        <p className="grid h-64 place-items-center rounded-md border border-dashed text-sm text-muted-foreground">No bars of {symbol} before the session clock yet.</p>
      ) : (
        <>
          <PriceChart symbol={symbol} prices={prices} trades={trades} levels={levels} />
          <p className="text-xs text-muted-foreground">
            Line: each bar&apos;s close. Markers: fill prices, on the bar each fill happened in (a market order&apos;s is the bar it was placed in; a working order&apos;s, the bar that reached its price).
            {levels.length > 0 && " Dashed lines: the limit, stop and trailing-stop levels of the working orders, where they stand now."}
          </p>
        </>
      )}
    </div>
  );
});
