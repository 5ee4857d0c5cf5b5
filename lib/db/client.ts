import "server-only";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

function connectionUrl(): string {
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start Bullpen with `npm run dev` (it starts the embedded PostgreSQL and sets it), or set DATABASE_URL.",
    );
  }
  return env.DATABASE_URL;
}

/**
 * Seconds before a closed connection tries again after `retries` failed attempts in a row: 0.1, 0.2, 0.4,
 * 0.8, then 1. postgres.js's default grows to 10–20 s, and a query waits that long for its connection even
 * after the database is back (measured: 8–19 s once an outage passed 10 s). Attempts cost nothing when the
 * server refuses them; a page waits at most a second to learn that the database is down.
 */
export const reconnectBackoff = (retries: number) => Math.min(0.05 * 2 ** retries, 1);

export function createDb(url = connectionUrl(), max = env.DATABASE_POOL_SIZE) {
  const client = postgres(url, { max, onnotice: () => {}, backoff: reconnectBackoff });
  return { client, db: drizzle({ client, schema, casing: "snake_case" }) };
}

export type Db = ReturnType<typeof createDb>["db"];
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything queries can run on: the pool or a transaction. */
export type Executor = Db | Tx;
/** A slice of an ordered list: skip `offset` rows, read at most `limit`. */
export interface Page {
  offset: number;
  limit: number;
}

const globalForDb = globalThis as unknown as { bullpenDb?: ReturnType<typeof createDb> };

/** The process-wide pool, created on first use (Next dev reloads modules; the pool survives). */
export function getDb(): Db {
  globalForDb.bullpenDb ??= createDb();
  return globalForDb.bullpenDb.db;
}
