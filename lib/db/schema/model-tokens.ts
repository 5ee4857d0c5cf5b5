import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid } from "drizzle-orm/supabase";
import { models } from "./models";
import { coreRole } from "./roles";
import { tradingSessions } from "./trading";

/**
 * Per-model API tokens (docs/model-tokens.md, drizzle/0024_model_tokens.sql): the credential an outside agent
 * uses to act as exactly one model of one user, optionally one session. Only the SHA-256 of the token is
 * stored, never the token. The owner reads their rows (not the hash); the server creates and revokes them
 * as the trading core's role (`bullpen_core`, for the owner's claims) and stamps `last_used_at` as its own
 * role when a token is used. A trigger keeps a token's identity fixed and its revocation final.
 */
export const modelTokens = pgTable(
  "model_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    modelId: uuid().notNull(),
    /** The one session the token may act in; null: any session of the model. */
    sessionId: uuid(),
    name: text().notNull(),
    /** The token's first characters ("bp_AbCd1234"), shown afterwards to tell tokens apart. */
    prefix: text().notNull(),
    /** Lower-case hex SHA-256 of the whole token: how a presented token is found. */
    tokenHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    /** Written by the server when the token is used, at most once a minute. */
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // A token names a model, and a session of that model, of its own user: the keys hold the three together.
    foreignKey({ name: "model_tokens_model_owner_fk", columns: [t.modelId, t.userId], foreignColumns: [models.id, models.userId] }).onDelete("cascade"),
    foreignKey({
      name: "model_tokens_session_owner_fk",
      columns: [t.sessionId, t.userId, t.modelId],
      foreignColumns: [tradingSessions.id, tradingSessions.userId, tradingSessions.modelId],
    }).onDelete("cascade"),
    uniqueIndex("model_tokens_hash_unique").on(t.tokenHash),
    index("model_tokens_model_created_idx").on(t.modelId, t.createdAt),
    check("model_tokens_name_length", sql`char_length(${t.name}) between 1 and 80`),
    check("model_tokens_prefix_format", sql`${t.prefix} ~ '^bp_[A-Za-z0-9_-]{8}$'`),
    check("model_tokens_hash_format", sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check("model_tokens_expiry_after_creation", sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.createdAt}`),
    pgPolicy("model_tokens_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    pgPolicy("model_tokens_core_insert", { for: "insert", to: coreRole, withCheck: sql`${t.userId} = ${authUid}` }),
    pgPolicy("model_tokens_core_update", { for: "update", to: coreRole, using: sql`${t.userId} = ${authUid}`, withCheck: sql`${t.userId} = ${authUid}` }),
  ],
).enableRLS();
