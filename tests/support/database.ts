import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { createDb } from "@/lib/db/client";
import type { Claims } from "@/lib/db/rls";

/** The test database, as the server's own (owner) connection and as drizzle. */
export const databaseUrl = () => inject("databaseUrl");
export const adminSql = () => postgres(databaseUrl(), { max: 2, onnotice: () => {} });
export const testDb = (max = 5) => createDb(databaseUrl(), max);

export interface TestUser {
  id: string;
  email: string;
  claims: Claims;
  ctx: { userId: string; claims: Claims };
}

/** A user as the auth server would create it (the trigger adds the profile). */
export async function createUser(sql: postgres.Sql, label = "user"): Promise<TestUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const [row] = await sql<{ id: string }[]>`insert into auth.users (email) values (${email}) returning id`;
  const claims: Claims = { sub: row!.id, role: "authenticated", email };
  return { id: row!.id, email, claims, ctx: { userId: row!.id, claims } };
}

/** The database's own message for a failed query (drizzle wraps it as `cause`). */
export async function dbError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    return cause?.message ?? (err as Error).message;
  }
  throw new Error("expected the database to refuse, but the query succeeded");
}

/** A brand-new migrated database on the test server, for tests that need an empty one. */
export async function freshDatabase(label: string) {
  const { withDatabase } = await import("@/lib/db/embedded");
  const { migrateDatabase } = await import("@/lib/db/migrate");
  const name = `${label}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(databaseUrl(), name);
  await migrateDatabase(url);
  const db = createDb(url, 3);
  return {
    ...db,
    async drop() {
      await db.client.end();
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}
