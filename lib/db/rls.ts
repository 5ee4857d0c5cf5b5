import "server-only";
import { PgDatabase, PgDialect } from "drizzle-orm/pg-core";
import { PostgresJsSession } from "drizzle-orm/postgres-js";
import { getDb, type Db, type Executor, type Tx } from "./client";
import type postgres from "postgres";
import { driverOf, runPrepared, type Param } from "./prepared";

/** The verified JWT claims of the caller; `sub` is the auth user id. */
export interface Claims {
  sub: string;
  role?: string;
  email?: string;
  [key: string]: unknown;
}

/**
 * The database role of the trading core (drizzle/0020_ledger_core_role.sql): it writes the ledger (sessions'
 * lifecycle and results, accounts, orders, fills, positions, decisions, events, equity points, chat). NOLOGIN,
 * granted only to the role the server connects as, never to `authenticator`, so Supabase's Data API (which
 * acts as `anon` or `authenticated`) cannot become it. It is a member of `authenticated`: it reads what the
 * user reads, and row-level security filters its writes on the same auth.uid(). docs/ARCHITECTURE.md, "Who writes what".
 */
export const CORE_ROLE = "bullpen_core";

type ActingRole = "authenticated" | typeof CORE_ROLE;

/** Claims and role in one statement (as PostgREST does): setting `role` is SET LOCAL ROLE. */
const actAs = (role: ActingRole) => `select set_config('request.jwt.claims', $1, true), set_config('role', '${role}', true)`;
const ACT_AS = { authenticated: actAs("authenticated"), [CORE_ROLE]: actAs(CORE_ROLE) } as const;

/**
 * Also commits without waiting for the WAL flush (synchronous_commit off, transaction-local). Only for
 * work that can be redone exactly: a crash of the DATABASE may lose the last such commits (never half of
 * one), and their owner must notice and redo them (the session runner resumes at the stored cursor).
 */
const ASYNC_COMMIT = ", set_config('synchronous_commit', 'off', true)";

async function actAsRole(role: ActingRole, tx: Executor, claims: Claims, asyncCommit: boolean): Promise<void> {
  await runPrepared(tx, asyncCommit ? `${ACT_AS[role]}${ASYNC_COMMIT}` : ACT_AS[role], [JSON.stringify(claims)]);
}

/**
 * Switches the current transaction to the database role `authenticated` with the caller's claims, so
 * every later statement is filtered by the row-level security policies on auth.uid(). Transaction-local.
 * Callers may pipeline statements after it without awaiting: they run in call order. `asyncCommit`:
 * see ASYNC_COMMIT. As `authenticated` a transaction may read the user's rows and write only what the
 * user configures (their models, profile name, a session's label), like the Data API; ledger writes need actAsCore.
 */
export async function actAsUser(tx: Executor, claims: Claims, { asyncCommit = false }: { asyncCommit?: boolean } = {}): Promise<void> {
  await actAsRole("authenticated", tx, claims, asyncCommit);
}

/**
 * actAsUser for the trading core: the role CORE_ROLE with the owner's claims. It reads all the user reads
 * and also writes the ledger, still only the owner's rows (row-level security on auth.uid()).
 */
export async function actAsCore(tx: Executor, claims: Claims, { asyncCommit = false }: { asyncCommit?: boolean } = {}): Promise<void> {
  await actAsRole(CORE_ROLE, tx, claims, asyncCommit);
}

/**
 * Runs `fn` in one transaction as the database role `authenticated` with the caller's claims, so every
 * query is filtered by the row-level security policies on auth.uid(). The settings are transaction-local:
 * the pooled connection is clean when the transaction ends. For reads, and the user's own configuration.
 */
export async function withUser<T>(claims: Claims, fn: (tx: Tx) => Promise<T>, db = getDb()): Promise<T> {
  return db.transaction(async (tx) => {
    await actAsUser(tx, claims);
    return fn(tx);
  });
}

/** withUser as the trading core (actAsCore): for every write of the ledger, on behalf of the claims' user. */
export async function withCore<T>(claims: Claims, fn: (tx: Tx) => Promise<T>, db = getDb()): Promise<T> {
  return db.transaction(async (tx) => {
    await actAsCore(tx, claims);
    return fn(tx);
  });
}

/** As createDb configures drizzle (snake_case columns). */
const dialect = new PgDialect({ casing: "snake_case" });

/** A drizzle database over one reserved connection (or a guard around it). */
const drizzleOver = (client: postgres.ReservedSql) => new PgDatabase(dialect, new PostgresJsSession(client, dialect, undefined), undefined) as unknown as Db;

/** BEGIN and the role switch as one simple-protocol message (it may hold several statements; the claims are an escaped literal). */
const beginAs = (role: ActingRole, claims: Claims, asyncCommit = false) =>
  `begin; ${ACT_AS[role]}${asyncCommit ? ASYNC_COMMIT : ""}`.replace("$1", sqlLiteral(JSON.stringify(claims)));

/**
 * withUser in one round trip less, for short hot-path transactions: BEGIN and the role switch travel as
 * one message that is on the wire before `fn` runs, so fn's first statements are pipelined behind it
 * without waiting (postgres.js sends a connection's statements in the order they are issued). COMMIT
 * is sent once fn has resolved, ROLLBACK if it throws; the connection goes back to the pool clean.
 */
export function withUserPipeline<T>(claims: Claims, fn: (tx: Db) => Promise<T>, db = getDb()): Promise<T> {
  return pipelineAs("authenticated", claims, fn, db);
}

/** withUserPipeline as the trading core (actAsCore): placeOrderAsUser's three round trips. */
export function withCorePipeline<T>(claims: Claims, fn: (tx: Db) => Promise<T>, db = getDb()): Promise<T> {
  return pipelineAs(CORE_ROLE, claims, fn, db);
}

async function pipelineAs<T>(role: ActingRole, claims: Claims, fn: (tx: Db) => Promise<T>, db: Db): Promise<T> {
  const conn = await driverOf(db).reserve();
  const tx = drizzleOver(conn);
  try {
    const begun = conn.unsafe(beginAs(role, claims)).then(() => undefined);
    const [, result] = await Promise.all([begun, fn(tx)]);
    await conn.unsafe("commit");
    return result;
  } catch (err) {
    await conn.unsafe("rollback").catch(() => {});
    throw err;
  } finally {
    conn.release();
  }
}

/**
 * Statements in ONE transaction as `role` for the claims' user, with BEGIN, the role switch, every
 * statement `issue` sends and COMMIT all on the wire before anything is awaited: the transaction lasts as
 * long as the database takes, never as long as this process takes to get back to it (a worker running
 * hundreds of sessions may be busy for tens of milliseconds). `issue` must send its statements without
 * awaiting between them (they run in call order: runPrepared sends at once; drizzle's lazy builders, sent
 * only when awaited, are refused) and return them in that order. A failing statement
 * aborts the transaction, every later one fails with it and the COMMIT rolls back: the first failure is
 * thrown. So a condition that must not commit is raised by the statement itself (bullpen_abort,
 * drizzle/0023), never returned to be judged here. Only `issue`'s statements: anything after COMMIT
 * would run as the server's own role.
 */
async function oneTripAs<T extends readonly unknown[]>(
  role: ActingRole,
  claims: Claims,
  issue: (tx: Db) => { [K in keyof T]: Promise<T[K]> },
  db: Db,
  asyncCommit = false,
): Promise<T> {
  const conn = await driverOf(db).reserve();
  let sealed = false;
  try {
    // A statement created after COMMIT was sent would run outside the transaction, as the server's own role: refused.
    const client = new Proxy(conn, {
      get: (target, key) => (key === "unsafe" && sealed ? () => { throw new Error("oneTripAs: a statement must be sent while `issue` runs"); } : Reflect.get(target, key)),
    });
    const tx = drizzleOver(client);
    const begun = conn.unsafe(beginAs(role, claims, asyncCommit)).execute();
    const statements = issue(tx);
    sealed = true;
    // Flushed at once (scripts/patch-postgres.mjs): the trip leaves whole now, not at the busy loop's next check phase.
    const committed = conn.unsafe("commit", [], { flush: true } as postgres.UnsafeQueryOptions).execute();
    const settled: PromiseSettledResult<unknown>[] = await Promise.allSettled([begun, ...statements, committed]);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return settled.slice(1, -1).map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
  } catch (err) {
    await conn.unsafe("rollback").catch(() => {});
    throw err;
  } finally {
    conn.release();
  }
}

/** oneTripAs the trading core: a ledger write of several statements that commit together or not at all (`asyncCommit`: ASYNC_COMMIT). */
export function oneTripAsCore<T extends readonly unknown[]>(
  claims: Claims,
  issue: (tx: Db) => { [K in keyof T]: Promise<T[K]> },
  { db = getDb(), asyncCommit = false }: { db?: Db; asyncCommit?: boolean } = {},
): Promise<T> {
  return oneTripAs<T>(CORE_ROLE, claims, issue, db, asyncCommit);
}

/** What a statement refused with bullpen_abort (drizzle/0023: SQLSTATE BP001, the code as message); null for any other error. */
export function abortOf(err: unknown): { code: string; detail: string } | null {
  const e = err as { code?: unknown; message?: unknown; detail?: unknown } | null;
  return e?.code === "BP001" ? { code: String(e.message), detail: typeof e.detail === "string" ? e.detail : "" } : null;
}

/** One prepared statement in its own transaction (oneTripAs). */
async function oneStatementAs<Row>(role: ActingRole, claims: Claims, text: string, params: readonly Param[], db: Db, asyncCommit = false): Promise<Row[]> {
  const [rows] = await oneTripAs<[Row[]]>(role, claims, (tx) => [runPrepared<Row>(tx, text, params)], db, asyncCommit);
  return rows;
}

/** oneStatementAs the trading core: one ledger write (or a read that must not outlive its statement); `asyncCommit`: ASYNC_COMMIT. */
export function oneStatementAsCore<Row>(
  claims: Claims,
  text: string,
  params: readonly Param[],
  db = getDb(),
  { asyncCommit = false }: { asyncCommit?: boolean } = {},
): Promise<Row[]> {
  return oneStatementAs<Row>(CORE_ROLE, claims, text, params, db, asyncCommit);
}

/** oneStatementAs the user (`authenticated`): one read filtered by row-level security, as short as the database makes it. */
export function oneStatementAsUser<Row>(claims: Claims, text: string, params: readonly Param[], db = getDb()): Promise<Row[]> {
  return oneStatementAs<Row>("authenticated", claims, text, params, db);
}

/** A string literal safe under any standard_conforming_strings setting (what libpq's PQescapeLiteral does). */
export function sqlLiteral(text: string): string {
  return `E'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}
