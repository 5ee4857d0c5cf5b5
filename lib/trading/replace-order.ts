import { EngineError, replaceWorkingOrder, type EngineFailure, type Money, type ReplaceChanges, type WorkingOrder } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import type { BookOrder, PlacedOrder } from "./book";
import { lastPricesFor } from "./book-prices";
import { uuidFrom } from "./ids";
import { priceAt } from "./order-prices";
import { placedBefore, type BookOrderContext } from "./place-order";

/** What a replace did: the new order (or the refused replacement, rejected) and the orders it ended. */
export interface ReplacedOrder extends PlacedOrder {
  replaced: BookOrder[];
}

const WORKING = new Set(["held", "accepted", "triggered", "partially_filled"]);

/**
 * replace_order on the session's book (lib/engine/replace-working-order.ts; docs/trading.md "Replacing an order").
 * Keyed like place_order: the same key answers the first result (`duplicate`), from the book or from the ledger.
 * - An id the book does not hold as working: ORDER_ENDED when this session has it (ended this bar, or stored ended:
 *   `storedStatus` reads it as the user), else UNKNOWN_ORDER, the same words for another session's or user's id as for
 *   one that never existed. Thrown: nothing is written. So are the engine's refusals without a candidate (a triggered
 *   or partly filled order, nothing to change, a field the type does not take, a combination the contract refuses).
 * - What the market refuses (a stop on the wrong side, not enough free cash): a rejected order, written with the bar,
 *   linked to the order it tried to replace, which keeps working unchanged.
 * - Accepted: the old order (and a waiting entry's legs) end `replaced`, each linked to what replaced it; the new
 *   orders go on the book, each linked to the one it replaced; the other leg of a pair points at the new leg. Ids:
 *   the new order's derives from the session and the key like any order's, a new leg's from the key and `:tp`/`:sl`.
 */
export async function replaceOrderOnBook(
  ctx: BookOrderContext & { storedStatus: (id: string) => Promise<string | null> },
  targetId: string,
  changes: ReplaceChanges,
  key: string,
  audit: string,
): Promise<ReplacedOrder> {
  const { book } = ctx;
  const again = await placedBefore(ctx, key);
  if (again) return { ...again, replaced: [] };

  const target = book.orderById(targetId);
  if (!target?.working || !WORKING.has(target.status)) {
    const status = target?.status ?? (await ctx.storedStatus(targetId));
    if (status !== null && !WORKING.has(status)) {
      throw new AppError("reject", "ORDER_ENDED", `order ${targetId} is ${status}: it has ended and cannot be replaced; place a new order instead (get_orders shows the working ones)`);
    }
    throw new AppError("reject", "UNKNOWN_ORDER", `no working order ${targetId} in this session: it never existed here; get_orders shows the working ones`);
  }

  const placedAt = ctx.clock.now();
  const id = uuidFrom(`order:${ctx.sessionId}:${key}`);
  const symbol = target.working.order.symbol;
  const lookup = await priceAt(ctx.market, symbol, placedAt);
  const lastPrices = await lastPricesFor(ctx.market, book, symbol, lookup.price);
  const result = replaceWorkingOrder({
    working: book.working(),
    targetId,
    orderClass: target.working.orderClass,
    changes,
    newId: id,
    placedAt: placedAt.getTime(),
    account: { cash: book.cash, positions: book.positions },
    lastPrices,
    fees: ctx.rules.fees,
    slippageBps: ctx.rules.slippageBps,
    symbols: new Set(ctx.market.universe),
    settings: ctx.rules.settings,
  });
  // The engine names a replaced entry's legs `${id}:tp` and `${id}:sl`; the ledger's ids are UUIDs derived the same way.
  const suffixOf = (engineId: string) => engineId.slice(id.length);
  const rowId = (engineId: string | undefined) =>
    engineId === undefined || !engineId.startsWith(id) ? engineId : engineId === id ? id : uuidFrom(`order:${ctx.sessionId}:${key}${suffixOf(engineId)}`);
  const asRow = (o: WorkingOrder): WorkingOrder => ({ ...o, id: rowId(o.id)!, parentId: rowId(o.parentId), ocoWith: rowId(o.ocoWith) });
  const base = { decisionId: ctx.decisionId, placedAt, rejectCode: null, rejectMessage: null, referencePrice: lookup.price };

  if (!result.ok) {
    const failed = EngineError.from(result.error);
    if (failed.kind === "halt" || result.candidate === null) throw failed;
    return { ...rejected(ctx, { ...base, id, idempotencyKey: key, request: audit }, asRow(result.candidate), target, result.error, lookup.price), replaced: [] };
  }
  const { ended, orders, relinked, orderClass } = result.value;
  const replaced = ended.map((e) => book.moveWorking(e.order, e.reason, { replacedById: rowId(e.by), endedAt: placedAt }));
  for (const o of relinked) book.moveWorking(o);
  const replacing = new Map(ended.map((e) => [e.by, e.order.id]));
  const legs: BookOrder[] = orders.map((engineOrder, k) => {
    const order = asRow(engineOrder);
    return {
      ...base,
      id: order.id,
      idempotencyKey: `${key}${suffixOf(engineOrder.id)}`,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      status: order.status,
      request: k === 0 ? audit : null,
      replacesId: replacing.get(engineOrder.id),
      working: { order, orderClass, statusReason: null },
    };
  });
  return { ...book.recordWorking(legs), replaced };
}

/** The refused replacement as a rejected order: what was asked stays on its row, with the order it tried to replace. */
function rejected(
  ctx: BookOrderContext,
  base: Pick<BookOrder, "id" | "idempotencyKey" | "decisionId" | "placedAt" | "request">,
  candidate: WorkingOrder,
  target: BookOrder,
  error: EngineFailure,
  price: Money | null,
): PlacedOrder {
  // It keeps its parent (whose bracket it belongs to) but pairs with nothing: the old leg is still the pair's.
  const order: WorkingOrder = { ...candidate, id: base.id, status: "rejected", ocoWith: undefined, waterMark: undefined, ...(candidate.type === "trailing_stop" ? { stopPrice: undefined } : {}) };
  return ctx.book.record(
    {
      ...base,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      type: order.type,
      status: "rejected",
      referencePrice: price,
      rejectCode: error.code,
      rejectMessage: error.message,
      replacesId: target.id,
      working: { order, orderClass: target.working!.orderClass, statusReason: null },
    },
    null,
  );
}
