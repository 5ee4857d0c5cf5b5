import "server-only";
import { toCsv } from "@/lib/csv";
import type { Db } from "@/lib/db/client";
import { getAuditDecision, isAdmin, listAuditOrders, listFailedDecisions, type AuditRow } from "@/lib/db/queries/audit";
import { withUser } from "@/lib/db/rls";
import { AppError, notFound } from "@/lib/errors";
import { AUDIT_EXPORT_LIMIT, type AuditFilter } from "@/lib/schemas/audit";
import type { UserContext } from "./context";
import { decisionOrderView } from "./decision-detail";
import { fillView } from "./session-view";

/**
 * The admin trade audit. Two walls: this service refuses non-admins (a 404, as if the page did not
 * exist), and the admin read policies in Postgres are what let an admin see other users' rows at all.
 */
async function asAdmin<T>(ctx: UserContext, db: Db | undefined, fn: Parameters<typeof withUser<T>>[1]): Promise<T> {
  return withUser(
    ctx.claims,
    async (tx) => {
      if (!(await isAdmin(tx, { userId: ctx.userId }))) throw new AppError("not_found", "NOT_FOUND", "Page not found");
      return fn(tx);
    },
    db,
  );
}

export const auditOrders = (ctx: UserContext, filter: AuditFilter, db?: Db) => asAdmin(ctx, db, (tx) => listAuditOrders(tx, filter));

/** Every order of the filtered set, for the CSV; more than AUDIT_EXPORT_LIMIT is refused (EXPORT_TOO_LARGE). */
export const auditOrdersForExport = (ctx: UserContext, filter: AuditFilter, db?: Db, limit = AUDIT_EXPORT_LIMIT) =>
  asAdmin(ctx, db, async (tx) => {
    const { rows } = await listAuditOrders(tx, filter, { upTo: limit });
    if (rows.length > limit) {
      throw new AppError("reject", "EXPORT_TOO_LARGE", `More than ${limit.toLocaleString("en-US")} orders match: narrow the filters (a date range, a user, a session) to export them`);
    }
    return rows;
  });

export const failedDecisions = (ctx: UserContext, db?: Db) => asAdmin(ctx, db, (tx) => listFailedDecisions(tx, { limit: 20 }));

/** The decision behind a trade: prompt, model text, tool calls, orders and fills. */
export async function auditDecision(ctx: UserContext, id: string, db?: Db) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound("Decision");
  const found = await asAdmin(ctx, db, (tx) => getAuditDecision(tx, { id }));
  if (!found) throw notFound("Decision");
  return { ...found, orders: found.orders.map(decisionOrderView), fills: found.fills.map(fillView) };
}

export async function isAdminUser(ctx: UserContext, db?: Db): Promise<boolean> {
  return withUser(ctx.claims, (tx) => isAdmin(tx, { userId: ctx.userId }), db);
}

export const AUDIT_CSV_COLUMNS = [
  "placed_at", "user", "model", "session_id", "decision_id", "symbol", "side", "quantity",
  "type", "time_in_force", "order_class", "leg", "parent_id", "limit_price", "stop_price", "trail_price", "trail_percent",
  "status", "reason", "triggered_at", "filled_quantity", "average_fill_price",
  "reject_code", "reject_message", "fill_price", "fee", "realized_pnl", "driven_by",
] as const;

/** The filtered orders as CSV, one row per order and fill (lib/csv.ts: formulas defused). */
export function auditCsv(rows: readonly AuditRow[]): string {
  return toCsv(
    AUDIT_CSV_COLUMNS,
    rows.map((r) => [
      r.placedAt, r.userEmail, r.modelName, r.sessionId, r.decisionId, r.symbol, r.side, r.quantity,
      r.type, r.timeInForce, r.orderClass, r.leg, r.parentId, r.limitPrice, r.stopPrice, r.trailPrice, r.trailPercent,
      r.status, r.reason, r.triggeredAt, r.filledQuantity, r.averageFillPrice,
      r.rejectCode, r.rejectMessage, r.fillPrice, r.fee, r.realizedPnl, r.drivenBy,
    ]),
  );
}
