import type { OptionRowOutput } from "@/lib/agent/tool-contract";
import type { ModelledChain, ModelledOptionRow } from "@/lib/market";

/** A modelled contract as the option tools show it: prices to the cent (mid to the half cent), Greeks to readable digits. */
export function optionRowOutput(r: ModelledOptionRow): OptionRowOutput {
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
export function chainModelOutput(c: ModelledChain) {
  return { realisedVolatility: round(c.volatility.short, 4), longRunVolatility: round(c.volatility.long, 4), rate: c.rate, dividendYield: c.dividendYield };
}

/** Rounded half away from zero, with −0 as 0 (a far put's theta of −0.00001 shows as 0). */
function round(v: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.sign(v) * Math.round(Math.abs(v) * f) / f;
  return r === 0 ? 0 : r;
}
