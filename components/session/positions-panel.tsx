"use client";
import { memo } from "react";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { multiplierOf } from "@/lib/engine/cash-ledger";
import { moneyToNumber } from "@/lib/engine/money";
import { parseOccSymbol } from "@/lib/engine/options/occ";
import { valuePosition } from "@/lib/viewer/derive";
import { cn } from "@/lib/utils";
import { formatMoney, formatSignedMoney, toneOf } from "@/lib/viewer/format";
import type { OptionPositionGreeksView, PositionView } from "@/lib/viewer/types";
import { formatDays, formatShares } from "@/lib/viewer/format";
import { useOptionGreeks } from "./use-option-greeks";

/** Cash, open positions (from the fills) and what they were worth at the last bar's marks. */
/** Memoised: the viewer re-renders on every batch of events; this panel only when its own props change. */
export const PositionsPanel = memo(function PositionsPanel({
  sessionId,
  positions,
  cash,
  equity,
  running,
}: {
  sessionId: string;
  positions: readonly PositionView[];
  cash: number;
  equity: number | null;
  /** The session may still trade: the option Greeks are asked for again every few seconds. */
  running: boolean;
}) {
  const greeks = useOptionGreeks(sessionId, positions, running);
  const greeksOf = new Map((greeks.data?.positions ?? []).map((g) => [g.symbol, g]));
  const open = positions.filter((p) => p.quantity !== 0);
  const closed = positions.length - open.length;
  return (
    <div className="grid gap-3">
      <dl className="grid grid-cols-2 gap-2 text-sm">
        <div>
          <dt className="text-xs text-muted-foreground">Cash</dt>
          <dd className="font-medium tabular-nums" data-testid="cash">
            {formatMoney(cash)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted-foreground">Positions at last bar</dt>
          <dd className="font-medium tabular-nums" data-testid="positions-value">{equity === null ? "—" : formatMoney(equity - cash)}</dd>
        </div>
      </dl>
      {open.length === 0 ? (
        <p className="text-sm text-muted-foreground">No open positions{closed > 0 ? ` (${closed} closed)` : ""}.</p>
      ) : (
        <ScrollRegion label="Open positions (scrolls sideways)" className="overflow-x-auto">
          <table className="w-full text-sm" aria-label="Open positions">
            <thead>
              <tr className="border-b text-left text-xs text-muted-foreground">
                <th scope="col" className="py-1 pr-1.5 font-medium">Symbol</th>
                <th scope="col" className="py-1 pr-1.5 text-right font-medium">Qty</th>
                <th scope="col" className="py-1 pr-1.5 text-right font-medium">Price</th>
                <th scope="col" className="py-1 pr-1.5 text-right font-medium">Value</th>
                <th scope="col" className="py-1 text-right font-medium">
                  <abbr title="Unrealized profit and loss" className="no-underline">P&amp;L</abbr>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((p) => {
                const { marketValue, unrealized } = valuePosition(p);
                return (
                  <tr key={p.symbol} className="border-b last:border-0">
                    <th scope="row" className="py-1 pr-1.5 text-left font-normal">
                      <SymbolLabel symbol={p.symbol} short={p.quantity < 0} />
                      <span className="block text-xs text-muted-foreground tabular-nums">avg {formatMoney(p.costBasis / p.quantity / multiplierOf(p.symbol))}</span>
                      {greeksOf.has(p.symbol) && <OptionLine g={greeksOf.get(p.symbol)!} />}
                    </th>
                    <td className="py-1 pr-1.5 text-right tabular-nums">{p.quantity.toLocaleString("en-US")}</td>
                    <td className="py-1 pr-1.5 text-right tabular-nums">{formatMoney(p.lastPrice)}</td>
                    <td className="py-1 pr-1.5 text-right tabular-nums" data-testid="position-value">
                      {formatMoney(marketValue)}
                    </td>
                    <td className={cn("py-1 text-right tabular-nums", toneOf(unrealized))}>{formatSignedMoney(unrealized)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="mt-1 text-xs text-muted-foreground">Price: the quote at the last bar, which the position is valued at; avg: its average cost; P&amp;L: unrealized. A short&apos;s value is negative.</p>
        </ScrollRegion>
      )}
      {greeks.error && (
        <p role="alert" className="text-xs text-destructive">
          Could not model the option Greeks: {greeks.error.message}
        </p>
      )}
    </div>
  );
});

/** A stock's ticker; a contract as people read it ("AAPL 260 call, Oct 17 2025") over its OCC symbol, which wraps where it must. */
function SymbolLabel({ symbol, short }: { symbol: string; short: boolean }) {
  const c = parseOccSymbol(symbol);
  const mark = short && <span className="ml-1 text-xs text-muted-foreground">({c.ok ? "written" : "short"})</span>;
  if (!c.ok) {
    return (
      <>
        <span className="font-mono font-medium">{symbol}</span>
        {mark}
      </>
    );
  }
  const { underlying, expiry, right, strike } = c.value;
  const day = new Date(`${expiry}T12:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
  return (
    <>
      <span className="font-medium whitespace-nowrap">
        {underlying} {moneyToNumber(strike).toLocaleString("en-US", { maximumFractionDigits: 3 })} {right}
      </span>
      {mark}
      <span className="block text-xs text-muted-foreground whitespace-nowrap">{day}</span>
      <span className="block font-mono text-[11px] text-muted-foreground break-all">{symbol}</span>
    </>
  );
}

/** An option position's days to expiry and Greeks in words, under its symbol (the Options panel has them in full). */
function OptionLine({ g }: { g: OptionPositionGreeksView }) {
  return (
    <span className="block text-xs text-muted-foreground tabular-nums" data-testid="position-greeks">
      {formatDays(g.daysToExpiry)} days to expiry · delta {formatShares(g.position.delta)} · theta {formatSignedMoney(g.position.theta)}/day · vega {formatSignedMoney(g.position.vega)}
    </span>
  );
}
