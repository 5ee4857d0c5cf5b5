import { isOccSymbol, parseOccSymbol, priceToMoney, type Money, type Position } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import { optionQuoteAt, sessionOf, type MarketView, type OptionChainRow } from "@/lib/market";

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

export async function optionQuoteOn(market: MarketView, symbol: string, held: { unquotedModelled?: boolean } = {}): Promise<OptionQuoteMoney> {
  return quoteMoney((await optionQuoteAt(market, symbol, held)).row);
}

/**
 * What the market data says in words when it cannot price a contract now (not listed, no quote, too little history:
 * the order is refused MARKET_CLOSED); null for any other error, which is ours and propagates.
 */
export function unpricedBecause(e: unknown): string | null {
  const code = (e as { code?: unknown }).code;
  return code === "INVALID_REQUEST" || code === "NO_DATA" || code === "NOT_ENOUGH_BARS" ? (e as Error).message : null;
}

/** A chain row's bid, ask and mid in money. */
export function quoteMoney(row: Pick<OptionChainRow, "symbol" | "bid" | "ask" | "mid">): OptionQuoteMoney {
  return { bid: priceToMoney(row.bid, row.symbol), ask: priceToMoney(row.ask, row.symbol), mid: priceToMoney(row.mid, row.symbol) };
}

/** What is held is always priced: a contract without a quote of its own is marked by the model (optionQuoteAt). */
export const HELD = { unquotedModelled: true } as const;

/** The price a position is marked at now: a stock's quote, a contract's modelled mid. */
export async function markOf(market: MarketView, symbol: string): Promise<Money> {
  if (isOccSymbol(symbol)) return (await optionQuoteOn(market, symbol, HELD)).mid;
  return priceToMoney((await market.quote(symbol)).price, symbol);
}

/** `prices` with every open contract among `positions` marked at its modelled mid (the same map when none is held). */
export async function withOptionMarks(market: MarketView, positions: readonly Position[], prices: ReadonlyMap<string, Money>): Promise<ReadonlyMap<string, Money>> {
  const contracts = positions.filter((p) => p.quantity !== 0 && isOccSymbol(p.symbol));
  if (contracts.length === 0) return prices;
  const marked = new Map(prices);
  for (const p of contracts) marked.set(p.symbol, (await optionQuoteOn(market, p.symbol, HELD)).mid);
  return marked;
}

/** The close of `expiry`'s session (16:00 New York, or an early close): when its contracts are settled. */
export function expiryCloseOf(expiry: string): Date {
  const session = sessionOf(expiry);
  if (!session) throw new AppError("halt", "INVALID_MODEL_INPUT", `the expiry ${expiry} is not a trading day`);
  return session.close;
}

/** Whether `symbol` is a contract whose expiry has closed by `now` (it is settled at this bar, and has no quote). */
export function expiredBy(symbol: string, now: Date): boolean {
  if (!isOccSymbol(symbol)) return false;
  const c = parseOccSymbol(symbol);
  return c.ok && expiryCloseOf(c.value.expiry).getTime() <= now.getTime();
}
