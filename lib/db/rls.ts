import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Tx } from "./client";

/** The verified JWT claims of the caller; `sub` is the auth user id. */
export interface Claims {
  sub: string;
  role?: string;
  email?: string;
  [key: string]: unknown;
}

/**
 * Runs `fn` in one transaction as the database role `authenticated` with the caller's claims, so every
 * query is filtered by the row-level security policies on auth.uid(). The settings are transaction-local:
 * the pooled connection is clean when the transaction ends.
 */
export async function withUser<T>(claims: Claims, fn: (tx: Tx) => Promise<T>, db = getDb()): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`);
    await tx.execute(sql`set local role authenticated`);
    return fn(tx);
  });
}
