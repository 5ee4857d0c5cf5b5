import { checkWorkingOrder, EngineError, orderClassOf, timeInForceOf, workingOrdersFor, type EngineFailure, type Money, type OrderRequest, type WorkingOrder } from "@/lib/engine";
import type { BookOrder, PlacedOrder } from "./book";
import { lastPricesFor } from "./book-prices";
import { uuidFrom } from "./ids";
import { priceAt, type PriceLookup } from "./order-prices";
import { fields, placedBefore, placeOrderOnBook, reject, type BookOrderContext } from "./place-order";

/** Market orders of these times in force fill now, on the book, as the buy/sell tools' orders do. */
const FILLS_NOW = new Set(["day", "gtc", "ioc", "fok"]);

/**
 * Places an order of the order contract (issue #22: limit, stop, stop_limit, trailing_stop, brackets, oco,
 * oto; docs/trading.md "Working orders") on the session's book. A simple market order that can fill now
 * takes the market path (place-order.ts). Any other order is checked by the engine (checkWorkingOrder:
 * prices against the market, shares not promised to other orders, buying power less what working orders
 * reserve) and, accepted, becomes one to three working orders the fill model matches from the next bar on
 * (an order placed at bar t may fill at t's open or later, never earlier). A refusal is a rejected order,
 * written with the bar, as the market path does. Ids: the entry's derives from the key like a market
 * order's; a leg's from the key and its suffix (`:tp`, `:sl`), as is its key.
 */
export async function placeWorkingOrderOnBook(
  ctx: BookOrderContext,
  request: OrderRequest,
  key: string,
  audit: string,
  /** An option contract's order (place-option-order.ts): its price now is the modelled quote's, it is tradable on its own, no slippage. */
  quoted?: { lookup: PriceLookup; symbols: ReadonlySet<string> },
): Promise<PlacedOrder> {
  const { book } = ctx;
  const again = await placedBefore(ctx, key);
  if (again) return again;
  if (request.type === "market" && orderClassOf(request) === "simple" && FILLS_NOW.has(timeInForceOf(request))) {
    return placeOrderOnBook(ctx, { ...request, idempotencyKey: key });
  }

  const placedAt = ctx.clock.now();
  const id = uuidFrom(`order:${ctx.sessionId}:${key}`);
  const base = { id, idempotencyKey: key, decisionId: ctx.decisionId, placedAt, request: audit };
  // A refused order keeps what was asked (type, prices, time in force, class) on its row, for the audit.
  const refused = (error: EngineFailure, price: Money | null = null) => {
    const [asked] = workingOrdersFor(request, { id, placedAt: placedAt.getTime(), lastPrice: price ?? 1n });
    const order: WorkingOrder = { ...asked!, status: "rejected", waterMark: undefined, ...(request.type === "trailing_stop" ? { stopPrice: undefined } : {}) };
    return reject(book, base, request, error, price, { order, orderClass: orderClassOf(request), statusReason: null });
  };
  const lookup = quoted?.lookup ?? (await priceAt(ctx.market, request.symbol, placedAt));
  if (lookup.failure) return refused(lookup.failure);
  const lastPrices = await lastPricesFor(ctx.market, book, request.symbol, lookup.price);
  const checked = checkWorkingOrder({
    request,
    id,
    placedAt: placedAt.getTime(),
    account: { cash: book.cash, positions: book.positions },
    working: book.working(),
    lastPrices,
    fees: ctx.rules.fees,
    slippageBps: quoted ? 0 : ctx.rules.slippageBps,
    symbols: quoted?.symbols ?? new Set(ctx.market.universe),
    settings: ctx.rules.settings,
  });
  if (!checked.ok) {
    const failed = EngineError.from(checked.error);
    if (failed.kind === "halt") throw failed;
    return refused(checked.error, lookup.price);
  }
  // The engine names legs `${id}:tp` and `${id}:sl`; the ledger's ids are UUIDs derived the same way.
  const suffixOf = (engineId: string) => engineId.slice(id.length);
  const rowId = (engineId: string | undefined) => (engineId === undefined ? undefined : engineId === id ? id : uuidFrom(`order:${ctx.sessionId}:${key}${suffixOf(engineId)}`));
  const legs: BookOrder[] = checked.value.orders.map((leg) => {
    const order: WorkingOrder = { ...leg, id: rowId(leg.id)!, parentId: rowId(leg.parentId), ocoWith: rowId(leg.ocoWith) };
    return {
      ...base,
      ...fields(request),
      id: order.id,
      idempotencyKey: `${key}${suffixOf(leg.id)}`,
      side: order.side,
      quantity: order.quantity,
      status: order.status,
      referencePrice: lookup.price,
      rejectCode: null,
      rejectMessage: null,
      request: leg.id === id ? audit : null,
      working: { order, orderClass: orderClassOf(request), statusReason: null },
    };
  });
  return book.recordWorking(legs);
}
