import { sql } from "drizzle-orm";
import { bigint, check, foreignKey, index, jsonb, pgEnum, pgPolicy, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid } from "drizzle-orm/supabase";
import { coreInsert } from "./roles";
import { tradingSessions } from "./trading";

/**
 * "Ask the model" (docs/chat.md): the conversation of a session's owner with the session's model, stored
 * with the session. `parts` are AI SDK UI message parts (text, tool calls with their results), so the
 * viewer reloads exactly what it showed and the next question sends the history back to the model.
 * Users read and append their own; nobody updates or deletes (grants in the migration).
 */
export const CHAT_ROLES = ["user", "assistant"] as const;
export const chatRoleEnum = pgEnum("session_chat_role", CHAT_ROLES);

export const sessionChatMessages = pgTable(
  "session_chat_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Insertion order within the whole table: the conversation's order (created_at can tie). */
    seq: bigint({ mode: "number" }).generatedAlwaysAsIdentity(),
    sessionId: uuid().notNull(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    role: chatRoleEnum().notNull(),
    parts: jsonb().notNull(),
    /** The session clock the question was asked and answered at. */
    clock: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "session_chat_messages_session_owner_fk",
      columns: [t.sessionId, t.userId],
      foreignColumns: [tradingSessions.id, tradingSessions.userId],
    }).onDelete("cascade"),
    index("session_chat_messages_session_seq_idx").on(t.sessionId, t.seq),
    check("session_chat_messages_parts_array", sql`jsonb_typeof(${t.parts}) = 'array'`),
    pgPolicy("session_chat_messages_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    coreInsert("session_chat_messages_core_insert", t.userId),
  ],
).enableRLS();
