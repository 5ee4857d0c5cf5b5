import {
  checkOrder,
  EngineError,
  failure,
  parseOccSymbol,
  sideOfIntent,
  type EngineFailure,
  type OrderRequest,
  type Money,
  type OrderSide,
  type OrderType,
  type PositionIntent,
  type Reserved,
  priceToMoney,
} from "@/lib/engine";
import { placeWorkingOrderOnBook } from "./place-working-order";
import type { MarketView } from "@/lib/market";
import type { BookOrderContext } from "./place-order";
import { placedBefore, recordFilled, reject } from "./place-order";
import { optionQuoteOn, unpricedBecause } from "./option-prices";
import { reservedNow } from "./book-prices";
import { marginMarksFor } from "./order-prices";
import type { PlacedOrder } from "./book";
import { uuidFrom } from "./ids";

const CENT = 10_000n;

/** An option order as the tool takes it (lib/agent/option-tool-contract.ts, place_option_order), checked for shape. */
export interface OptionOrderInput {
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly positionIntent: PositionIntent;
  readonly quantity: number;
  readonly type?: OrderType;
  readonly limitPrice?: number;
  readonly timeInForce?: "day" | "gtc";
}

/**
 * A market order on an option contract (issue #23 item 5), on the session's book, at the clock: it fills whole at the
 * modelled chain's ask (a buy) or bid (a sell), never the mid, plus the fee per contract; cash × 100 a contract
 * (lib/engine/cash-ledger.ts). Long premium is paid in full from free cash. Writing contracts (sell_to_open) takes the
 * bid and must leave the cash the shorts then require (lib/engine/account-margin.ts: Reg-T for uncovered contracts,
 * nothing for calls covered by shares held); buying them back (buy_to_close) pays the ask. A contract the chain does not
 * list now (expired, off the grid), an underlying outside the session's universe, a bid of 0 for a sale: a rejected
 * order in words, written with the bar. The same key answers the first result (`duplicate`).
 */
export async function placeOptionOrderOnBook(ctx: BookOrderContext & { market: MarketView }, input: OptionOrderInput, key: string, request: string): Promise<PlacedOrder> {
  const { book } = ctx;
  const again = await placedBefore(ctx, key);
  if (again) return again;

  const placedAt = ctx.clock.now();
  const id = uuidFrom(`order:${ctx.sessionId}:${key}`);
  const base = { id, idempotencyKey: key, decisionId: ctx.decisionId, placedAt, request };
  const side = sideOfIntent(input.side, input.positionIntent);
  const type = input.type ?? "market";
  const limitPrice = input.limitPrice === undefined ? undefined : priceToMoney(input.limitPrice, input.symbol);
  const asked = { symbol: input.symbol, side: side.ok ? side.value : input.side, quantity: input.quantity, timeInForce: input.timeInForce ?? "day" } as const;
  // The row of a refused order keeps what was asked (its type and limit price), for the audit.
  const order = (type === "limit" && limitPrice !== undefined ? { ...asked, type, limitPrice } : { ...asked, type }) as OrderRequest;
  const refuse = (e: EngineFailure, price: bigint | null = null) => reject(book, base, order, e, price);
  if (type !== "market" && type !== "limit") {
    return refuse(failure("INVALID_ORDER_TYPE", `options take market and limit orders only, not ${type} orders (no stops or trailing stops on options, as at Alpaca)`));
  }
  if (type === "market" && limitPrice !== undefined) return refuse(failure("INVALID_ORDER_PRICE", "a market order takes no limitPrice: it fills at the ask (buys) or the bid (sells) now; send type \"limit\" to name a price"));
  if (type === "limit" && (limitPrice === undefined || limitPrice % CENT !== 0n)) {
    return refuse(failure("INVALID_ORDER_PRICE", `a limit order on an option needs a limitPrice in whole cents above 0 (the premium per share), got ${input.limitPrice ?? "none"}`));
  }
  if (!side.ok) return refuse(side.error);
  const contract = parseOccSymbol(input.symbol);
  if (!contract.ok) return refuse(contract.error);
  const { underlying } = contract.value;
  if (!ctx.market.universe.includes(underlying)) {
    return refuse(failure("UNKNOWN_SYMBOL", `${input.symbol}: its underlying ${underlying} is not in this session's universe (${ctx.market.universe.join(", ")})`));
  }
  let quote;
  try {
    quote = await optionQuoteOn(ctx.market, input.symbol);
  } catch (e) {
    const why = unpricedBecause(e);
    if (why === null) throw e;
    return refuse(failure("MARKET_CLOSED", why));
  }
  const buying = side.value === "buy" || side.value === "buy_to_cover";
  const price = buying ? quote.ask : quote.bid;
  // A limit order the quote does not reach now works across bars (match-option-orders.ts); one it reaches fills now, at the quote.
  if (limitPrice !== undefined && (buying ? price > limitPrice : price < limitPrice)) {
    const request = { ...(order as OrderRequest & { type: "limit" }), side: side.value };
    // A write must be one the account could carry filled at its limit now (Reg-T); it is checked again when it fills.
    if (side.value === "sell_short") {
      const asIfFilled = await checkWrite(ctx, input, limitPrice, quote.mid);
      if (!asIfFilled.ok) {
        if (EngineError.from(asIfFilled.error).kind === "halt") throw EngineError.from(asIfFilled.error);
        return refuse(asIfFilled.error, quote.mid);
      }
    }
    return placeWorkingOrderOnBook(ctx, request, key, base.request, { lookup: { price: quote.mid, failure: null }, symbols: new Set([input.symbol]) });
  }
  if (price <= 0n) return refuse(failure("MARKET_CLOSED", `${input.symbol} has no bid now (it is worth less than a tick): it cannot be sold or written; it expires worthless unless the underlying moves`));

  const reserved = await reservedNow(ctx.market, book, ctx.rules);
  const checked = await checkOptionFill(ctx, { symbol: input.symbol, side: side.value, quantity: input.quantity }, price, quote.mid, reserved);
  if (!checked.ok) {
    const failed = EngineError.from(checked.error);
    if (failed.kind === "halt") throw failed;
    return refuse(checked.error, price);
  }
  return recordFilled(book, ctx.sessionId, base, checked.value);
}

/**
 * An option order filled now at `price`, checked by the engine: as for stocks, working orders hold back cash
 * (`reserved`), and the margin check (lib/engine/account-margin.ts) values every short at its mark, written contracts
 * by the Reg-T rule on their underlying's price now, calls covered by shares free. The spread is the cost of trading
 * an option: no slippage on top of the bid or ask.
 */
export async function checkOptionFill(
  ctx: Pick<BookOrderContext, "book" | "rules"> & { market: MarketView },
  o: { symbol: string; side: OrderSide; quantity: number },
  price: Money,
  mid: Money,
  reserved: Reserved | undefined,
) {
  // A written contract is margined at its mark (the mid), as every bar re-marks it, not at the bid it is sold at.
  const marks = (await marginMarksFor(ctx.market, ctx.book.positions, o.symbol, o.side)) ?? new Map<string, Money>();
  marks.set(o.symbol, mid);
  return checkOrder({
    request: { ...o, type: "market" },
    account: { cash: ctx.book.cash, positions: ctx.book.positions },
    price,
    reserved,
    marks,
    fees: ctx.rules.fees,
    slippageBps: 0,
    symbols: new Set([o.symbol]),
    settings: ctx.rules.settings,
  });
}

/** A write at `limit` as if it filled now, against the book and what its working orders hold back. */
async function checkWrite(ctx: BookOrderContext & { market: MarketView }, input: OptionOrderInput, limit: Money, mid: Money) {
  return checkOptionFill(ctx, { symbol: input.symbol, side: "sell_short", quantity: input.quantity }, limit, mid > limit ? mid : limit, await reservedNow(ctx.market, ctx.book, ctx.rules));
}
