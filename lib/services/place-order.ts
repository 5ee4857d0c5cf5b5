import "server-only";
import { getDb, type Db, type Executor, type Tx } from "@/lib/db/client";
import { lockAccountBySessionId } from "@/lib/db/queries/accounts";
import {
  getOrderWithFillByIdempotencyKey,
  insertOrderWithFill,
  insertRejectedOrder,
  type FillRecord,
  type OrderOwner,
  type OrderRecord,
} from "@/lib/db/queries/orders";
import { listPositionsForOrder, type PositionState } from "@/lib/db/queries/positions";
import { withCorePipeline, withUser } from "@/lib/db/rls";
import {
  applyFillToPosition,
  checkOrder,
  EngineError,
  flatPosition,
  parseMoney,
  parseOrderRequest,
  toDecimalString as dec,
  transition,
  type EngineFailure,
  type Money,
  type OrderRequest,
  type OrderStatus,
  type Position,
} from "@/lib/engine";
import { AppError, notFound } from "@/lib/errors";
import { assertId } from "./ids";
import { auditCopyOf, idempotencyKeyOf, type PlaceOrderInput } from "@/lib/trading/order-input";
import { marksFor, priceAt } from "@/lib/trading/order-prices";
import type { TradingContext } from "@/lib/trading/context";
import type { PriceSource } from "@/lib/trading/price-source";
import { parseTradingSettings } from "@/lib/trading/trading-settings";

/**
 * The part of the one TradingContext an order placed straight on the ledger needs (no book: the account row,
 * locked, is the book here), with any price source. Built by the caller from the authenticated request and
 * the session, never from the order. A session's runner places its orders on its book instead
 * (lib/trading/place-order.ts).
 */
export type OrderContext = Pick<TradingContext, "userId" | "modelId" | "sessionId" | "clock"> & {
  readonly market: PriceSource;
  readonly decisionId?: string | null;
};

export type UserOrderContext = OrderContext & Pick<TradingContext, "claims">;

export type { PlaceOrderInput } from "@/lib/trading/order-input";

/** The stored order, its fill if it traded, and whether an earlier request with the same key made them. */
export interface PlaceOrderResult {
  order: OrderRecord;
  fill: FillRecord | null;
  duplicate: boolean;
}

/** Statuses through the engine's state machine: new → accept → fill, or new → reject. */
const settle = (...events: Parameters<typeof transition>[1][]) =>
  events.reduce<OrderStatus>((status, event) => {
    const next = transition(status, event);
    if (!next.ok) throw EngineError.from(next.error);
    return next.value;
  }, "new");
const FILLED = settle("accept", "fill");
const REJECTED = settle("reject");
const ENDED_SESSION = new Set(["completed", "failed", "cancelled"]);

/**
 * Places a market order for the model and session of `ctx`, inside the caller's transaction `tx`, which
 * must already act as the user (withUser). Rejections are stored orders with a code and a message, and
 * so is a request that fails validation; a request without a usable idempotency key throws
 * INVALID_IDEMPOTENCY_KEY and stores nothing. The same key returns the first result (`duplicate: true`).
 * Flow and guarantees: docs/ledger.md.
 */
export async function placeOrder(tx: Tx, ctx: OrderContext, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  return (await placeOrderIn(tx, ctx, input)) ?? storedUnder(tx, ownerOf(ctx, input));
}

/**
 * placeOrder in its own transaction as the user of `ctx.claims`, in three round trips:
 * [BEGIN + role, lock, reads], [write], [COMMIT] (withUserPipeline).
 */
export async function placeOrderAsUser(ctx: UserOrderContext, input: PlaceOrderInput, db: Db = getDb()): Promise<PlaceOrderResult> {
  if (ctx.claims.sub !== ctx.userId) throw new AppError("halt", "CONTEXT_MISMATCH", "ctx.userId is not the subject of ctx.claims");
  const result = await withCorePipeline(ctx.claims, (tx) => placeOrderIn(tx, ctx, input), db);
  // The key was taken by another session of this model after our reads: read the winner as the user.
  return result ?? withUser(ctx.claims, (tx) => storedUnder(tx, ownerOf(ctx, input)), db);
}

/** Who places the order and when; throws INVALID_IDEMPOTENCY_KEY for an unusable key. */
function ownerOf(ctx: OrderContext, input: PlaceOrderInput): OrderOwner {
  const { userId, modelId, sessionId } = ctx;
  return { userId, modelId, sessionId, idempotencyKey: idempotencyKeyOf(input), decisionId: ctx.decisionId ?? null, placedAt: ctx.clock.now() };
}

/** The use case; null when its write found the key taken (nothing written): the caller reads the stored order. */
async function placeOrderIn(tx: Executor, ctx: OrderContext, input: PlaceOrderInput): Promise<PlaceOrderResult | null> {
  const owner = ownerOf(ctx, input);
  assertId(ctx.sessionId, "Trading session");
  assertId(ctx.modelId, "Trading session");
  const request = parseOrderRequest(input);
  const { userId, modelId, sessionId, idempotencyKey, placedAt } = owner;

  // One round trip, pipelined in this order; statements after the lock see all that committed before it.
  const [account, existing, positionRows, lookup] = await Promise.all([
    lockAccountBySessionId(tx, { sessionId, userId, modelId }),
    getOrderWithFillByIdempotencyKey(tx, { modelId, idempotencyKey, userId }),
    request.ok ? listPositionsForOrder(tx, { sessionId, userId, symbol: request.value.symbol }) : [],
    request.ok ? priceAt(ctx.market, request.value.symbol, placedAt) : null,
  ]);
  if (!account) throw notFound("Trading session");
  if (existing) return { ...existing, duplicate: true }; // a retry gets the first result, whatever changed since
  if (ENDED_SESSION.has(account.sessionStatus)) {
    throw new AppError("reject", "SESSION_ENDED", `This session is ${account.sessionStatus}: it takes no more orders`);
  }
  if (!request.ok || !lookup) return reject(tx, owner, null, request.ok ? null : request.error, auditCopyOf(input));
  const order = request.value;
  if (lookup.failure) return reject(tx, owner, order, lookup.failure);

  const rules = parseTradingSettings(account.settings);
  const positions = new Map(positionRows.map((p) => [p.symbol, toPosition(p)]));
  const otherShorts = positionRows.filter((p) => p.quantity < 0 && p.symbol !== order.symbol).map((p) => p.symbol);
  const needsMarks = (order.side === "buy" || order.side === "sell_short") && otherShorts.length > 0;
  const checked = checkOrder({
    request: order,
    account: { cash: parseMoney(account.cash), positions },
    price: lookup.price,
    marks: needsMarks ? await marksFor(ctx.market, otherShorts) : undefined,
    fees: rules.fees,
    slippageBps: rules.slippageBps,
    symbols: new Set(ctx.market.universe),
    settings: rules.settings,
  });
  if (!checked.ok) {
    const failed = EngineError.from(checked.error);
    if (failed.kind === "halt") throw failed;
    return reject(tx, owner, order, checked.error, null, lookup.price);
  }
  const proposed = checked.value;
  const before = positions.get(order.symbol) ?? flatPosition(order.symbol);
  const applied = applyFillToPosition(before, { id: idempotencyKey, ...order, price: proposed.price, fee: proposed.fee });
  if (!applied.ok) throw EngineError.from(applied.error, "halt"); // the check passed it: our bug, whatever its code
  const { position, realizedPnl } = applied.value;

  const fill = {
    symbol: order.symbol,
    side: order.side,
    quantity: order.quantity,
    referencePrice: dec(proposed.referencePrice),
    price: dec(proposed.price),
    fee: dec(proposed.fee),
    cashDelta: dec(proposed.cashDelta),
    cashAfter: dec(proposed.cashAfter),
    realizedPnl: realizedPnl === null ? null : dec(realizedPnl),
  };
  const written = await insertOrderWithFill(tx, {
    ...owner,
    ...fill,
    status: FILLED,
    position: { quantity: position.quantity, costBasis: dec(position.costBasis), realizedPnl: dec(position.realizedPnl), feesPaid: dec(position.feesPaid) },
    account: {
      id: account.id,
      feesPaid: dec(parseMoney(account.feesPaid) + proposed.fee),
      realizedPnl: dec(parseMoney(account.realizedPnl) + (realizedPnl ?? 0n)),
    },
  });
  if (!written) return null; // the same key won in another session of this model
  return {
    order: {
      ...orderFields(owner, order),
      id: written.orderId,
      status: FILLED,
      filledQuantity: order.quantity,
      referencePrice: fill.referencePrice,
      rejectCode: null,
      rejectMessage: null,
      createdAt: written.orderCreatedAt,
    },
    fill: { ...fill, id: written.fillId, orderId: written.orderId, quantityAfter: position.quantity, filledAt: placedAt, createdAt: written.fillCreatedAt },
    duplicate: false,
  };
}

/** Stores a rejected order: `order` null when the request did not parse (then `request` keeps its audit copy). */
async function reject(
  tx: Executor,
  owner: OrderOwner,
  order: OrderRequest | null,
  error: EngineFailure | null,
  request: string | null = null,
  referencePrice: Money | null = null,
): Promise<PlaceOrderResult | null> {
  const rejectCode = error?.code ?? "INVALID_REQUEST";
  const rejectMessage = error?.message ?? "invalid order request";
  const price = referencePrice === null ? null : dec(referencePrice);
  const row = await insertRejectedOrder(tx, { ...owner, ...orderFields(owner, order), status: REJECTED, referencePrice: price, rejectCode, rejectMessage, request });
  if (!row) return null;
  return {
    order: { ...orderFields(owner, order), id: row.id, status: REJECTED, filledQuantity: 0, referencePrice: price, rejectCode, rejectMessage, createdAt: row.createdAt },
    fill: null,
    duplicate: false,
  };
}

async function storedUnder(tx: Executor, owner: OrderOwner): Promise<PlaceOrderResult> {
  const stored = await getOrderWithFillByIdempotencyKey(tx, owner);
  if (!stored) throw new AppError("retry", "IDEMPOTENCY_CONFLICT", "The order key was taken by a transaction that has not finished; retry");
  return { ...stored, duplicate: true };
}

function orderFields(owner: OrderOwner, order: OrderRequest | null) {
  return {
    sessionId: owner.sessionId,
    modelId: owner.modelId,
    idempotencyKey: owner.idempotencyKey,
    decisionId: owner.decisionId,
    symbol: order?.symbol ?? null,
    side: order?.side ?? null,
    type: "market" as const,
    quantity: order?.quantity ?? null,
    placedAt: owner.placedAt,
  };
}

function toPosition(p: PositionState): Position {
  return {
    symbol: p.symbol,
    quantity: p.quantity,
    costBasis: parseMoney(p.costBasis),
    realizedPnl: parseMoney(p.realizedPnl),
    feesPaid: parseMoney(p.feesPaid),
  };
}
