import { isOccSymbol, priceToMoney, type Money, type Position } from "@/lib/engine";
import { optionQuoteAt, type MarketView } from "@/lib/market";

/**
 * Option prices at the clock, in money: the modelled chain's bid, ask and mid of one contract (lib/market/option-chain-view.ts,
 * through the market view's gate). Option orders fill at the ask (buys) or the bid (sells), never at the mid;
 * positions are marked at the mid.
 */
export interface OptionQuoteMoney {
  readonly bid: Money;
  readonly ask: Money;
  readonly mid: Money;
}

export async function optionQuoteOn(market: MarketView, symbol: string): Promise<OptionQuoteMoney> {
  const { row } = await optionQuoteAt(market, symbol);
  return { bid: priceToMoney(row.bid, symbol), ask: priceToMoney(row.ask, symbol), mid: priceToMoney(row.mid, symbol) };
}

/** The price a position is marked at now: a stock's quote, a contract's modelled mid. */
export async function markOf(market: MarketView, symbol: string): Promise<Money> {
  if (isOccSymbol(symbol)) return (await optionQuoteOn(market, symbol)).mid;
  return priceToMoney((await market.quote(symbol)).price, symbol);
}

/** `prices` with every open contract among `positions` marked at its modelled mid (the same map when none is held). */
export async function withOptionMarks(market: MarketView, positions: readonly Position[], prices: ReadonlyMap<string, Money>): Promise<ReadonlyMap<string, Money>> {
  const contracts = positions.filter((p) => p.quantity !== 0 && isOccSymbol(p.symbol));
  if (contracts.length === 0) return prices;
  const marked = new Map(prices);
  for (const p of contracts) marked.set(p.symbol, (await optionQuoteOn(market, p.symbol)).mid);
  return marked;
}
