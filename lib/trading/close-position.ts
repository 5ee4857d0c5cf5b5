import { isOccSymbol } from "@/lib/engine";
import type { MarketView } from "@/lib/market";
import { placeOptionOrderOnBook } from "./place-option-order";
import { createHash } from "node:crypto";
import type { OrderSide, WorkingOrder } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import type { BookOrder, PlacedOrder } from "./book";
import { lastPricesFor, reservedOnBook } from "./book-prices";
import { cancelOrderOnBook } from "./cancel-order";
import { priceAt } from "./order-prices";
import { placedBefore, placeOrderOnBook, type BookOrderContext } from "./place-order";

/** A close on the book: its market order, and the working orders cancelled to free the shares it sells or covers. */
export interface ClosedPosition {
  symbol: string;
  /** The position before the close (negative: short). */
  held: number;
  quantity: number;
  placed: PlacedOrder;
  cancelled: BookOrder[];
}

/**
 * The shares a close of `percent` % of `held` trades: all of them at 100 %, else ⌊|held| × percent / 100⌋ (whole
 * shares, rounded down: a close never trades more than asked). `percent` has at most 2 decimals (the contract's).
 * Zero shares (a small percent of a small position) is refused in words with the smallest percent that trades one.
 */
export function closeQuantity(symbol: string, held: number, percent: number): number {
  const size = Math.abs(held);
  const bps = Math.round(percent * 100);
  if (bps >= 10_000) return size;
  const quantity = Math.floor((size * bps) / 10_000);
  if (quantity > 0) return quantity;
  const smallest = Math.ceil(10_000 / size) / 100;
  throw new AppError(
    "reject",
    "QUANTITY_ROUNDS_TO_ZERO",
    `${percent}% of ${size} ${symbol} is ${(size * bps) / 10_000} shares, which rounds down to 0 (whole shares only); ask for at least ${smallest}% or close_position it all; nothing was done`,
  );
}

/**
 * Closes `percent` % of the session's position in `symbol` with a market order on the book (a long: sell; a short:
 * buy_to_cover), at the open of the bar at the clock, like the sell and cover tools. Keyed by the tool call like any
 * order: the same key answers the first result (`duplicate`) and cancels nothing again.
 *
 * The rule for working orders (docs/trading.md, "Closing positions"): the close needs its shares free, and a working
 * exit of the symbol (a sell of a long, a cover of a short: stop-losses, take-profits, limits) holds them
 * (reservations.ts). Such exits are cancelled, newest first, until the shares the close trades are free: a close of the
 * whole position cancels every exit holding its shares (they would have nothing left to sell); a partial one only as
 * many as it needs. Entries (buy, sell_short) stay working, and so do a bracket's exits still waiting for an entry
 * that has filled nothing (they hold no shares yet). Alpaca's close_position also clears the symbol's open orders;
 * here only those that conflict, and the answer names each one. Without a price at the clock nothing is cancelled:
 * the market order is the rejected one (MARKET_CLOSED), as a sell's would be.
 * Refused before anything happens, nothing written: no position in the symbol (NO_POSITION), a percent that rounds
 * to no share (QUANTITY_ROUNDS_TO_ZERO).
 */
export async function closePositionOnBook(ctx: BookOrderContext & { market: MarketView }, symbol: string, percent: number, key: string): Promise<ClosedPosition> {
  const { book } = ctx;
  const again = await placedBefore(ctx, key);
  if (again) return closedAgain(symbol, again);

  const held = book.positions.get(symbol)?.quantity ?? 0;
  if (held === 0) {
    const open = book.openPositions().map((p) => `${p.symbol} ${p.quantity}`);
    throw new AppError("reject", "NO_POSITION", `you hold no ${symbol}, so there is nothing to close (open positions: ${open.length > 0 ? open.join(", ") : "none"}); nothing was done`);
  }
  const quantity = closeQuantity(symbol, held, percent);
  if (isOccSymbol(symbol)) {
    // A contract: closed at the bid (long) or the ask (written) like any option order; no working exits hold contracts.
    const intent = held > 0 ? ({ side: "sell", positionIntent: "sell_to_close" } as const) : ({ side: "buy", positionIntent: "buy_to_close" } as const);
    const placed = await placeOptionOrderOnBook(ctx, { symbol, quantity, ...intent }, key, JSON.stringify({ symbol, percent }));
    return { symbol, held, quantity, placed, cancelled: [] };
  }
  const side: OrderSide = held > 0 ? "sell" : "buy_to_cover";
  const cancelled: BookOrder[] = [];
  const lookup = await priceAt(ctx.market, symbol, ctx.clock.now());
  if (!lookup.failure) {
    for (;;) {
      const prices = await lastPricesFor(ctx.market, book, symbol, lookup.price);
      const reserved = reservedOnBook(book, prices, ctx.rules);
      const promised = (side === "sell" ? reserved?.sellShares : reserved?.coverShares)?.get(symbol) ?? 0;
      if (Math.abs(held) - promised >= quantity) break;
      const exit = holdingExits(book.working(), symbol, side).at(-1);
      if (!exit) break; // cannot happen while the reservations are right; the market order then says what is short
      cancelled.push(cancelOrderOnBook(ctx, exit.id));
    }
  }
  const placed = await placeOrderOnBook(ctx, { symbol, side, quantity, type: "market", idempotencyKey: key });
  return { symbol, held, quantity, placed, cancelled };
}

/** The working exits of `symbol` on `side` that hold shares of the position now, oldest first. */
function holdingExits(working: readonly WorkingOrder[], symbol: string, side: OrderSide): WorkingOrder[] {
  const filled = new Map(working.map((o) => [o.id, o.filledQuantity]));
  return working.filter((o) => o.symbol === symbol && o.side === side && (o.status !== "held" || (filled.get(o.parentId ?? "") ?? 0) > 0));
}

function closedAgain(symbol: string, placed: PlacedOrder): ClosedPosition {
  const q = placed.order.quantity ?? 0;
  const held = placed.fill ? placed.fill.quantityAfter + (placed.fill.side === "sell" ? q : -q) : 0;
  return { symbol, held, quantity: q, placed: { ...placed, duplicate: true }, cancelled: [] };
}

/** The key of close_all_positions' close of one symbol: `<key>:<symbol>`, hashed when it would pass 200 characters. */
export function closeAllKey(key: string, symbol: string): string {
  const k = `${key}:${symbol}`;
  if (k.length <= 200) return k;
  return `${key.slice(0, key.indexOf(":") + 1)}sha256-${createHash("sha256").update(k).digest("hex")}`;
}
