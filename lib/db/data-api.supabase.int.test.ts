import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { startEmbeddedPostgres, withDatabase, type EmbeddedServer } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { appTables, dataApiChecks, ensureAuthenticator, seedLedger, type DataApiFixture } from "@/tests/support/data-api-probe";

/**
 * Issue #26 on a server set up as Supabase sets up a project (supabase/postgres's init scripts): the API roles
 * and `authenticator` exist already; the role the app connects and migrates as (Supabase's `postgres`, here
 * `app_owner`) is NOT a superuser: it may create roles, administers the API roles, bypasses RLS, and owns the
 * database; the `auth` schema belongs to someone else; default privileges grant everything created in public
 * to anon and authenticated. The same migrations must run there, the whole app must work, and the Data API
 * must be refused the same writes as on plain PostgreSQL. Its own throwaway server: roles are per server.
 */
let dir: string;
let server: EmbeddedServer;
let superuser: postgres.Sql;
let appUrl: string;
let env: { url: string; db: ReturnType<typeof createDb>["db"]; sql: postgres.Sql; client: postgres.Sql };
let fixture: DataApiFixture;

const SUPABASE_LIKE = `
  create role anon nologin noinherit;
  create role authenticated nologin noinherit;
  create role service_role nologin noinherit bypassrls;
  create role authenticator login noinherit password 'authenticator';
  grant anon, authenticated, service_role to authenticator;
  create role app_owner login password 'app_owner' nosuperuser createdb createrole replication bypassrls;
  grant anon, authenticated, service_role to app_owner with admin option;`;

const SUPABASE_LIKE_DATABASE = `
  create extension if not exists pgcrypto;
  create schema auth;
  create table auth.users (
    id uuid primary key default gen_random_uuid(), aud varchar(255) default 'authenticated', role varchar(255) default 'authenticated',
    email varchar(255) unique, encrypted_password varchar(255), email_confirmed_at timestamptz, last_sign_in_at timestamptz,
    raw_app_meta_data jsonb default '{}'::jsonb, raw_user_meta_data jsonb default '{}'::jsonb,
    created_at timestamptz default now(), updated_at timestamptz default now());
  create function auth.uid() returns uuid language sql stable as $$
    select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid $$;
  create function auth.jwt() returns jsonb language sql stable as $$
    select coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb $$;
  grant usage on schema auth to anon, authenticated, service_role;
  grant execute on function auth.uid(), auth.jwt() to anon, authenticated, service_role;
  grant all on schema auth to app_owner;
  grant all on all tables in schema auth to app_owner;
  grant all on all routines in schema auth to app_owner;
  grant usage on schema public to anon, authenticated, service_role;
  alter default privileges for role app_owner in schema public grant all on tables to anon, authenticated, service_role;
  alter default privileges for role app_owner in schema public grant all on functions to anon, authenticated, service_role;
  alter default privileges for role app_owner in schema public grant all on sequences to anon, authenticated, service_role;`;

/** A database of the Supabase-like server, set up as a new project is, owned by app_owner; its URL as app_owner. */
async function projectDatabase(name: string): Promise<string> {
  await superuser.unsafe(`create database ${name} owner app_owner`);
  const db = postgres(withDatabase(server.url, name), { max: 1, onnotice: () => {} });
  await db.unsafe(SUPABASE_LIKE_DATABASE);
  await db.end();
  const u = new URL(withDatabase(server.url, name));
  u.username = "app_owner";
  u.password = "app_owner";
  return u.toString();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "bullpen-supabase-like-"));
  server = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
  superuser = postgres(server.url, { max: 1, onnotice: () => {} });
  await superuser.unsafe(SUPABASE_LIKE);
  appUrl = await projectDatabase("bullpen");
  await migrateDatabase(appUrl);
  const { db, client } = createDb(appUrl, 10);
  env = { url: appUrl, db, client, sql: postgres(appUrl, { max: 4, onnotice: () => {} }) };
  const seeded = await seedLedger(env);
  const api = postgres(await ensureAuthenticator(superuser, appUrl), { max: 2, onnotice: () => {} });
  fixture = { sql: env.sql, api, seeded, tables: await appTables(env.sql), reportName: "data-api-writes.supabase-like.tsv" };
}, 180_000);

afterAll(async () => {
  await fixture?.api.end();
  await env?.client.end({ timeout: 2 });
  await env?.sql.end({ timeout: 2 });
  await superuser?.end();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("on a Supabase-like server, the app migrates and runs as a role that is not a superuser", () => {
  it("migrated and ran the sessions as app_owner, not a superuser, acting as bullpen_core by its own grant", async () => {
    const [me] = await env.sql<{ user: string; superuser: boolean; grantor: string }[]>`
      select current_user as user, (select rolsuper from pg_roles where rolname = current_user) as superuser,
             (select g.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles g on g.oid = m.grantor
              where r.rolname = 'bullpen_core' and m.member = (select oid from pg_roles where rolname = current_user) and m.set_option) as grantor`;
    expect(me).toEqual({ user: "app_owner", superuser: false, grantor: "app_owner" });
    expect((await env.sql<{ n: number }[]>`select count(*)::int as n from fills`)[0]!.n).toBeGreaterThan(0);
  });

  it("migrates a second project database on the same server: the role is there already, the grants are idempotent", async () => {
    const url = await projectDatabase("bullpen_second");
    await migrateDatabase(url);
    await migrateDatabase(url);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    expect((await sql.begin((tx) => tx`select set_config('role', 'bullpen_core', true) as role`))[0]).toEqual({ role: "bullpen_core" });
    await sql.end();
  });

  it("a table created later in public gets Supabase's default read grant but no write for the API roles", async () => {
    await env.sql`create table public.later_table (id int primary key)`;
    try {
      const [rights] = await env.sql<{ read: boolean; write: boolean }[]>`
        select has_table_privilege('authenticated', 'public.later_table', 'SELECT') as read,
               has_table_privilege('authenticated', 'public.later_table', 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                 or has_table_privilege('anon', 'public.later_table', 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') as write`;
      expect(rights).toEqual({ read: true, write: false });
    } finally {
      await env.sql`drop table public.later_table`;
    }
  });
});

describe("the Data API's roles on a Supabase-like server (claims set, then SET LOCAL ROLE, as PostgREST does)", () => {
  dataApiChecks(() => fixture);
});
