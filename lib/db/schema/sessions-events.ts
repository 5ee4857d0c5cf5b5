import { sql } from "drizzle-orm";
import { bigint, foreignKey, integer, jsonb, numeric, pgEnum, pgPolicy, pgTable, primaryKey, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid } from "drizzle-orm/supabase";
import { coreInsert } from "./roles";
import { tradingSessions } from "./trading";

/**
 * What a session run leaves besides the ledger (docs/sessions.md): its event log, streamed to browsers,
 * and its equity curve. Both are written in the same transaction as the bar they describe.
 */
export const SESSION_EVENT_TYPES = ["status", "decision", "order", "fill", "equity", "margin_call"] as const;
export const sessionEventTypeEnum = pgEnum("session_event_type", SESSION_EVENT_TYPES);

const sessionOwner = (name: string, t: { sessionId: AnyPgColumn; userId: AnyPgColumn }) =>
  foreignKey({ name, columns: [t.sessionId, t.userId], foreignColumns: [tradingSessions.id, tradingSessions.userId] }).onDelete("cascade");

/**
 * Every decision, order, fill, equity point and status change of a session, numbered 1, 2, 3… per session
 * (`seq`, assigned under the session row's lock, so commit order = seq order). An AFTER INSERT trigger
 * sends NOTIFY session_events '<session id>:<last seq>' (drizzle/0009), delivered at commit.
 */
export const sessionEvents = pgTable(
  "session_events",
  {
    sessionId: uuid().notNull(),
    seq: bigint({ mode: "number" }).notNull(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    type: sessionEventTypeEnum().notNull(),
    /** Session clock of the bar (status events: the clock when it changed, if any). */
    at: timestamp({ withTimezone: true }),
    payload: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "session_events_pkey", columns: [t.sessionId, t.seq] }),
    sessionOwner("session_events_session_owner_fk", t),
    pgPolicy("session_events_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    coreInsert("session_events_core_insert", t.userId),
  ],
).enableRLS();

/** The equity curve: one point per bar run, valued at that bar's prices (the opens at the clock). */
export const sessionEquity = pgTable(
  "session_equity",
  {
    sessionId: uuid().notNull(),
    barIndex: integer().notNull(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    at: timestamp({ withTimezone: true }).notNull(),
    equity: numeric({ precision: 20, scale: 6 }).notNull(),
    cash: numeric({ precision: 20, scale: 6 }).notNull(),
  },
  (t) => [
    primaryKey({ name: "session_equity_pkey", columns: [t.sessionId, t.barIndex] }),
    sessionOwner("session_equity_session_owner_fk", t),
    pgPolicy("session_equity_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    coreInsert("session_equity_core_insert", t.userId),
  ],
).enableRLS();
