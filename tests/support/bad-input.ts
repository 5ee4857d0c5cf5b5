import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type postgres from "postgres";

/**
 * The bad-input suite's shared parts (docs/api.md, "Bad input"): one row per case, and "nothing written",
 * checked as the row counts of every table of the app before and after the case. Used by the HTTP table
 * (e2e/bad-input-*.spec.ts, against the production server) and the in-process table
 * (tests/integration/bad-input.int.test.ts: agent tools and importers on a real PostgreSQL).
 */

/** One row of a bad-input table: where, what is wrong, the input itself, and the answer it must get. */
export interface BadCase<I, E = number> {
  surface: string;
  what: string;
  input: I;
  expected: E;
}

/** "[surface 12/240] what": a case's title, numbered within its table. */
export const caseTitle = (c: { surface: string; what: string }, index: number, total: number) => `[${c.surface} ${index + 1}/${total}] ${c.what}`;

/**
 * Why `message` is not something a person can read and act on, or null when it is: a non-empty sentence in
 * words, not a stack trace, a driver's text, a bare code or "[object Object]".
 */
export function unreadable(message: unknown): string | null {
  if (typeof message !== "string") return `the message is ${message === undefined ? "missing" : typeof message}, not text`;
  const m = message.trim();
  if (m.length < 8 || !/[a-z]{3,}/i.test(m) || !/\s/.test(m)) return `"${m}" is not a sentence`;
  if (/\n\s+at\s|\bat .+\(.+:\d+:\d+\)/.test(m)) return "the message holds a stack trace";
  if (/\[object \w+\]/.test(m)) return `the message renders a value as "[object …]": "${m.slice(0, 120)}"`;
  if (/\b(select|insert|update|delete)\b .*\b(from|into|set)\b|syntax error at or near|violates .* constraint|relation ".+"/i.test(m)) return "the message holds database text";
  if (/TypeError|RangeError|ReferenceError|SyntaxError: Unexpected/.test(m)) return "the message is a JavaScript error";
  return null;
}

/**
 * Schemas whose rows are not "what a request wrote", left out of the counts:
 * - pgboss: the job queue's own bookkeeping, which pg-boss maintains on its schedule (stats, partitions); a
 *   job is only ever sent in the transaction that writes its session, which the counts do see.
 * - rate_limits: every attempt is counted there by design, a refused one too (that is what a limit is for).
 */
export const UNCOUNTED_SCHEMAS = ["pgboss", "rate_limits"] as const;

interface CountedTable {
  name: string;
  /** SQL for the rows to count, `$1` the ids of the users in scope. */
  rows: string;
}

const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;

/**
 * Every base table of the app (information_schema), with which of its rows belong to the users in scope: a
 * table with a `user_id` counts their rows, `auth.users` and `public.profiles` their own row, the auth
 * server's refresh tokens those of their sessions, and any other table (market data, admin emails, signing
 * keys, migrations) all of its rows. Other tests of the same server write only rows of their own users, so
 * counts scoped this way change only by what the case wrote. Row-level security holds every write made for a
 * request to its user, so a bad write of a case shows in its user's rows.
 */
export async function appTables(sql: postgres.Sql): Promise<CountedTable[]> {
  const columns = await sql<{ schema: string; table: string; columns: string[] }[]>`
    select t.table_schema as schema, t.table_name as table,
           coalesce(array_agg(c.column_name::text) filter (where c.column_name is not null), '{}') as columns
    from information_schema.tables t
    left join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
    where t.table_type = 'BASE TABLE'
      and t.table_schema not in ('pg_catalog', 'information_schema')
      and t.table_schema::text <> all(${[...UNCOUNTED_SCHEMAS]}::text[])
      and t.table_schema::text not like 'pg\\_%'
    group by t.table_schema, t.table_name
    order by 1, 2`;
  return columns.flatMap(({ schema, table, columns: cols }) => {
    const name = `${schema}.${table}`;
    const from = `${quote(schema)}.${quote(table)}`;
    const count = (where: string) => `select count(*)::int from ${from} where ${where}`;
    if (name === "auth.users" || name === "public.profiles") return [{ name, rows: count("id = any($1::uuid[])") }];
    if (name === "local_auth.refresh_tokens") return [{ name, rows: count("session_id in (select id from local_auth.sessions where user_id = any($1::uuid[]))") }];
    if (cols.includes("user_id")) return [{ name, rows: count("user_id = any($1::uuid[])") }];
    // Minute bars apart: a replay fills them in as it plans (a cache of the market), so a suite sharing its server with other tests may leave them out.
    if (name === "public.bars") return [{ name, rows: count("interval <> 'minute'") }, { name: MINUTE_BAR_CACHE, rows: count("interval = 'minute'") }];
    return [{ name, rows: count("true") }];
  });
}

/** The minute bars of public.bars, counted apart (appTables). */
export const MINUTE_BAR_CACHE = "public.bars (minute)";

export interface CountScope {
  /** Tables (names as appTables gives them) other work writes while the suite runs, left out with a reason at the caller. */
  skip?: readonly string[];
  /** The users whose rows a case could touch (its caller, the suite's fixtures). */
  users: readonly string[];
  /**
   * The case's input as text, for cases that could create a user (sign-up): every user whose email the
   * input holds is in scope too, so a sign-up that should have been refused shows as a new user and profile.
   */
  text?: string;
}

/** Text longer than this is not searched for emails (an email is at most 254 characters; the huge cases are not emails). */
const MAX_SCOPE_TEXT = 65_536;

/** `{ "schema.table": rows }` for every table of the app, in one statement (one snapshot). */
export async function rowCounts(sql: postgres.Sql, tables: readonly CountedTable[], scope: CountScope): Promise<Record<string, number>> {
  let users = [...scope.users];
  if (scope.text) {
    // PostgreSQL text holds no NUL; an email never has one either.
    const text = scope.text.slice(0, MAX_SCOPE_TEXT).replaceAll("\u0000", "").toLowerCase();
    const found = await sql<{ id: string }[]>`select id from auth.users where email is not null and email <> '' and strpos(${text}, lower(email)) > 0`;
    users = [...new Set([...users, ...found.map((r) => r.id)])];
  }
  const counted = tables.filter((t) => !scope.skip?.includes(t.name));
  const union = counted.map((t) => `select '${t.name.replaceAll("'", "''")}' as name, (${t.rows}) as n`).join(" union all ");
  const rows = await sql.unsafe<{ name: string; n: number }[]>(union, [users]);
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

/** The tables whose counts differ, as "table: before → after"; empty when nothing was written. */
export function countChanges(before: Record<string, number>, after: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((n) => before[n] !== after[n]).map((n) => `${n}: ${before[n] ?? "absent"} → ${after[n] ?? "absent"}`);
}

/**
 * Counts the rows in scope, runs `fn`, counts again: returns what `fn` returned and the tables that changed.
 * A table list is discovered once per suite (appTables).
 */
export async function countingWrites<T>(sql: postgres.Sql, tables: readonly CountedTable[], scope: CountScope, fn: () => Promise<T>): Promise<{ result: T; changes: string[] }> {
  const before = await rowCounts(sql, tables, scope);
  const result = await fn();
  const after = await rowCounts(sql, tables, scope);
  return { result, changes: countChanges(before, after) };
}

// ---- Inputs that are wrong in the same way everywhere ---------------------------------------------------

/** Deeply nested JSON as text (JSON.stringify itself cannot write it: it recurses): `{"a":{"a":…1…}}`. */
export const deepObjectJson = (depth: number, key = "a") => `${`{"${key}":`.repeat(depth)}1${"}".repeat(depth)}`;
export const deepArrayJson = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/** Strings a field of that kind must refuse: the same list for every surface. */
export const BAD_TEXT = {
  nul: "a\u0000b",
  loneSurrogate: "a\ud800b",
  sqlInjection: "'; drop table models; --",
  script: "<script>alert(1)</script>",
  pathTraversal: "../../../../etc/passwd",
  emoji: "🚀🚀",
  rtlOverride: "abc\u202edcba",
  protoKey: "__proto__",
  constructorKey: "constructor",
} as const;

/** `n` characters of text (`n` bytes of ASCII). */
export const huge = (n: number, ch = "x") => ch.repeat(n);
export const MB = 1024 * 1024;

// ---- The record -------------------------------------------------------------------------------------------

/** Cases per surface and in all, as "surface: n" lines, for the record and the final count. */
export function countsBySurface(cases: readonly { surface: string }[]): { surfaces: Record<string, number>; total: number } {
  const surfaces: Record<string, number> = {};
  for (const c of cases) surfaces[c.surface] = (surfaces[c.surface] ?? 0) + 1;
  return { surfaces, total: cases.length };
}

/**
 * The answer each case got, one line per case, written to integration-results/<name> (kept out of git) with the
 * counts per surface: what the suite saw, to read after a run.
 */
export class CaseRecord {
  private readonly lines = new Map<string, string>();

  constructor(private readonly cases: readonly { surface: string; what: string }[]) {}

  add(index: number, answer: string): void {
    const c = this.cases[index]!;
    this.lines.set(String(index).padStart(5, "0"), `${caseTitle(c, index, this.cases.length)}\n    → ${answer.replaceAll("\n", " ").slice(0, 300)}`);
  }

  /**
   * Writes the record; lines of this table already in the file are kept unless this run has its own (Playwright
   * runs the rest of a file in a new worker after a failed test, so one run's record is written in parts).
   */
  async save(name: string): Promise<string> {
    const dir = path.resolve("integration-results");
    const file = path.join(dir, name);
    const kept = await readFile(file, "utf8").catch(() => "");
    for (const m of kept.matchAll(/^\[[^\]\n]* (\d+)\/\d+\] [^\n]*\n {4}→ [^\n]*$/gm)) {
      const index = Number(m[1]);
      const key = String(index - 1).padStart(5, "0");
      if (!this.lines.has(key) && index <= this.cases.length) this.lines.set(key, m[0]);
    }
    const { surfaces, total } = countsBySurface(this.cases);
    const text = [
      `# bad input: ${total} cases, ${this.lines.size} run; each refused in words with nothing written`,
      ...Object.entries(surfaces).map(([s, n]) => `#   ${s}: ${n}`),
      "",
      ...[...this.lines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, line]) => line),
      "",
    ].join("\n");
    await mkdir(dir, { recursive: true });
    await writeFile(file, text);
    return file;
  }
}
