import { memo } from "react";
import { formatMoney } from "@/lib/viewer/format";
import type { PositionView } from "@/lib/viewer/types";

/** Cash, open positions (from the fills) and what they were worth at the last bar. */
/** Memoised: the viewer re-renders on every batch of events; this panel only when its own props change. */
export const PositionsPanel = memo(function PositionsPanel({ positions, cash, equity }: { positions: readonly PositionView[]; cash: number; equity: number | null }) {
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
          <dd className="font-medium tabular-nums">{equity === null ? "—" : formatMoney(equity - cash)}</dd>
        </div>
      </dl>
      {open.length === 0 ? (
        <p className="text-sm text-muted-foreground">No open positions{closed > 0 ? ` (${closed} closed)` : ""}.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" aria-label="Open positions">
            <thead>
              <tr className="border-b text-left text-xs text-muted-foreground">
                <th scope="col" className="py-1 pr-2 font-medium">Symbol</th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">Qty</th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">Avg cost</th>
                <th scope="col" className="py-1 text-right font-medium">Last fill</th>
              </tr>
            </thead>
            <tbody>
              {open.map((p) => (
                <tr key={p.symbol} className="border-b last:border-0">
                  <th scope="row" className="py-1 pr-2 text-left font-mono font-medium">
                    {p.symbol}
                    {p.quantity < 0 && <span className="ml-1 text-xs font-normal text-muted-foreground">(short)</span>}
                  </th>
                  <td className="py-1 pr-2 text-right tabular-nums">{p.quantity.toLocaleString("en-US")}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">{formatMoney(p.costBasis / p.quantity)}</td>
                  <td className="py-1 text-right tabular-nums">{formatMoney(p.lastPrice)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
});
