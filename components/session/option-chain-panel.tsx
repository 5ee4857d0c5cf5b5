"use client";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useId, useState } from "react";
import { getOptionChainAction } from "@/app/(app)/sessions/actions";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Select } from "@/components/ui/select";
import { formatClock, formatMoney, formatShare } from "@/lib/viewer/format";
import type { OptionChainRowView } from "@/lib/viewer/types";

/** How often an open chain is asked for again while the session runs. */
const CHAIN_REFRESH_MS = 10_000;

/**
 * An underlying's MODELLED option chain at the session's clock (get_option_chain's answer, through
 * getOptionChainAction): one expiry at a time, calls | strike | puts with bid, ask, implied volatility and delta, the
 * underlying's price between the strikes below and above it. Asked for only once a person opens it.
 */
export function OptionChainPanel({
  sessionId,
  symbols,
  initialUnderlying,
  running,
  interval,
}: {
  sessionId: string;
  symbols: readonly string[];
  initialUnderlying: string;
  running: boolean;
  interval: "day" | "hour" | "minute";
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [underlying, setUnderlying] = useState(initialUnderlying);
  const [expiry, setExpiry] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ["session", sessionId, "option-chain", underlying, expiry],
    queryFn: async () => {
      const res = await getOptionChainAction(sessionId, underlying, expiry);
      if (!res.ok) throw new Error(res.message);
      return res.chain;
    },
    enabled: open && underlying !== "",
    staleTime: running ? CHAIN_REFRESH_MS : Infinity,
    refetchInterval: open && running ? CHAIN_REFRESH_MS : false,
    refetchOnWindowFocus: false,
    retry: false,
    placeholderData: (previous) => previous,
  });
  if (!open) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-sm text-muted-foreground">Calls and puts of a symbol of this session at its clock: quoted where the market data has quotes, else modelled.</p>
        <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
          Show the option chain
        </Button>
      </div>
    );
  }
  const chain = q.data;
  const strikes = chain ? [...new Set(chain.contracts.map((c) => c.strike))].sort((a, b) => a - b) : [];
  const row = (strike: number, right: "call" | "put") => chain?.contracts.find((c) => c.strike === strike && c.right === right);
  const cells = (r: OptionChainRowView | undefined) =>
    [r?.bid, r?.ask].map((v, i) => (
      <td key={i} className="px-1.5 py-0.5 text-right tabular-nums">
        {v === undefined ? "—" : v.toFixed(2)}
      </td>
    ));
  const greekCells = (r: OptionChainRowView | undefined) => (
    <>
      <td className="px-1.5 py-0.5 text-right tabular-nums">{formatShare(r?.iv)}</td>
      <td className="px-1.5 py-0.5 text-right tabular-nums">{r ? r.delta.toFixed(2) : "—"}</td>
    </>
  );
  const spot = chain?.underlyingPrice ?? 0;
  const firstAbove = strikes.findIndex((k) => k >= spot);
  return (
    <div className="grid gap-2" data-testid="option-chain">
      <div className="flex flex-wrap items-end gap-3">
        <div className="grid gap-1">
          <label htmlFor={`${id}-underlying`} className="text-xs text-muted-foreground">
            Underlying
          </label>
          <Select
            id={`${id}-underlying`}
            className="w-auto"
            value={underlying}
            onChange={(e) => {
              setUnderlying(e.target.value);
              setExpiry(null);
            }}
          >
            {symbols.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </Select>
        </div>
        <div className="grid gap-1">
          <label htmlFor={`${id}-expiry`} className="text-xs text-muted-foreground">
            Expiry
          </label>
          <Select id={`${id}-expiry`} className="w-auto" value={chain?.expiry ?? ""} disabled={!chain} onChange={(e) => setExpiry(e.target.value)}>
            {(chain?.expiries ?? []).map((e) => (
              <option key={e.expiry} value={e.expiry}>
                {e.expiry} ({e.kind})
              </option>
            ))}
          </Select>
        </div>
        {chain?.source === "quoted" ? (
          <Badge className="mb-1.5 border-emerald-600/60 bg-emerald-600/10 text-emerald-800 dark:text-emerald-200" title="Bids and asks quoted by the market-data provider at or before the clock; volatility and Greeks implied from each mid">
            Quoted
          </Badge>
        ) : (
          <Badge className="mb-1.5 border-amber-500/60 bg-amber-500/10 text-amber-800 dark:text-amber-200" title="Priced by Bullpen's model from the underlying's realised volatility, not quoted by an exchange">
            Modelled
          </Badge>
        )}
        {chain && (
          <p className="mb-1.5 text-xs text-muted-foreground" data-testid="option-chain-at">
            {chain.underlying} at {formatMoney(chain.underlyingPrice)}, {formatClock(chain.at, interval)}
          </p>
        )}
      </div>
      {q.error && (
        <p role="alert" className="text-sm text-destructive">
          Could not model the chain: {q.error.message}
        </p>
      )}
      {!chain && !q.error && <p className="text-sm text-muted-foreground">Modelling the chain…</p>}
      {chain && (
        <ScrollRegion label={`Option chain of ${chain.underlying} (scrolls)`} className="max-h-[28rem] overflow-auto rounded-md border">
          <table className="w-full text-xs" aria-label={`Option chain of ${chain.underlying}, expiry ${chain.expiry}, ${chain.source}`}>
            <thead className="sticky top-0 bg-card">
              <tr className="text-muted-foreground">
                <th scope="colgroup" colSpan={4} className="px-1.5 pt-1 text-center font-medium">
                  Calls
                </th>
                <th scope="col" rowSpan={2} className="border-x px-2 pt-1 text-center font-medium">
                  Strike
                </th>
                <th scope="colgroup" colSpan={4} className="px-1.5 pt-1 text-center font-medium">
                  Puts
                </th>
              </tr>
              <tr className="border-b text-muted-foreground">
                {["call", "put"].map((right) => (
                  <Fragment key={right}>
                    <th scope="col" className="px-1.5 py-1 text-right font-medium">Bid</th>
                    <th scope="col" className="px-1.5 py-1 text-right font-medium">Ask</th>
                    <th scope="col" className="px-1.5 py-1 text-right font-medium">
                      <abbr title="Implied volatility" className="no-underline">IV</abbr>
                    </th>
                    <th scope="col" className="px-1.5 py-1 text-right font-medium">Delta</th>
                  </Fragment>
                ))}
              </tr>
            </thead>
            <tbody>
              {strikes.map((k, i) => (
                <Fragment key={k}>
                  {i === firstAbove && (
                    <tr className="bg-muted/60">
                      <td colSpan={9} className="px-1.5 py-0.5 text-center text-xs font-medium">
                        {chain.underlying} at {formatMoney(spot)}
                      </td>
                    </tr>
                  )}
                  <tr className="border-b last:border-0">
                    {cells(row(k, "call"))}
                    {greekCells(row(k, "call"))}
                    <th scope="row" className="border-x px-2 py-0.5 text-center font-medium tabular-nums">
                      {k.toFixed(2)}
                    </th>
                    {cells(row(k, "put"))}
                    {greekCells(row(k, "put"))}
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </div>
  );
}
