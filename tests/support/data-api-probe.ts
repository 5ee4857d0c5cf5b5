import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { tradingDays } from "@/lib/market";
import { startWorker } from "@/lib/jobs/worker";
import { createSession } from "@/lib/services/sessions/create";
import { createModelToken } from "@/lib/services/model-tokens";
import { askSessionModel } from "@/lib/services/session-chat";
import { createUser, type TestUser } from "./database";
import { createModel, dayBars, seedBars, testJobs, waitForStatus } from "./session-fixtures";

/**
 * Supabase's Data API as an attacker sees it (docs/ARCHITECTURE.md, "Who writes what"). PostgREST logs in as
 * `authenticator` and, per request, in a transaction: sets `request.jwt.claims` to the caller's JWT claims and
 * `SET LOCAL ROLE` to its `role` claim (`authenticated`, or `anon` without a JWT), then runs the request's one
 * statement. The probe does exactly that, for every INSERT, every UPDATE of each column, every DELETE and
 * every TRUNCATE on every table of every non-system schema, each in a savepoint that is rolled back.
 */

export type ApiRole = "anon" | "authenticated";
export type WriteOp = "INSERT" | "UPDATE" | "DELETE" | "TRUNCATE";

export interface WriteCase {
  role: ApiRole;
  /** schema.table */
  table: string;
  /** The column an UPDATE sets; null for the other operations. */
  column: string | null;
  op: WriteOp;
  /** "written" (rows > 0), "permission denied", "row-level security", or the database's other error. */
  outcome: string;
  rows?: number;
}

/**
 * What a signed-in user may write directly: what they configure. Their models (a model is a prompt, a
 * strategy and defaults: nothing recorded), their profile's display name, and a session's label (the user's
 * name for the run; drizzle's $onUpdate sets updated_at with it, which nothing reads). `anon` writes nothing.
 */
export function allowedWrite(c: Pick<WriteCase, "role" | "table" | "column" | "op">): boolean {
  if (c.role !== "authenticated") return false;
  if (c.table === "public.models") return c.op !== "TRUNCATE";
  if (c.table === "public.profiles") return c.op === "UPDATE" && c.column === "display_name";
  if (c.table === "public.trading_sessions") return c.op === "UPDATE" && (c.column === "label" || c.column === "updated_at");
  return false;
}

/** The tables a signed-in user reads through the Data API: their own rows, and the shared market data. */
export const READABLE_TABLES = [
  "public.accounts",
  "public.bars",
  "public.decisions",
  "public.fills",
  "public.instruments",
  "public.model_calls",
  "public.model_tokens",
  "public.models",
  "public.news",
  "public.option_quotes",
  "public.order_cancel_requests",
  "public.orders",
  "public.positions",
  "public.profiles",
  "public.session_chat_messages",
  "public.session_equity",
  "public.session_events",
  "public.trading_sessions",
];

export interface AppTable {
  schema: string;
  name: string;
  /** "schema"."name", quoted */
  sql: string;
  qualified: string;
  columns: { name: string; insertable: boolean; type: string }[];
  pk: string[];
}

const qi = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table (and partition) of every schema but PostgreSQL's own: public, auth, local_auth, drizzle, pgboss, … */
export async function appTables(admin: postgres.Sql): Promise<AppTable[]> {
  const rows = await admin<{ schema: string; name: string; columns: { name: string; type: string; identity: string; generated: string }[]; pk: string[] }[]>`
    select n.nspname as schema, c.relname as name,
      (select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                                         'identity', a.attidentity, 'generated', a.attgenerated) order by a.attnum)
         from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
      (select coalesce(json_agg(a.attname order by a.attnum), '[]')
         from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
         where i.indrelid = c.oid and i.indisprimary) as pk
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'
    order by 1, 2`;
  return rows.map((r) => ({
    schema: r.schema,
    name: r.name,
    sql: `${qi(r.schema)}.${qi(r.name)}`,
    qualified: `${r.schema}.${r.name}`,
    columns: r.columns.map((c) => ({ name: c.name, type: c.type, insertable: c.identity !== "a" && c.generated === "" })),
    pk: r.pk,
  }));
}

/** A condition ($1 = a user id) true on that user's rows; null for tables that belong to nobody. */
export function ownerCondition(t: AppTable): string | null {
  if (t.qualified === "public.profiles" || t.qualified === "auth.users") return "id = $1::uuid";
  if (t.qualified === "local_auth.refresh_tokens") return "session_id in (select id from local_auth.sessions where user_id = $1::uuid)";
  if (t.columns.some((c) => c.name === "user_id")) return "user_id = $1::uuid";
  return null;
}

export interface Owner {
  user: TestUser;
  /** A model of the user with no session: the one the probe may delete. */
  spareModelId: string;
}

/**
 * One row per table for the probe to aim at: the user's own row where the table has owners (it must have
 * one: the seed writes the whole ledger), else any row ({} when the table is empty).
 */
export async function probeRows(admin: postgres.Sql, tables: AppTable[], owner: Owner): Promise<Map<string, Record<string, unknown>>> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const t of tables) {
    const own = ownerCondition(t);
    const where = t.qualified === "public.models" ? `${own} and id = $2::uuid` : (own ?? "true");
    const params = t.qualified === "public.models" ? [owner.user.id, owner.spareModelId] : own ? [owner.user.id] : [];
    const [row] = await admin.unsafe<{ row: Record<string, unknown> }[]>(`select to_jsonb(t) as row from ${t.sql} t where ${where} limit 1`, params);
    if (own) expect(row, `the seed left no row of ${owner.user.email} in ${t.qualified}`).toBeDefined();
    rows.set(t.qualified, row?.row ?? {});
  }
  return rows;
}

class RolledBack extends Error {
  constructor(readonly rows: number) {
    super("rolled back");
  }
}

function outcomeOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === "42501") return /row-level security/.test(e.message ?? "") ? "row-level security" : "permission denied";
  return `error ${e.code ?? ""}: ${e.message ?? String(err)}`;
}

/** The login PostgREST uses (Supabase's `authenticator`): may SET ROLE to the API roles, nothing else. */
export async function ensureAuthenticator(admin: postgres.Sql, url: string): Promise<string> {
  await admin.unsafe(`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'authenticator') then
        create role authenticator login noinherit password 'authenticator';
      end if;
    end $$;
    grant anon, authenticated, service_role to authenticator;`);
  const u = new URL(url);
  u.username = "authenticator";
  u.password = "authenticator";
  return u.toString();
}

/** A transaction exactly as PostgREST opens one for a request with these claims. */
export function asDataApi<T>(api: postgres.Sql, role: ApiRole, userId: string | null, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  const claims = JSON.stringify(userId ? { sub: userId, role } : { role });
  return api.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${claims}, true)`;
    await tx.unsafe(`set local role ${role}`);
    return fn(tx);
  }) as Promise<T>;
}

/**
 * Tries every write on every table as `role` with the claims of `owner` (an INSERT of a copy of the user's
 * own row, an UPDATE `set c = c` of each column on that row, a DELETE of it, a TRUNCATE), each in its own
 * savepoint, rolled back whatever happens. Returns what happened to each.
 */
export async function probeWrites(api: postgres.Sql, role: ApiRole, owner: Owner, tables: AppTable[], rows: Map<string, Record<string, unknown>>): Promise<WriteCase[]> {
  const cases: WriteCase[] = [];
  await asDataApi(api, role, owner.user.id, async (tx) => {
    const attempt = async (t: AppTable, op: WriteOp, column: string | null, text: string, params: postgres.ParameterOrJSON<never>[]) => {
      // The savepoint always ends in an error, and so is always rolled back: a write that went through throws RolledBack.
      const err = await tx
        .savepoint(async (sp) => {
          const result = await sp.unsafe(text, params);
          throw new RolledBack(result.count);
        })
        .then(() => new Error("the savepoint was not rolled back"), (e: unknown) => e);
      const at = { role, table: t.qualified, column, op };
      cases.push(err instanceof RolledBack ? { ...at, outcome: err.rows > 0 ? "written" : "no row", rows: err.rows } : { ...at, outcome: outcomeOf(err) });
    };
    for (const t of tables) {
      const row = rows.get(t.qualified) ?? {};
      const record = `jsonb_populate_record(null::${t.sql}, $1::text::jsonb)`;
      const target = t.pk.length > 0 ? `(${t.pk.map(qi).join(", ")}) = (select ${t.pk.map((c) => `r.${qi(c)}`).join(", ")} from ${record} r)` : "true";
      const json = JSON.stringify(row) as never;

      const copy: Record<string, unknown> = { ...row };
      for (const col of t.columns) if (col.name === "id" && col.type === "uuid") copy.id = randomUUID();
      if (t.qualified === "public.models") copy.signature = `probe-${randomUUID().slice(0, 8)}`;
      const cols = t.columns.filter((c) => c.insertable).map((c) => qi(c.name));
      await attempt(t, "INSERT", null, `insert into ${t.sql} (${cols.join(", ")}) select ${cols.join(", ")} from ${record}`, [JSON.stringify(copy) as never]);
      for (const col of t.columns) {
        // An identity (always) or generated column may only be set to DEFAULT: anything else fails before privileges are checked.
        const value = col.insertable ? qi(col.name) : "default";
        await attempt(t, "UPDATE", col.name, `update ${t.sql} set ${qi(col.name)} = ${value} where ${target}`, t.pk.length > 0 ? [json] : []);
      }
      await attempt(t, "DELETE", null, `delete from ${t.sql} where ${target}`, t.pk.length > 0 ? [json] : []);
      await attempt(t, "TRUNCATE", null, `truncate ${t.sql}`, []);
    }
  });
  return cases;
}

/** What the probe found, one line per case, for the test's output file. */
export function writeReport(cases: WriteCase[]): string {
  const lines = cases.map((c) => `${c.role}\t${c.op}\t${c.table}${c.column ? `.${c.column}` : ""}\t${c.outcome}${c.rows !== undefined ? ` (${c.rows} row${c.rows === 1 ? "" : "s"})` : ""}`);
  const written = cases.filter((c) => c.outcome === "written");
  return [
    `# Every write tried through the Data API's roles (${cases.length} cases: role, operation, table[.column], outcome)`,
    `# written: ${written.length}; refused: ${cases.length - written.length}`,
    ...lines,
    "",
  ].join("\n");
}

/** Writes a report under integration-results/ (kept out of git) and returns its path. */
export async function saveReport(name: string, text: string): Promise<string> {
  const dir = path.resolve("integration-results");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

/** The rows `role` reads of each table with `userId`'s claims; "denied" when it may not read the table at all. */
export async function probeReads(api: postgres.Sql, role: ApiRole, userId: string, tables: AppTable[]): Promise<Map<string, { seen: number; notOwn: number } | "denied">> {
  const out = new Map<string, { seen: number; notOwn: number } | "denied">();
  await asDataApi(api, role, userId, async (tx) => {
    for (const t of tables) {
      const own = ownerCondition(t);
      try {
        const [r] = await tx.savepoint((sp) =>
          sp.unsafe<{ seen: number; notown: number }[]>(`select count(*)::int as seen, count(*) filter (where not coalesce(${own ?? "false"}, false))::int as notown from ${t.sql}`, own ? [userId] : []),
        );
        out.set(t.qualified, { seen: r!.seen, notOwn: own ? r!.notown : 0 });
      } catch (err) {
        expect(outcomeOf(err), `reading ${t.qualified} as ${role}`).toBe("permission denied");
        out.set(t.qualified, "denied");
      }
    }
  });
  return out;
}

/** Day bars for two symbols, a week of history and the week the sessions run (buy-and-hold buys both). */
const HISTORY = tradingDays("2025-02-24", "2025-02-28");
const DAYS = tradingDays("2025-03-03", "2025-03-07");
const AAA = [[98, 99], [99, 100], [100, 100], [100, 99], [99, 100], [101, 103], [104, 102], [99, 98], [97, 105], [106, 108]] as const;
const BBB = [[51, 50], [50, 49], [49, 50], [50, 51], [51, 50], [49, 48], [48, 47], [47, 50], [51, 52], [52, 53]] as const;

export interface Seeded {
  a: Owner & { sessionId: string };
  b: Owner & { sessionId: string };
}

/**
 * Two users, each with the whole ledger written by the app itself (the trading core): a finished
 * buy-and-hold session (account, orders, a cancel request, fills, positions, decisions, events, equity points), an answered
 * question in its chat, an API token of the model bound to the session, a spare model, a sign-in (local_auth), the counts of their rate limits (rate_limits:
 * starting the session and asking counted them); plus an admin email, a news item and a
 * signing key. pg-boss (schema pgboss) runs the sessions, so its tables are there too.
 */
export async function seedLedger(env: { url: string; db: Db; sql: postgres.Sql }): Promise<Seeded> {
  await seedBars(env.db, dayBars([...HISTORY, ...DAYS], { AAA, BBB }));
  const jobs = await testJobs(env.url);
  const worker = await startWorker({ url: env.url, concurrency: 2, sliceSeconds: 60, log: () => {} });
  try {
    const seedUser = async (label: string) => {
      const user = await createUser(env.sql, label);
      const modelId = await createModel(env.sql, user, { llm: "builtin:buy-and-hold" });
      const spareModelId = await createModel(env.sql, user, { llm: "builtin:momentum" });
      const session = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: DAYS[0]!, end: DAYS[DAYS.length - 1]!, symbols: ["AAA", "BBB"] }, { db: env.db, jobs: jobs.jobs });
      const done = await waitForStatus(env.sql, session.id, ["completed", "failed"]);
      expect(done).toMatchObject({ status: "completed", error: null });
      const answer = await askSessionModel(user.ctx, session.id, "What do you hold?", { db: env.db });
      for await (const chunk of answer.stream as unknown as AsyncIterable<unknown>) void chunk;
      expect(await answer.stored).not.toBeNull();
      await createModelToken(user.ctx, modelId, { name: "Outside agent", sessionId: session.id, expiresInDays: 30 }, env.db);
      // A person's cancel request (drizzle/0029), as one stands once applied: the session has ended, so the service
      // would refuse a new one; written as the server role (its trigger still checks the order is the session's).
      await env.sql`insert into order_cancel_requests (order_id, session_id, user_id, model_id, applied_at, outcome)
        select id, session_id, user_id, model_id, now(), 'ended' from orders where session_id = ${session.id} limit 1`;
      const [signIn] = await env.sql<{ id: string }[]>`insert into local_auth.sessions (user_id) values (${user.id}) returning id`;
      await env.sql`insert into local_auth.refresh_tokens (token_hash, session_id) values (${`hash-${randomUUID()}`}, ${signIn!.id})`;
      return { user, spareModelId, sessionId: session.id };
    };
    const a = await seedUser("api-a");
    const b = await seedUser("api-b");
    await env.sql`insert into admin_emails (email) values (${`boss-${randomUUID().slice(0, 8)}@example.com`})`;
    await env.sql`insert into news (published_at, title, source, symbols) values (now(), 'AAA beats', 'test', '{AAA}')`;
    await env.sql`insert into option_quotes values ('AAA250307C00050000', 'AAA', '2025-03-07', 'call', 50, now(), 1.1, 1.3, 'test')`;
    await env.sql`insert into local_auth.signing_keys (kid, private_jwk, public_jwk) values (${`kid-${randomUUID()}`}, '{}', '{}') on conflict do nothing`;
    return { a, b };
  } finally {
    await worker.stop();
    await jobs.stop();
  }
}

export interface DataApiFixture {
  /** The server's own connection (the role that ran the migrations). */
  sql: postgres.Sql;
  /** Logged in as `authenticator`, as PostgREST is. */
  api: postgres.Sql;
  seeded: Seeded;
  tables: AppTable[];
  /** Where the report goes: integration-results/<name>. */
  reportName: string;
}

const CORE = "bullpen_core";
const refused = (outcome: string) => outcome === "permission denied" || outcome === "row-level security";

/** The checks of issue #26 on a migrated and seeded database; shared by the plain-Postgres and the Supabase-like runs. */
export function dataApiChecks(get: () => DataApiFixture) {
  it("probes every table of every schema the app has: public, auth, local_auth, rate_limits, drizzle's and pg-boss's", () => {
    const { tables } = get();
    expect([...new Set(tables.map((t) => t.schema))].sort()).toEqual(["auth", "drizzle", "local_auth", "pgboss", "public", "rate_limits"]);
  });

  it("writes only the user's configuration: every other INSERT, UPDATE of any column, DELETE and TRUNCATE is refused", async () => {
    const { sql, api, seeded, tables, reportName } = get();
    const fingerprint = () => sql`
      select (select json_agg(to_jsonb(a) order by id) from accounts a) as accounts,
             (select json_agg(to_jsonb(s) order by id) from trading_sessions s) as sessions,
             (select count(*)::int from session_events) as events, (select count(*)::int from models) as models`;
    const before = await fingerprint();
    const rows = await probeRows(sql, tables, seeded.a);
    const cases = [...(await probeWrites(api, "authenticated", seeded.a, tables, rows)), ...(await probeWrites(api, "anon", seeded.a, tables, rows))];
    const file = await saveReport(reportName, writeReport(cases));
    console.log(`[data-api] ${cases.length} writes tried as anon and authenticated, ${cases.filter((c) => c.outcome === "written").length} went through: ${file}`);

    // One INSERT, one UPDATE per column, one DELETE and one TRUNCATE per table, for each role.
    const perRole = tables.reduce((n, t) => n + t.columns.length + 3, 0);
    expect(cases).toHaveLength(2 * perRole);
    const wrong = cases.filter((c) => (allowedWrite(c) ? c.outcome !== "written" : !refused(c.outcome)));
    expect(wrong).toEqual([]);
    const modelColumns = tables.find((t) => t.qualified === "public.models")!.columns.map((c) => `UPDATE public.models.${c.name}`);
    expect(cases.filter((c) => c.outcome === "written").map((c) => `${c.op} ${c.table}${c.column ? `.${c.column}` : ""}`).sort()).toEqual(
      [
        "INSERT public.models",
        ...modelColumns,
        "DELETE public.models",
        "UPDATE public.profiles.display_name",
        "UPDATE public.trading_sessions.label",
        "UPDATE public.trading_sessions.updated_at",
      ].sort(),
    );
    expect(await fingerprint()).toEqual(before); // every attempt was rolled back
  });

  it("reads: a user sees their own rows and none of anyone else's; a visitor (anon) sees nothing", async () => {
    const { sql, api, seeded, tables } = get();
    const reads = await probeReads(api, "authenticated", seeded.a.user.id, tables);
    expect([...reads].filter(([, r]) => r !== "denied").map(([t]) => t).sort()).toEqual(READABLE_TABLES);
    for (const t of tables) {
      const r = reads.get(t.qualified)!;
      if (r === "denied") continue;
      const own = ownerCondition(t);
      const [counts] = await sql.unsafe<{ total: number; a: number; b: number }[]>(
        `select count(*)::int as total, count(*) filter (where ${own ?? "true"})::int as a, count(*) filter (where ${own ? own.replaceAll("$1", "$2") : "false"})::int as b from ${t.sql}`,
        own ? [seeded.a.user.id, seeded.b.user.id] : [],
      );
      if (own) {
        expect({ table: t.qualified, seen: r.seen, notOwn: r.notOwn }).toEqual({ table: t.qualified, seen: counts!.a, notOwn: 0 });
        expect(counts!.a, `${t.qualified}: A has rows`).toBeGreaterThan(0);
        expect(counts!.b, `${t.qualified}: B has rows A must not see`).toBeGreaterThan(0);
      } else {
        expect(["public.bars", "public.instruments", "public.news", "public.option_quotes"]).toContain(t.qualified); // shared market data
        expect(r.seen).toBe(counts!.total);
      }
    }
    const visitor = await probeReads(api, "anon", seeded.a.user.id, tables);
    expect([...visitor].filter(([, r]) => r !== "denied" && r.seen > 0)).toEqual([]);
  });

  it(`cannot become ${CORE}: SET ROLE is refused to authenticator, anon and authenticated, and none of them is its member`, async () => {
    const { sql, api, seeded } = get();
    const attempts = [
      () => api.begin((tx) => tx.unsafe(`set local role ${CORE}`)),
      () => api.begin((tx) => tx`select set_config('role', ${CORE}, true)`),
      ...(["anon", "authenticated"] as const).flatMap((role) => [
        () => asDataApi(api, role, seeded.a.user.id, (tx) => tx.unsafe(`set local role ${CORE}`)),
        () => asDataApi(api, role, seeded.a.user.id, (tx) => tx`select set_config('role', ${CORE}, true)`),
      ]),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(/permission denied to set role "bullpen_core"/);
    const [core] = await sql<{ rolcanlogin: boolean; rolsuper: boolean; rolbypassrls: boolean }[]>`
      select rolcanlogin, rolsuper, rolbypassrls from pg_roles where rolname = ${CORE}`;
    expect(core).toEqual({ rolcanlogin: false, rolsuper: false, rolbypassrls: false });
    const members = await sql<{ role: string; member: boolean }[]>`
      select rolname as role, pg_has_role(oid, ${CORE}, 'MEMBER') as member from pg_roles
      where rolname in ('anon', 'authenticated', 'authenticator', 'service_role') order by 1`;
    expect(members).toEqual(["anon", "authenticated", "authenticator", "service_role"].map((role) => ({ role, member: false })));
    // And the server's own role may act as it (what withCore does).
    const [server] = await sql<{ role: string }[]>`select current_user as role`;
    expect((await sql.begin((tx) => tx`select set_config('role', ${CORE}, true) as role`))[0]).toEqual({ role: CORE });
    expect(server!.role).not.toBe(CORE);
  });

  it("the forgeries of issue #26 fail: a billion in cash, a finished session's metrics, a decision event", async () => {
    const { sql, api, seeded } = get();
    const { user, sessionId } = seeded.a;
    const state = () => sql`
      select (select cash::text from accounts where session_id = ${sessionId}) as cash,
             (select metrics from trading_sessions where id = ${sessionId}) as metrics,
             (select count(*)::int from session_events where session_id = ${sessionId}) as events`;
    const before = await state();
    expect(before[0]!.metrics).not.toBeNull();
    const forgeries = [
      `update accounts set cash = 1000000000 where session_id = '${sessionId}'`,
      `update trading_sessions set metrics = '{"totalReturn": 1000}'::jsonb where id = '${sessionId}'`,
      `insert into session_events (session_id, user_id, seq, type, at, payload)
       values ('${sessionId}', '${user.id}', 1000000, 'decision', now(), '{"outcome": "traded", "text": "forged"}')`,
    ];
    for (const statement of forgeries) {
      await expect(asDataApi(api, "authenticated", user.id, (tx) => tx.unsafe(statement))).rejects.toThrow(/permission denied for table/);
    }
    expect(await state()).toEqual(before);
  });

  it("no sequence can be advanced or set, no REFERENCES or TRIGGER right is held, and every SECURITY DEFINER function they may call is read-only", async () => {
    const { sql, api, seeded } = get();
    const sequences = await sql<{ name: string }[]>`
      select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'S' and n.nspname not in ('pg_catalog', 'information_schema') order by 1`;
    expect(sequences.length).toBeGreaterThan(0);
    for (const role of ["anon", "authenticated"] as const) {
      for (const { name } of sequences) {
        for (const call of [`select nextval('${name}')`, `select setval('${name}', 1000000)`]) {
          await expect(asDataApi(api, role, seeded.a.user.id, (tx) => tx.unsafe(call)), `${role}: ${call}`).rejects.toThrow(/permission denied/);
        }
      }
    }
    const rights = await sql<{ grantee: string; table: string; privilege: string }[]>`
      select r.rolname as grantee, format('%I.%I', n.nspname, c.relname) as table, p.privilege
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      cross join (values ('anon'), ('authenticated')) r(rolname)
      cross join (values ('REFERENCES'), ('TRIGGER'), ('TRUNCATE')) p(privilege)
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
        and has_table_privilege(r.rolname, c.oid, p.privilege)`;
    expect(rights).toEqual([]);
    const definers = await sql<{ fn: string; volatile: boolean; trigger: boolean }[]>`
      select p.oid::regprocedure::text as fn, p.provolatile = 'v' as volatile, p.prorettype = 'trigger'::regtype as trigger
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema')
        and exists (select 1 from (values ('anon'), ('authenticated')) r(rolname)
                    where has_function_privilege(r.rolname, p.oid, 'EXECUTE') and has_schema_privilege(r.rolname, n.oid, 'USAGE'))
      order by 1`;
    expect(definers.filter((d) => d.volatile && !d.trigger)).toEqual([]);
    // A trigger function cannot be called directly; is_admin() only reads (STABLE).
    expect(definers.filter((d) => !d.trigger).map((d) => d.fn)).toEqual(["is_admin()"]);
  });
}
