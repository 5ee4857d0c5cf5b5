import "server-only";
import { and, asc, count, desc, eq, gte, ilike, lt, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { decisions, fills, models, orders, profiles, tradingSessions } from "@/lib/db/schema";
import { AUDIT_PAGE_SIZE, type AuditFilter } from "@/lib/schemas/audit";
import { listDecisionOrders } from "./decision-orders";
import { drivenBySql } from "./driven-by";
import { listFillsByOrderIds } from "./fills";

/**
 * Every order (with its fill, if any) that row-level security lets the caller see: an admin sees all
 * users' (admin policies), anyone else only their own. Filtered, sorted and paginated in Postgres.
 */
function where(f: AuditFilter): SQL | undefined {
  const escape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  return and(
    f.user ? ilike(profiles.email, `%${escape(f.user)}%`) : undefined,
    f.model ? ilike(models.name, `%${escape(f.model)}%`) : undefined,
    f.session ? eq(orders.sessionId, f.session) : undefined,
    f.symbol ? eq(orders.symbol, f.symbol) : undefined,
    f.side ? eq(orders.side, f.side) : undefined,
    f.status ? eq(orders.status, f.status) : undefined,
    f.type ? eq(orders.type, f.type) : undefined,
    f.from ? gte(orders.placedAt, new Date(`${f.from}T00:00:00Z`)) : undefined,
    f.to ? lt(orders.placedAt, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)) : undefined,
  );
}

const SORT_COLUMNS = {
  placedAt: orders.placedAt,
  symbol: orders.symbol,
  user: profiles.email,
  model: models.name,
  status: orders.status,
  quantity: orders.quantity,
} as const;

const columns = {
  id: orders.id,
  placedAt: orders.placedAt,
  userEmail: profiles.email,
  modelName: models.name,
  /** A session an outside agent drives: the name of its token ("driven by: …"); null for a session its model runs. */
  drivenBy: sql<string | null>`(select ${sql.raw(drivenBySql("s"))} from trading_sessions s where s.id = ${orders.sessionId})`,
  sessionId: orders.sessionId,
  decisionId: orders.decisionId,
  symbol: orders.symbol,
  side: orders.side,
  quantity: orders.quantity,
  type: orders.type,
  timeInForce: orders.timeInForce,
  orderClass: orders.orderClass,
  leg: orders.leg,
  parentId: orders.parentOrderId,
  limitPrice: orders.limitPrice,
  stopPrice: orders.stopPrice,
  trailPrice: orders.trailPrice,
  trailPercent: orders.trailPercent,
  status: orders.status,
  reason: orders.statusReason,
  triggeredAt: orders.triggeredAt,
  filledQuantity: orders.filledQuantity,
  /** Over all the order's fills (numeric(20,6) text): Σ quantity × price / Σ quantity. */
  averageFillPrice: sql<string | null>`(select round(sum(af.quantity * af.price) / nullif(sum(af.quantity), 0), 6)::text from fills af where af.order_id = ${orders.id})`,
  rejectCode: orders.rejectCode,
  rejectMessage: orders.rejectMessage,
  fillPrice: fills.price,
  fee: fills.fee,
  realizedPnl: fills.realizedPnl,
};

function base(tx: Executor) {
  return tx
    .select(columns)
    .from(orders)
    .innerJoin(models, eq(models.id, orders.modelId))
    .innerJoin(profiles, eq(profiles.id, orders.userId))
    .leftJoin(fills, eq(fills.orderId, orders.id));
}

export type AuditRow = Awaited<ReturnType<typeof listAuditOrders>>["rows"][number];

/** A page of the filtered orders with the filtered total; with `upTo`, every one of them instead (at most `upTo` + 1). */
export async function listAuditOrders(tx: Executor, f: AuditFilter, { upTo }: { upTo?: number } = {}) {
  const order = f.dir === "asc" ? asc : desc;
  const q = base(tx)
    .where(where(f))
    .orderBy(order(SORT_COLUMNS[f.sort]), order(orders.placedAt), order(orders.id));
  // The export reads one more than its limit, so a set over it is known (and refused), not cut short.
  const rows = upTo !== undefined ? await q.limit(upTo + 1) : await q.limit(AUDIT_PAGE_SIZE).offset((f.page - 1) * AUDIT_PAGE_SIZE);
  const [total] = upTo !== undefined
    ? [{ n: rows.length }]
    : await tx
        .select({ n: count() })
        .from(orders)
        .innerJoin(models, eq(models.id, orders.modelId))
        .innerJoin(profiles, eq(profiles.id, orders.userId))
        .where(where(f));
  return { rows, total: Number(total?.n ?? 0) };
}

/** Whether the caller (under RLS) is an admin: reads their own profile. */
export async function isAdmin(tx: Executor, { userId }: { userId: string }): Promise<boolean> {
  const [row] = await tx.select({ role: profiles.role }).from(profiles).where(eq(profiles.id, userId));
  return row?.role === "admin";
}

/** One decision with its model and user, for the audit (RLS: admins see all, others their own). */
/** A decision with its model's name, its owner's email, its session's interval, and the orders it placed with their fills. */
export async function getAuditDecision(tx: Executor, { id }: { id: string }) {
  const [row] = await tx
    .select({ decision: decisions, modelName: models.name, userEmail: profiles.email, interval: tradingSessions.interval })
    .from(decisions)
    .innerJoin(models, eq(models.id, decisions.modelId))
    .innerJoin(profiles, eq(profiles.id, decisions.userId))
    .innerJoin(tradingSessions, eq(tradingSessions.id, decisions.sessionId))
    .where(eq(decisions.id, id));
  if (!row) return undefined;
  const { sessionId, userId } = row.decision;
  const orderRows = await listDecisionOrders(tx, { sessionId, userId, decisionId: id });
  const fillRows = await listFillsByOrderIds(tx, { orderIds: orderRows.map((o) => o.id), userId });
  return { ...row, orders: orderRows, fills: fillRows };
}

/** The latest failed decisions of every user the caller may see. */
export function listFailedDecisions(tx: Executor, { limit }: { limit: number }) {
  return tx
    .select({
      id: decisions.id,
      clock: decisions.clock,
      error: decisions.error,
      llm: decisions.llm,
      modelName: models.name,
      userEmail: profiles.email,
      sessionId: decisions.sessionId,
    })
    .from(decisions)
    .innerJoin(models, eq(models.id, decisions.modelId))
    .innerJoin(profiles, eq(profiles.id, decisions.userId))
    .where(eq(decisions.outcome, "failed"))
    .orderBy(desc(decisions.createdAt))
    .limit(limit);
}
