import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor, Page } from "@/lib/db/client";
import { runPrepared, timestampOf, type Param } from "@/lib/db/prepared";
import { orders } from "@/lib/db/schema";
import type { OrderSide, OrderStatus, OrderType } from "@/lib/engine";

/**
 * Orders and the one-statement write of an order with its fill, position and account (placeOrder's
 * hot path). Money is a decimal string with 6 decimals, exactly as numeric(20,6) prints it.
 */
export type OrderRow = typeof orders.$inferSelect;

export interface OrderRecord {
  id: string;
  sessionId: string;
  modelId: string;
  idempotencyKey: string;
  decisionId: string | null;
  symbol: string | null;
  side: OrderSide | null;
  type: OrderType;
  quantity: number | null;
  status: OrderStatus;
  filledQuantity: number;
  referencePrice: string | null;
  rejectCode: string | null;
  rejectMessage: string | null;
  placedAt: Date;
  createdAt: Date;
}

export interface FillRecord {
  id: string;
  orderId: string;
  symbol: string;
  side: OrderSide;
  quantity: number;
  price: string;
  referencePrice: string;
  fee: string;
  cashDelta: string;
  cashAfter: string;
  realizedPnl: string | null;
  quantityAfter: number;
  filledAt: Date;
  createdAt: Date;
}

/** A session's orders in the order placed; `page` reads only that slice (the database skips the rest). */
export function listOrdersBySession(tx: Executor, { sessionId, userId }: { sessionId: string; userId: string }, page?: Page) {
  const q = tx
    .select()
    .from(orders)
    .where(and(eq(orders.sessionId, sessionId), eq(orders.userId, userId)))
    .orderBy(asc(orders.placedAt), asc(orders.createdAt), asc(orders.id)) // id: a total order, so pages neither repeat nor skip rows
    .$dynamic();
  return page ? q.limit(page.limit).offset(page.offset) : q;
}

const ORDER_WITH_FILL_BY_KEY = `
select o.id, o.session_id as "sessionId", o.model_id as "modelId", o.idempotency_key as "idempotencyKey",
       o.decision_id as "decisionId", o.symbol, o.side, o.type, o.quantity::float8 as quantity, o.status,
       o.filled_quantity::float8 as "filledQuantity", o.reference_price as "referencePrice",
       o.reject_code as "rejectCode", o.reject_message as "rejectMessage", o.placed_at as "placedAt",
       o.created_at as "createdAt",
       f.id as "fillId", f.quantity::float8 as "fillQuantity", f.price as "fillPrice", f.reference_price as "fillReferencePrice",
       f.fee as "fillFee", f.cash_delta as "fillCashDelta", f.cash_after as "fillCashAfter",
       f.realized_pnl as "fillRealizedPnl", f.quantity_after::float8 as "fillQuantityAfter",
       f.filled_at as "fillFilledAt", f.created_at as "fillCreatedAt"
from orders o left join fills f on f.order_id = o.id
where o.model_id = $1 and o.idempotency_key = $2 and o.user_id = $3
order by f.created_at
limit 1`;

type OrderWithFillRow = Omit<OrderRecord, "placedAt" | "createdAt"> & {
  placedAt: string;
  createdAt: string;
  fillId: string | null;
  fillQuantity: number;
  fillPrice: string;
  fillReferencePrice: string;
  fillFee: string;
  fillCashDelta: string;
  fillCashAfter: string;
  fillRealizedPnl: string | null;
  fillQuantityAfter: number;
  fillFilledAt: string;
  fillCreatedAt: string;
};

/** The order stored under an idempotency key (unique per model) and its first fill, if any. */
export async function getOrderWithFillByIdempotencyKey(
  tx: Executor,
  { modelId, idempotencyKey, userId }: { modelId: string; idempotencyKey: string; userId: string },
): Promise<{ order: OrderRecord; fill: FillRecord | null } | undefined> {
  const [row] = await runPrepared<OrderWithFillRow>(tx, ORDER_WITH_FILL_BY_KEY, [modelId, idempotencyKey, userId]);
  if (!row) return undefined;
  const { fillId, fillQuantity, fillPrice, fillReferencePrice, fillFee, fillCashDelta, fillCashAfter, ...rest } = row;
  const { fillRealizedPnl, fillQuantityAfter, fillFilledAt, fillCreatedAt, placedAt, createdAt, ...fields } = rest;
  const order: OrderRecord = { ...fields, placedAt: timestampOf(placedAt), createdAt: timestampOf(createdAt) };
  const fill: FillRecord | null =
    fillId === null
      ? null
      : {
          id: fillId,
          orderId: order.id,
          symbol: order.symbol!,
          side: order.side!,
          quantity: fillQuantity,
          price: fillPrice,
          referencePrice: fillReferencePrice,
          fee: fillFee,
          cashDelta: fillCashDelta,
          cashAfter: fillCashAfter,
          realizedPnl: fillRealizedPnl,
          quantityAfter: fillQuantityAfter,
          filledAt: timestampOf(fillFilledAt),
          createdAt: timestampOf(fillCreatedAt),
        };
  return { order, fill };
}

/** Who places the order and when (session clock). */
export interface OrderOwner {
  userId: string;
  modelId: string;
  sessionId: string;
  idempotencyKey: string;
  decisionId: string | null;
  placedAt: Date;
}

const INSERT_REJECTED_ORDER = `
insert into orders (user_id, model_id, session_id, idempotency_key, decision_id, symbol, side, quantity, status,
                    reference_price, reject_code, reject_message, request, placed_at)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text::jsonb, $14)
on conflict (model_id, idempotency_key) do nothing
returning id, created_at as "createdAt"`;

/**
 * Stores a rejected order. undefined when the idempotency key is already taken (nothing written).
 * `request` is the sanitized raw input of a request that failed validation, else null.
 */
export async function insertRejectedOrder(
  tx: Executor,
  o: OrderOwner & {
    symbol: string | null;
    side: OrderSide | null;
    quantity: number | null;
    status: OrderStatus;
    referencePrice: string | null;
    rejectCode: string;
    rejectMessage: string;
    request: string | null;
  },
): Promise<{ id: string; createdAt: Date } | undefined> {
  const params: Param[] = [o.userId, o.modelId, o.sessionId, o.idempotencyKey, o.decisionId, o.symbol, o.side, o.quantity];
  params.push(o.status, o.referencePrice, o.rejectCode, o.rejectMessage, o.request, o.placedAt);
  const [row] = await runPrepared<{ id: string; createdAt: string }>(tx, INSERT_REJECTED_ORDER, params);
  return row && { id: row.id, createdAt: timestampOf(row.createdAt) };
}

/*
 * One statement: the order (skipped on a taken key), then, only if it was inserted, its fill, the
 * position upsert and the account update. Values are absolute, computed by the engine from the rows
 * read under the account lock. Data-modifying CTEs all run to completion; `o` gates the rest.
 */
const INSERT_ORDER_WITH_FILL = `
with o as (
  insert into orders (user_id, model_id, session_id, idempotency_key, decision_id, symbol, side, quantity, status,
                      filled_quantity, reference_price, placed_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $23, $8, $9, $10)
  on conflict (model_id, idempotency_key) do nothing
  returning id, created_at
), f as (
  insert into fills (order_id, user_id, model_id, session_id, symbol, side, quantity, price, reference_price, fee,
                     cash_delta, cash_after, realized_pnl, quantity_after, filled_at)
  select o.id, $1, $2, $3, $6, $7, $8, $11, $9, $12, $13, $14, $15, $16, $10 from o
  returning id, created_at
), p as (
  insert into positions (session_id, symbol, user_id, model_id, quantity, cost_basis, realized_pnl, fees_paid, last_fill_at)
  select $3, $6, $1, $2, $16, $17, $18, $19, $10 from o
  on conflict (session_id, symbol) do update
    set quantity = excluded.quantity, cost_basis = excluded.cost_basis, realized_pnl = excluded.realized_pnl,
        fees_paid = excluded.fees_paid, last_fill_at = excluded.last_fill_at, updated_at = now()
), a as (
  update accounts set cash = $14, fees_paid = $20, realized_pnl = $21, updated_at = now()
  where id = $22 and exists (select 1 from o)
)
select o.id as "orderId", o.created_at as "orderCreatedAt", f.id as "fillId", f.created_at as "fillCreatedAt"
from o cross join f`;

export interface FillWrite {
  /** The order's status after this fill (filled for a market order). */
  status: OrderStatus;
  symbol: string;
  side: OrderSide;
  quantity: number;
  referencePrice: string;
  price: string;
  fee: string;
  cashDelta: string;
  cashAfter: string;
  realizedPnl: string | null;
  /** The position after the fill. */
  position: { quantity: number; costBasis: string; realizedPnl: string; feesPaid: string };
  /** The account after the fill (its cash is `cashAfter`). */
  account: { id: string; feesPaid: string; realizedPnl: string };
}

/** Writes a filled market order in one statement. undefined when the idempotency key is already taken. */
export async function insertOrderWithFill(
  tx: Executor,
  o: OrderOwner & FillWrite,
): Promise<{ orderId: string; orderCreatedAt: Date; fillId: string; fillCreatedAt: Date } | undefined> {
  const params: Param[] = [o.userId, o.modelId, o.sessionId, o.idempotencyKey, o.decisionId, o.symbol, o.side, o.quantity];
  params.push(o.referencePrice, o.placedAt, o.price, o.fee, o.cashDelta, o.cashAfter, o.realizedPnl, o.position.quantity);
  params.push(o.position.costBasis, o.position.realizedPnl, o.position.feesPaid, o.account.feesPaid, o.account.realizedPnl, o.account.id, o.status);
  const [row] = await runPrepared<{ orderId: string; orderCreatedAt: string; fillId: string; fillCreatedAt: string }>(
    tx,
    INSERT_ORDER_WITH_FILL,
    params,
  );
  return row && { ...row, orderCreatedAt: timestampOf(row.orderCreatedAt), fillCreatedAt: timestampOf(row.fillCreatedAt) };
}

/** A multi-leg order of the session (order_class mleg, the parent) and its legs' orders, read as the user; none when it is not theirs. */
export async function getComboOrder(
  tx: Executor,
  q: { sessionId: string; userId: string; orderId: string },
): Promise<{
  parent: { id: string; symbol: string | null; quantity: number | null; status: string; type: string; timeInForce: string; limitPrice: string | null; strategy: Record<string, unknown> | null };
  legs: { id: string; symbol: string; side: string; quantity: number; status: string }[];
} | null> {
  const rows = await tx.execute<{
    id: string; parent: string | null; symbol: string | null; side: string | null; quantity: number | null; status: string; orderClass: string;
    type: string; timeInForce: string; limitPrice: string | null; strategy: Record<string, unknown> | null;
  }>(sql`
    select id, parent_order_id as parent, symbol, side, quantity::float8 as quantity, status, order_class::text as "orderClass",
           type::text as type, time_in_force::text as "timeInForce", limit_price::text as "limitPrice", strategy
    from orders
    where session_id = ${q.sessionId} and user_id = ${q.userId} and (id = ${q.orderId} or parent_order_id = ${q.orderId})
    order by created_at, id`);
  const parent = rows.find((r) => r.id === q.orderId && r.parent === null && r.orderClass === "mleg");
  if (!parent) return null;
  const legs = rows.filter((r) => r.parent === q.orderId && r.symbol !== null && r.side !== null && r.quantity !== null);
  const { id, symbol, quantity, status, type, timeInForce, limitPrice, strategy } = parent;
  return { parent: { id, symbol, quantity, status, type, timeInForce, limitPrice, strategy }, legs: legs.map((l) => ({ id: l.id, symbol: l.symbol!, side: l.side!, quantity: l.quantity!, status: l.status })) };
}
