import { isOccSymbol, notional, OPTION_MULTIPLIER, priceToMoney, type Money, type OptionRight, type Position } from "@/lib/engine";
import { optionQuoteAt, type MarketView } from "@/lib/market";
import { HELD } from "./option-prices";

/**
 * The Greeks of a book's open option positions at the market view's clock (issue #23: portfolio Greeks). Each
 * contract's numbers are its row of the modelled chain (optionQuoteAt, through the view's gate): nothing is priced
 * again here. Per share as the chain shows them (theta per calendar day, vega per volatility point); a position's
 * are × quantity × 100 (signed: a short's delta of a call is negative), so its delta is in share-equivalents, its
 * theta and vega in dollars.
 */
export interface GreekTotals {
  /** Share-equivalents. */
  readonly delta: number;
  /** Share-equivalents gained per $1 the underlying rises. */
  readonly gamma: number;
  /** Dollars a calendar day. */
  readonly theta: number;
  /** Dollars per volatility point. */
  readonly vega: number;
  /** At the mark (the mid), exact money as the portfolio's market value. */
  readonly value: Money;
}

export interface OptionPositionGreeks {
  readonly symbol: string;
  readonly underlying: string;
  readonly expiry: string;
  readonly right: OptionRight;
  readonly strike: number;
  /** Contracts, signed (negative: written). */
  readonly quantity: number;
  /** The underlying's price the chain is modelled at. */
  readonly underlyingPrice: number;
  readonly daysToExpiry: number;
  readonly iv: number;
  /** The mid, per share: what the position is marked at. */
  readonly mark: number;
  readonly delta: number;
  readonly gamma: number;
  readonly theta: number;
  readonly vega: number;
  readonly source: "modelled" | "quoted";
  readonly position: GreekTotals;
}

export interface UnderlyingDelta {
  readonly underlying: string;
  /** Shares held (signed). */
  readonly shares: number;
  /** The options' delta in share-equivalents. */
  readonly optionDelta: number;
  /** shares + optionDelta. */
  readonly netDelta: number;
}

export interface BookOptionGreeks {
  readonly at: Date;
  /** Each contract's row is quoted or modelled (its `source`); "mixed" when the book holds both. */
  readonly source: "modelled" | "quoted" | "mixed";
  /** The rate and dividend yield the chain prices at (a payoff "today" is priced with them). */
  readonly rate: number;
  readonly dividendYield: number;
  /** By symbol. */
  readonly positions: readonly OptionPositionGreeks[];
  readonly totals: GreekTotals;
  /** Per underlying of the contracts held: the shares held beside them and the net delta. */
  readonly underlyings: readonly UnderlyingDelta[];
}

/** The Greeks of `positions`' open contracts at `market`'s clock; null when no contract is held (nothing is asked of the market). */
export async function bookOptionGreeks(market: MarketView, positions: readonly Position[]): Promise<BookOptionGreeks | null> {
  const contracts = positions.filter((p) => p.quantity !== 0 && isOccSymbol(p.symbol)).sort((a, b) => a.symbol.localeCompare(b.symbol));
  if (contracts.length === 0) return null;
  const quoted = await Promise.all(contracts.map(async (p) => ({ p, ...(await optionQuoteAt(market, p.symbol, HELD)) })));
  const rows = quoted.map(({ p, row, chain }): OptionPositionGreeks => {
    const n = p.quantity * OPTION_MULTIPLIER;
    return {
      symbol: row.symbol,
      underlying: row.underlying,
      expiry: row.expiry,
      right: row.right,
      strike: row.strike,
      quantity: p.quantity,
      underlyingPrice: chain.spot,
      daysToExpiry: row.daysToExpiry,
      iv: row.iv,
      mark: row.mid,
      delta: row.delta,
      gamma: row.gamma,
      theta: row.theta,
      vega: row.vega,
      source: row.source,
      position: { delta: n * row.delta, gamma: n * row.gamma, theta: n * row.theta, vega: n * row.vega, value: notional(p.quantity, priceToMoney(row.mid, p.symbol), p.symbol) },
    };
  });
  const sum = (pick: (g: GreekTotals) => number) => rows.reduce((s, r) => s + pick(r.position), 0);
  const totals: GreekTotals = { delta: sum((g) => g.delta), gamma: sum((g) => g.gamma), theta: sum((g) => g.theta), vega: sum((g) => g.vega), value: rows.reduce((s, r) => s + r.position.value, 0n) };
  const underlyings = [...new Set(rows.map((r) => r.underlying))].sort().map((underlying): UnderlyingDelta => {
    const shares = positions.find((p) => p.symbol === underlying)?.quantity ?? 0;
    const optionDelta = rows.filter((r) => r.underlying === underlying).reduce((s, r) => s + r.position.delta, 0);
    return { underlying, shares, optionDelta, netDelta: shares + optionDelta };
  });
  const { chain } = quoted[0]!;
  const sources = new Set(rows.map((r) => r.source));
  return { at: chain.at, source: sources.size > 1 ? "mixed" : rows[0]!.source, rate: chain.rate, dividendYield: chain.dividendYield, positions: rows, totals, underlyings };
}
