/**
 * `npm run bench:audit`: the admin trade audit's server work with 100,000 filled orders from 40 sessions
 * of 4 users. Times the page's query (first page, filtered, sorted, deep page) and a CSV export, median of
 * 7 runs each, through the same service the page and API call (as an admin, under row-level security),
 * against a baseline in the same run: the same call filtered to a session with no orders.
 * Prints a table and, last, one JSON line.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { grantAdmin, migrateDatabase } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { auditFilterSchema } from "@/lib/schemas/audit";
import { auditCsv, auditOrders, auditOrdersForExport } from "@/lib/services/admin-audit";

const FILLS = 100_000;
const USERS = 4;
const SESSIONS_PER_USER = 10;

const dir = env.DATABASE_URL ? null : await mkdtemp(path.join(os.tmpdir(), "bullpen-bench-audit-"));
const server = dir ? await startEmbeddedPostgres({ dataDir: dir, persistent: false }) : null;
let url = env.DATABASE_URL ?? server!.url;
if (env.DATABASE_URL) {
  const name = `bullpen_bench_audit_${Date.now()}`;
  const admin = postgres(env.DATABASE_URL, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  url = url.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
}
await migrateDatabase(url);
const sql = postgres(url, { max: 4, onnotice: () => {} });
const { db, client } = createDb(url, 4);

// Seed: users (the trigger makes profiles), a model and 10 sessions each, then 100k orders + fills in bulk.
const users: { id: string; email: string }[] = [];
for (let u = 0; u < USERS; u++) {
  const email = `trader-${u}-${randomUUID().slice(0, 6)}@example.com`;
  const [row] = await sql<{ id: string }[]>`insert into auth.users (email) values (${email}) returning id`;
  users.push({ id: row!.id, email });
}
const [adminRow] = await sql<{ id: string }[]>`insert into auth.users (email) values ('auditor@example.com') returning id`;
await grantAdmin(sql, ["auditor@example.com"]);
const sessions: { id: string; userId: string; modelId: string }[] = [];
for (const u of users) {
  const [m] = await sql<{ id: string }[]>`
    insert into models (user_id, name, signature, llm, starting_cash) values (${u.id}, ${`Model of ${u.email}`}, 'm', 'builtin:random', 1000000) returning id`;
  for (let s = 0; s < SESSIONS_PER_USER; s++) {
    const [row] = await sql<{ id: string }[]>`
      insert into trading_sessions (user_id, model_id, kind, interval, status, starting_cash, llm, instructions)
      values (${u.id}, ${m!.id}, 'backtest', 'hour', 'completed', 1000000, 'builtin:random', '') returning id`;
    sessions.push({ id: row!.id, userId: u.id, modelId: m!.id });
  }
}
const t0 = performance.now();
const perSession = FILLS / sessions.length;
for (const s of sessions) {
  await sql`
    with o as (
      insert into orders (user_id, model_id, session_id, idempotency_key, symbol, side, quantity, status, filled_quantity, reference_price, placed_at)
      select ${s.userId}, ${s.modelId}, ${s.id}, ${s.id} || ':' || g, (array['AAPL','MSFT','NVDA','AMZN','TSLA'])[1 + g % 5],
             (case when g % 2 = 0 then 'buy' else 'sell' end)::order_side, 1 + g % 50, 'filled', 1 + g % 50, 100 + g % 37,
             timestamptz '2025-06-02 13:30Z' + (g * interval '1 minute')
      from generate_series(1, ${perSession}) g
      returning id, user_id, model_id, session_id, symbol, side, quantity, reference_price, placed_at
    )
    insert into fills (order_id, user_id, model_id, session_id, symbol, side, quantity, price, reference_price, fee, cash_delta, cash_after, quantity_after, filled_at)
    select id, user_id, model_id, session_id, symbol, side, quantity, reference_price, reference_price, 1, -quantity * reference_price, 1000000, quantity, placed_at from o`;
}
await sql`analyze`;
console.log(`seeded ${FILLS} orders and fills in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const ctx = { userId: adminRow!.id, claims: { sub: adminRow!.id, role: "authenticated", email: "auditor@example.com" } };
const f = (x: Record<string, unknown>) => auditFilterSchema.parse(x);

async function median(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  const times: number[] = [];
  await fn(); // warm-up (prepared plans, caches)
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

const results = {
  fills: FILLS,
  // The baseline: the same call for a session that has no orders (an index lookup finds nothing): what
  // every call pays whatever the data (transaction, role switch, the count and the page).
  baseline_empty_ms: await median(() => auditOrders(ctx, f({ session: randomUUID() }), db)),
  first_page_ms: await median(() => auditOrders(ctx, f({}), db)),
  filtered_ms: await median(() => auditOrders(ctx, f({ user: users[1]!.email.slice(0, 10), symbol: "NVDA", side: "buy" }), db)),
  sorted_by_symbol_ms: await median(() => auditOrders(ctx, f({ sort: "symbol", dir: "asc" }), db)),
  deep_page_ms: await median(() => auditOrders(ctx, f({ page: 1000 }), db)),
  csv_rows: (await auditOrdersForExport(ctx, f({ symbol: "AAPL" }), db)).length,
  csv_ms: await median(async () => auditCsv(await auditOrdersForExport(ctx, f({ symbol: "AAPL" }), db)), 3),
};

console.log("\naudit query (median of 7, as an admin under RLS)  ms");
for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(24)} ${v}`);
await sql.end();
await client.end();
await server?.stop();
if (dir) await rm(dir, { recursive: true, force: true });
console.log(JSON.stringify(results));
