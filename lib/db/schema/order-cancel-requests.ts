import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgPolicy, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid } from "drizzle-orm/supabase";
import { coreInsert, coreUpdate } from "./roles";
import { orders, tradingSessions } from "./trading";

/**
 * A person's cancel of a working order (drizzle/0029; docs/trading.md, "A person cancels a working order"):
 * written by the trading core for the owner, applied by the session's runner at its next bar (or at once when
 * no runner holds the book), then `applied_at` and `outcome` (`cancelled`, or `ended`: the order had ended by
 * then). A trigger checks that the order is the session's and the owner's, and keeps an applied request as it is.
 */
export const orderCancelRequests = pgTable(
  "order_cancel_requests",
  {
    orderId: uuid()
      .primaryKey()
      .references(() => orders.id, { onDelete: "cascade" }),
    sessionId: uuid().notNull(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    modelId: uuid().notNull(),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    appliedAt: timestamp({ withTimezone: true }),
    outcome: text(),
  },
  (t) => [
    foreignKey({
      name: "order_cancel_requests_session_owner_fk",
      columns: [t.sessionId, t.userId, t.modelId],
      foreignColumns: [tradingSessions.id, tradingSessions.userId, tradingSessions.modelId],
    }).onDelete("cascade"),
    index("order_cancel_requests_pending_idx").on(t.sessionId).where(sql`${t.appliedAt} is null`),
    check("order_cancel_requests_outcome", sql`(${t.appliedAt} is null and ${t.outcome} is null) or (${t.appliedAt} is not null and ${t.outcome} in ('cancelled', 'ended'))`),
    pgPolicy("order_cancel_requests_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    coreInsert("order_cancel_requests_core_insert", t.userId),
    coreUpdate("order_cancel_requests_core_update", t.userId),
  ],
).enableRLS();
