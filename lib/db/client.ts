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

export function createDb(url = connectionUrl(), max = env.DATABASE_POOL_SIZE) {
  const client = postgres(url, { max, onnotice: () => {} });
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
