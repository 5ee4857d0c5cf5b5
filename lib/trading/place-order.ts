import {
  applyFillToPosition,
  checkOrder,
  EngineError,
  flatPosition,
  parseOrderRequest,
  type EngineFailure,
  type Money,
  type OrderRequest,
  type ProposedFill,
} from "@/lib/engine";
import { auditCopyOf, idempotencyKeyOf, type PlaceOrderInput } from "./order-input";
import { lastPricesFor, reservedOnBook } from "./book-prices";
import { marginMarksFor, priceAt } from "./order-prices";
import type { PriceSource } from "./price-source";
import type { SessionTradingRules } from "./trading-settings";
import type { BookOrder, PlacedOrder, SessionBook } from "./book";
import { uuidFrom } from "./ids";

/** What placing an order on a book needs: all of it from the session's context, none from the order. */
export interface BookOrderContext {
  readonly sessionId: string;
  readonly clock: { now(): Date };
  readonly market: PriceSource;
  readonly book: SessionBook;
  readonly rules: SessionTradingRules;
  readonly decisionId: string | null;
  /** The order stored under a key by an earlier runner (a retried call from a bar already committed). */
  readonly storedOrder: (idempotencyKey: string) => Promise<PlacedOrder>;
}

/**
 * Places a market order on the session's book, at the open of the bar at the clock: checked by the
 * engine against the book's cash and positions, then filled or rejected in memory and answered at once.
 * A rejection is an order with a code and a message, as the ledger stores it; a request without a usable
 * idempotency key throws INVALID_IDEMPOTENCY_KEY and records nothing. The same key returns the first
 * result (`duplicate: true`), whether it was placed this bar or stored before. Written by the bar's commit.
 */
export async function placeOrderOnBook(ctx: BookOrderContext, input: PlaceOrderInput): Promise<PlacedOrder> {
  const key = idempotencyKeyOf(input);
  const { book } = ctx;
  const again = await placedBefore(ctx, key);
  if (again) return again;

  const placedAt = ctx.clock.now();
  const id = uuidFrom(`order:${ctx.sessionId}:${key}`);
  const base = { id, idempotencyKey: key, decisionId: ctx.decisionId, placedAt, request: null };
  const request = parseOrderRequest(input);
  if (!request.ok) return reject(book, { ...base, request: auditCopyOf(input) }, null, request.error);
  const order = request.value;
  const lookup = await priceAt(ctx.market, order.symbol, placedAt);
  if (lookup.failure) return reject(book, base, order, lookup.failure);

  // Working orders hold back cash and shares: a market order spends only what they leave (docs/engine.md, "Reservations").
  // (Without a price checkOrder refuses MARKET_CLOSED before it needs them.)
  const reserved = book.working().length > 0 && lookup.price !== null ? reservedOnBook(book, await lastPricesFor(ctx.market, book, order.symbol, lookup.price), ctx.rules) : undefined;
  const checked = checkOrder({
    request: order,
    account: { cash: book.cash, positions: book.positions },
    price: lookup.price,
    reserved,
    marks: lookup.price === null ? undefined : await marginMarksFor(ctx.market, book.positions, order.symbol, order.side),
    fees: ctx.rules.fees,
    slippageBps: ctx.rules.slippageBps,
    symbols: new Set(ctx.market.universe),
    settings: ctx.rules.settings,
  });
  if (!checked.ok) {
    const failed = EngineError.from(checked.error);
    if (failed.kind === "halt") throw failed;
    return reject(book, base, order, checked.error, lookup.price);
  }
  return recordFilled(book, ctx.sessionId, base, checked.value);
}

/**
 * An order filled at once on the book as `proposed` says (checkOrder's answer, or an expiry's settlement): the
 * position after the fill, then the order and its fill recorded, the fill's id derived from the session and the
 * order's key (the same after a crash). `proposed` was checked: a fill the position refuses is our bug (halt).
 */
export function recordFilled(
  book: SessionBook,
  sessionId: string,
  base: Pick<BookOrder, "id" | "idempotencyKey" | "decisionId" | "placedAt" | "request" | "reason" | "comboParentId">,
  proposed: ProposedFill,
): PlacedOrder {
  const { symbol, side, quantity, referencePrice, price, fee, cashDelta, cashAfter } = proposed;
  const before = book.positions.get(symbol) ?? flatPosition(symbol);
  const fillId = uuidFrom(`fill:${sessionId}:${base.idempotencyKey}`);
  const applied = applyFillToPosition(before, { id: fillId, symbol, side, quantity, price, fee });
  if (!applied.ok) throw EngineError.from(applied.error, "halt");
  const { position, realizedPnl } = applied.value;
  return book.record(
    { ...base, symbol, side, quantity, status: "filled", referencePrice, rejectCode: null, rejectMessage: null },
    {
      position,
      fill: { id: fillId, orderId: base.id, symbol, side, quantity, referencePrice, price, fee, cashDelta, cashAfter, realizedPnl, quantityAfter: position.quantity, filledAt: base.placedAt },
    },
  );
}

/**
 * The first result under `key` (`duplicate: true`), placed this bar or stored by an earlier runner before the book was
 * loaded; undefined for a new key. Every call that places orders asks this first: one key acts once.
 */
export async function placedBefore(ctx: Pick<BookOrderContext, "book" | "storedOrder">, key: string): Promise<PlacedOrder | undefined> {
  const earlier = ctx.book.placedUnder(key);
  if (earlier) return { ...earlier, duplicate: true };
  if (ctx.book.storedBefore(key)) return { ...(await ctx.storedOrder(key)), duplicate: true };
  return undefined;
}

export function reject(
  book: SessionBook,
  base: Pick<BookOrder, "id" | "idempotencyKey" | "decisionId" | "placedAt" | "request" | "reason">,
  order: OrderRequest | null,
  error: EngineFailure,
  referencePrice: Money | null = null,
  working?: BookOrder["working"],
): PlacedOrder {
  const type = order && order.type !== "market" ? { type: order.type } : {};
  return book.record({ ...base, ...fields(order), ...type, working, status: "rejected", referencePrice, rejectCode: error.code, rejectMessage: error.message }, null);
}

export function fields(order: OrderRequest | null) {
  return { symbol: order?.symbol ?? null, side: order?.side ?? null, quantity: order?.quantity ?? null };
}
