"use client";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { formatClock, formatDays, formatMoney, formatShare, formatShares, formatSignedMoney } from "@/lib/viewer/format";
import { cn } from "@/lib/utils";
import type { OptionGreeksView, PositionView } from "@/lib/viewer/types";
import { isOccSymbol } from "@/lib/engine/options/occ";

/**
 * The Greeks of the option positions (useOptionGreeks), one row per contract held and their total: days to expiry,
 * implied volatility, and the position's delta (share-equivalents), theta (dollars a day) and vega (dollars per
 * volatility point). A contract bought since the last refresh shows dashes until the next one.
 */
export function OptionGreeksTable({
  positions,
  greeks,
  error,
  interval,
}: {
  positions: readonly PositionView[];
  greeks: OptionGreeksView | null | undefined;
  error: string | null;
  interval: "day" | "hour" | "minute";
}) {
  const contracts = positions.filter((p) => p.quantity !== 0 && isOccSymbol(p.symbol));
  if (contracts.length === 0) return null;
  const bySymbol = new Map((greeks?.positions ?? []).map((g) => [g.symbol, g]));
  return (
    <div className="grid content-start gap-1" data-testid="option-greeks">
      <h3 className="text-sm font-medium">Option Greeks</h3>
      {error && (
        <p role="alert" className="text-xs text-destructive">
          Could not model the Greeks: {error}
        </p>
      )}
      <ScrollRegion label="Option Greeks (scrolls sideways)" className="overflow-x-auto">
        <table className="w-full text-sm" aria-label="Option Greeks">
          <thead>
            <tr className="border-b text-left text-xs text-muted-foreground">
              <th scope="col" className="py-1 pr-1.5 font-medium">Contract</th>
              <th scope="col" className="py-1 pr-1.5 text-right font-medium">Days to expiry</th>
              <th scope="col" className="py-1 pr-1.5 text-right font-medium">
                <abbr title="Implied volatility" className="no-underline">IV</abbr>
              </th>
              <th scope="col" className="py-1 pr-1.5 text-right font-medium">Delta</th>
              <th scope="col" className="py-1 pr-1.5 text-right font-medium">Theta</th>
              <th scope="col" className="py-1 text-right font-medium">Vega</th>
            </tr>
          </thead>
          <tbody>
            {contracts.map((p) => {
              const g = bySymbol.get(p.symbol);
              return (
                <tr key={p.symbol} className="border-b last:border-0">
                  <th scope="row" className="py-1 pr-1.5 text-left font-normal">
                    <span className="font-mono text-xs font-medium">{p.symbol}</span>
                    <span className="block text-xs text-muted-foreground">
                      {p.quantity.toLocaleString("en-US")} {p.quantity < 0 ? "written" : "held"}
                      {g ? ` · Δ ${g.delta.toFixed(2)} a contract` : ""}
                    </span>
                  </th>
                  <td className="py-1 pr-1.5 text-right tabular-nums">{formatDays(g?.daysToExpiry)}</td>
                  <td className="py-1 pr-1.5 text-right tabular-nums">{formatShare(g?.iv)}</td>
                  <td className="py-1 pr-1.5 text-right tabular-nums">{formatShares(g?.position.delta)}</td>
                  <td className="py-1 pr-1.5 text-right tabular-nums">{formatSignedMoney(g?.position.theta)}</td>
                  <td className="py-1 text-right tabular-nums">{formatSignedMoney(g?.position.vega)}</td>
                </tr>
              );
            })}
          </tbody>
          {greeks && contracts.length > 1 && (
            <tfoot>
              <tr className="border-t text-xs font-medium">
                <th scope="row" className="py-1 pr-1.5 text-left">Total</th>
                <td className="py-1 pr-1.5" />
                <td className="py-1 pr-1.5" />
                <td className="py-1 pr-1.5 text-right tabular-nums">{formatShares(greeks.totals.delta)}</td>
                <td className="py-1 pr-1.5 text-right tabular-nums">{formatSignedMoney(greeks.totals.theta)}</td>
                <td className="py-1 text-right tabular-nums">{formatSignedMoney(greeks.totals.vega)}</td>
              </tr>
            </tfoot>
          )}
        </table>
      </ScrollRegion>
      <p className="text-xs text-muted-foreground" data-testid="option-greeks-note">
        {greeks?.source === "quoted" ? "From quotes" : greeks?.source === "mixed" ? "From quotes and the model" : "Modelled"}
        {greeks ? ` at ${formatClock(greeks.at, interval)}` : ""}, per position (× contracts × 100): delta in shares, theta in dollars a day, vega in dollars per volatility point.
        {greeks && greeks.underlyings.length > 0 && (
          <> Net delta with the shares held: {greeks.underlyings.map((u) => `${u.underlying} ${formatShares(u.netDelta)}`).join(", ")}.</>
        )}
      </p>
      {greeks?.margin && (
        <p className={cn("text-sm", greeks.margin.excess < 0 && "font-medium text-destructive")} data-testid="option-margin">
          Margin of the written contracts: {formatMoney(greeks.margin.requirement)} required, {formatSignedMoney(greeks.margin.excess)} of cash beyond it
          {greeks.margin.excess < 0 ? " (a margin call: met by the next decision, or the shorts are bought back)" : ""}.
        </p>
      )}
    </div>
  );
}
