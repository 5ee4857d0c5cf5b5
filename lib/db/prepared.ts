import "server-only";
import type postgres from "postgres";
import type { Executor } from "./client";

export type Param = string | number | boolean | Date | null;

/**
 * Runs `text` (a constant SQL string with $1… placeholders) as a named prepared statement on the
 * connection behind `tx` (the pool or a transaction), and returns its rows.
 *
 * Why not `tx.execute(sql…)`: drizzle sends every statement unprepared, and postgres.js sends an
 * unprepared statement with parameters in two round trips (describe, then execute). A prepared one takes
 * one round trip after its first use on a connection, and Postgres skips parsing and planning.
 * The statement is sent when runPrepared is called (not when its promise is first awaited): statements
 * issued back to back without awaiting are pipelined in call order. A client created with
 * `prepare: false` (PgBouncer or Supavisor in transaction mode) silently falls back to unprepared.
 *
 * Values as drizzle configures the driver: Date parameters are sent as ISO strings; timestamps, numeric
 * and bigint come back as strings (use `timestampOf`), json and jsonb parsed.
 */
export async function runPrepared<Row>(tx: Executor, text: string, params: readonly Param[]): Promise<Row[]> {
  const values = params.map((p) => (p instanceof Date ? p.toISOString() : p));
  const rows = await driverOf(tx).unsafe(text, values as postgres.ParameterOrJSON<never>[], { prepare: true }).execute();
  return rows as unknown as Row[];
}

/** A timestamptz as Postgres prints it ("2026-03-02 14:30:00.123+00") → Date, as drizzle reads it. */
export function timestampOf(text: string): Date {
  return new Date(text);
}

/** The postgres.js client behind a drizzle database or transaction. */
export function driverOf(tx: Executor): postgres.Sql {
  const client = (tx._.session as unknown as { client?: postgres.Sql }).client;
  if (typeof client?.unsafe !== "function") throw new Error("runPrepared needs drizzle's postgres-js driver");
  return client;
}
