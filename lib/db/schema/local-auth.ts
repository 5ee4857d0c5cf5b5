import { boolean, jsonb, pgSchema, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { authUsers } from "drizzle-orm/supabase";

/**
 * Tables of the built-in Supabase-compatible auth server (used when NEXT_PUBLIC_SUPABASE_URL is unset).
 * Users live in auth.users like on Supabase; these hold sessions, rotating refresh tokens and the
 * ES256 signing key. No role but the server's own connection can read them (RLS on, no policy).
 */
export const localAuth = pgSchema("local_auth");

export const authSessions = localAuth
  .table("sessions", {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
  })
  .enableRLS();

export const refreshTokens = localAuth
  .table("refresh_tokens", {
    /** SHA-256 of the token; the token itself is never stored. */
    tokenHash: text().primaryKey(),
    sessionId: uuid()
      .notNull()
      .references(() => authSessions.id, { onDelete: "cascade" }),
    revoked: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  })
  .enableRLS();

export const signingKeys = localAuth
  .table("signing_keys", {
    kid: text().primaryKey(),
    privateJwk: jsonb().notNull(),
    publicJwk: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  })
  .enableRLS();
