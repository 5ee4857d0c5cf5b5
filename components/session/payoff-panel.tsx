"use client";
import { useId, useState } from "react";
import { PayoffChart } from "@/components/charts/payoff-chart";
import { Select } from "@/components/ui/select";
import { isOccSymbol, OPTION_MULTIPLIER } from "@/lib/engine/options/occ";
import { formatMoney } from "@/lib/viewer/format";
import { payoffCurve, type PayoffInput } from "@/lib/viewer/payoff";
import type { OptionGreeksView, PositionView } from "@/lib/viewer/types";

/**
 * The payoff diagram of one option position held (lib/viewer/payoff.ts): what it makes or loses at expiry and today
 * across the underlying's price, from its average cost and the Greeks' volatility, days left and price now.
 */
export function PayoffPanel({ positions, greeks }: { positions: readonly PositionView[]; greeks: OptionGreeksView | null | undefined }) {
  const id = useId();
  const contracts = positions.filter((p) => p.quantity !== 0 && isOccSymbol(p.symbol));
  const [chosen, setChosen] = useState<string | null>(null);
  const symbol = chosen !== null && contracts.some((c) => c.symbol === chosen) ? chosen : (contracts[0]?.symbol ?? null);
  const held = contracts.find((c) => c.symbol === symbol);
  const g = greeks?.positions.find((x) => x.symbol === symbol);
  const input: PayoffInput | null =
    held && g && greeks
      ? {
          right: g.right,
          strike: g.strike,
          quantity: held.quantity,
          premium: held.costBasis / held.quantity / OPTION_MULTIPLIER,
          spot: g.underlyingPrice,
          daysToExpiry: g.daysToExpiry,
          volatility: g.iv,
          rate: greeks.rate,
          dividendYield: greeks.dividendYield,
        }
      : null;
  if (contracts.length === 0) return null;
  return (
    <div className="grid content-start gap-2" data-testid="payoff">
      <h3 className="text-sm font-medium">Payoff</h3>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${id}-position`} className="text-sm">
          Position
        </label>
        <Select id={`${id}-position`} className="w-auto font-mono" value={symbol ?? ""} onChange={(e) => setChosen(e.target.value)}>
          {contracts.map((c) => (
            <option key={c.symbol} value={c.symbol}>
              {c.symbol} ({c.quantity < 0 ? `${-c.quantity} written` : `${c.quantity} held`})
            </option>
          ))}
        </Select>
      </div>
      {input ? (
        <PayoffFigure symbol={symbol!} quoted={g?.source === "quoted"} {...input} />
      ) : (
        <p className="text-sm text-muted-foreground">{greeks === undefined ? "Modelling the position…" : "This contract is not modelled yet; it shows at the next refresh."}</p>
      )}
    </div>
  );
}

/**
 * The chart and its note for one position. Its props are numbers, so the React Compiler prices the curve again only
 * when one of them changes (a new bar's marks do not change them; a refresh of the Greeks may).
 */
function PayoffFigure({ symbol, quoted, right, strike, quantity, premium, spot, daysToExpiry, volatility, rate, dividendYield }: PayoffInput & { symbol: string; quoted: boolean }) {
  const input = { right, strike, quantity, premium, spot, daysToExpiry, volatility, rate, dividendYield };
  const curve = payoffCurve(input);
  return (
    <>
      <PayoffChart label={`Payoff of ${symbol}`} points={curve.points} breakeven={curve.breakeven} spot={input.spot} />
      <p className="text-sm text-muted-foreground" data-testid="payoff-note">
        {curve.breakeven === null ? "No breakeven" : <>Breakeven at expiry: <strong className="text-foreground">{formatMoney(curve.breakeven)}</strong></>} ·{" "}
        {input.quantity > 0 ? "paid" : "received"} {formatMoney(input.premium)} a share · underlying now {formatMoney(input.spot)} · {input.daysToExpiry.toFixed(1)} days left at{" "}
        {(input.volatility * 100).toFixed(1)}% volatility ({quoted ? "implied by its quote" : "modelled"}). &ldquo;Today&rdquo; prices the contract now by the engine&apos;s model at each price.
      </p>
    </>
  );
}
