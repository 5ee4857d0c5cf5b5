import type { OptionRowOutput, PortfolioOptionsOutput } from "@/lib/agent/tool-contract";
import type { OptionChain, OptionChainRow } from "@/lib/market";
import type { BookOptionGreeks, GreekTotals } from "../option-greeks";
import { dollarsText } from "./format";

/** A contract of a chain (modelled or quoted) as the option tools show it: prices to the cent (mid to the half cent), Greeks to readable digits. */
export function optionRowOutput(r: OptionChainRow): OptionRowOutput {
  return {
    symbol: r.symbol,
    expiry: r.expiry,
    right: r.right,
    strike: r.strike,
    bid: r.bid,
    ask: r.ask,
    mid: r.mid,
    iv: round(r.iv, 4),
    delta: round(r.delta, 4),
    gamma: round(r.gamma, 5),
    theta: round(r.theta, 4),
    vega: round(r.vega, 4),
    source: r.source,
  };
}

/** The chain's model: its realised volatilities, rate and dividend yield. */
export function chainModelOutput(c: OptionChain) {
  return { realisedVolatility: c.volatility && round(c.volatility.short, 4), longRunVolatility: c.volatility && round(c.volatility.long, 4), rate: c.rate, dividendYield: c.dividendYield };
}

/** get_portfolio's `options`: a contract's Greeks per share as its chain row shows them; a position's and the totals to readable digits. */
export function portfolioOptionsOutput(g: BookOptionGreeks): PortfolioOptionsOutput {
  const totals = (t: GreekTotals) => ({ delta: round(t.delta, 2), gamma: round(t.gamma, 4), theta: round(t.theta, 2), vega: round(t.vega, 2), value: dollarsText(t.value) });
  return {
    at: g.at.toISOString(),
    source: g.source,
    positions: g.positions.map((p) => ({
      symbol: p.symbol,
      underlying: p.underlying,
      expiry: p.expiry,
      right: p.right,
      strike: p.strike,
      quantity: p.quantity,
      underlyingPrice: p.underlyingPrice,
      daysToExpiry: round(p.daysToExpiry, 2),
      iv: round(p.iv, 4),
      mark: p.mark,
      delta: round(p.delta, 4),
      gamma: round(p.gamma, 5),
      theta: round(p.theta, 4),
      vega: round(p.vega, 4),
      source: p.source,
      position: totals(p.position),
    })),
    totals: totals(g.totals),
    underlyings: g.underlyings.map((u) => ({ underlying: u.underlying, shares: u.shares, optionDelta: round(u.optionDelta, 2), netDelta: round(u.netDelta, 2) })),
  };
}

/** Rounded half away from zero, with −0 as 0 (a far put's theta of −0.00001 shows as 0). */
function round(v: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.sign(v) * Math.round(Math.abs(v) * f) / f;
  return r === 0 ? 0 : r;
}
