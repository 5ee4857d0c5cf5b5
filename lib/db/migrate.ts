import { readFile } from "node:fs/promises";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const root = process.cwd();

/**
 * Brings a database up to date: the Supabase-compatible bootstrap (roles, auth schema, auth.uid()),
 * then drizzle's migrations, then admin emails. Safe to run from several processes at once.
 */
export async function migrateDatabase(url: string, adminEmails: string[] = []): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(72616)`;
    await client.unsafe(await readFile(path.join(root, "lib/db/bootstrap.sql"), "utf8"));
    await migrate(drizzle({ client }), { migrationsFolder: path.join(root, "drizzle") });
    if (adminEmails.length > 0) await grantAdmin(client, adminEmails);
    await client`select pg_advisory_unlock(72616)`;
  } finally {
    await client.end();
  }
}

/** Marks emails as admins: now for existing profiles, and on sign-up for future ones. */
export async function grantAdmin(client: postgres.Sql, emails: string[]): Promise<number> {
  const lower = emails.map((e) => e.toLowerCase());
  await client`insert into public.admin_emails ${client(lower.map((email) => ({ email })))} on conflict do nothing`;
  const updated = await client`update public.profiles set role = 'admin' where lower(email) in ${client(lower)} and role <> 'admin'`;
  return updated.count;
}
