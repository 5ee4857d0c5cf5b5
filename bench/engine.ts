/**
 * `npm run bench:engine`: placeOrder on a real PostgreSQL against a bare single-row INSERT transaction on
 * the same database, pool and driver (see docs/ledger.md, "Performance").
 *
 *   1. latency at concurrency 1: p50/p99 of each kind, interleaved in blocks of 100 so drift hits all alike
 *   2. throughput: 200 models placing orders concurrently for --seconds, then the same for each other kind
 * Kinds: placeOrderAsUser (pipelined: [BEGIN+role, lock, reads] [write, COMMIT]); withCore + placeOrder
 * (the plain path: BEGIN, role, [lock, reads], write, COMMIT); the bare single-row INSERT transaction.
 *
 * Starts its own embedded PostgreSQL in a temp dir, or uses a fresh database on DATABASE_URL's server.
 * Options: --pool <n> (default 48), --seconds <n> (default 5), --latency <n> orders per kind (default 2000),
 * --statements (embedded server only: what each statement cost PostgreSQL per order in the placeOrderAsUser
 * throughput run, from pg_stat_statements: execution, planning, WAL records and bytes).
 * Prints a table, then one JSON line (placeOrderAsUser vs bare).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createDb, type Db } from "@/lib/db/client";
import { startEmbeddedPostgres, withDatabase } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { runPrepared } from "@/lib/db/prepared";
import { insertAccount } from "@/lib/db/queries/accounts";
import { insertTradingSession } from "@/lib/db/queries/sessions";
import { withCore, type Claims } from "@/lib/db/rls";
import { env } from "@/lib/env";
import { placeOrder, placeOrderAsUser, type PlaceOrderResult } from "@/lib/services/place-order";
import { createStaticPriceSource } from "@/lib/trading/price-source";
import type { UserOrderContext } from "@/lib/services/place-order";

const { values: args } = parseArgs({
  options: {
    pool: { type: "string", default: "48" },
    seconds: { type: "string", default: "5" },
    latency: { type: "string", default: "2000" },
    statements: { type: "boolean", default: false },
  },
});
const POOL = Number(args.pool);
const SECONDS = Number(args.seconds);
const LATENCY_ORDERS = Number(args.latency);
const MODELS = 200;
const USERS = 20;
const SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN"];
const CLOCK = new Date("2026-03-02T14:30:00Z");
const BARE_INSERT = "insert into bench_bare (model_id, note) values ($1, $2)";

async function database(): Promise<{ url: string; close(): Promise<void> }> {
  if (env.DATABASE_URL) {
    const name = `bullpen_bench_${Date.now()}`;
    const admin = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    return {
      url: withDatabase(env.DATABASE_URL, name),
      close: async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "bullpen-bench-"));
  const flags = args.statements ? ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all", "-c", "pg_stat_statements.track_planning=on"] : [];
  const server = await startEmbeddedPostgres({ dataDir: dir, persistent: false, flags });
  return {
    url: server.url,
    close: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Trader {
  ctx: UserOrderContext;
  n: number;
}

/** 200 models of 20 users, each with a running session and $10M, trading 4 symbols. */
async function setUp(url: string, db: Db): Promise<Trader[]> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin`create table bench_bare (id bigserial primary key, model_id uuid not null, note text not null, created_at timestamptz not null default now())`;
  await admin`grant select, insert on bench_bare to authenticated`;
  await admin`grant usage on sequence bench_bare_id_seq to authenticated`;
  const market = createStaticPriceSource(Object.fromEntries(SYMBOLS.map((s, i) => [s, 100 + i * 37.25])), CLOCK);
  const traders: Trader[] = [];
  for (let u = 0; u < USERS; u++) {
    const [user] = await admin<{ id: string }[]>`insert into auth.users (email) values (${`bench-${u}@example.com`}) returning id`;
    const claims: Claims = { sub: user!.id, role: "authenticated" };
    for (let m = 0; m < MODELS / USERS; m++) {
      const [model] = await admin<{ id: string }[]>`
        insert into models (user_id, name, signature, llm, starting_cash)
        values (${user!.id}, ${`Bench ${u}-${m}`}, ${`bench-${u}-${m}`}, 'builtin:momentum', 10000000) returning id`;
      const sessionId = await withCore(
        claims,
        async (tx) => {
          const s = await insertTradingSession(tx, {
            userId: user!.id,
            values: {
              modelId: model!.id,
              kind: "backtest",
              interval: "minute",
              status: "running",
              startingCash: "10000000",
              settings: { fees: { perShare: "0.005", minimum: "1" }, slippageBps: 5 },
              llm: "builtin:random",
              instructions: "",
            },
          });
          await insertAccount(tx, { userId: user!.id, modelId: model!.id, sessionId: s.id, startingCash: "10000000" });
          return s.id;
        },
        db,
      );
      const ctx = { userId: user!.id, modelId: model!.id, sessionId, claims, clock: { now: () => CLOCK }, market };
      traders.push({ ctx, n: 0 });
    }
  }
  await admin.end();
  return traders;
}

/** Buy then sell 10 shares, cycling through the symbols: every order fills and touches a position. */
function nextOrder(t: Trader) {
  const k = t.n++;
  const symbol = SYMBOLS[Math.floor(k / 2) % SYMBOLS.length]!;
  return { symbol, side: k % 2 === 0 ? "buy" : "sell", quantity: 10, idempotencyKey: `bench_${k}` };
}

function filled(result: PlaceOrderResult): void {
  if (!result.fill) throw new Error(`bench order was rejected: ${result.order.rejectCode} ${result.order.rejectMessage}`);
}

async function placeOne(db: Db, t: Trader): Promise<void> {
  filled(await placeOrderAsUser(t.ctx, nextOrder(t), db));
}

async function placeOneWithCore(db: Db, t: Trader): Promise<void> {
  const input = nextOrder(t);
  filled(await withCore(t.ctx.claims, (tx) => placeOrder(tx, t.ctx, input), db));
}

let bareCount = 0;
function bareOne(db: Db, t: Trader): Promise<unknown> {
  return db.transaction((tx) => runPrepared(tx, BARE_INSERT, [t.ctx.modelId, `bare ${bareCount++}`]));
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { n: s.length, mean, p50: quantile(s, 0.5), p90: quantile(s, 0.9), p99: quantile(s, 0.99), max: s[s.length - 1]! };
}

/** Sequential latency of each kind (one trader each), interleaved in blocks of 100 so drift hits all alike. */
async function latency(kinds: { trader: Trader; one: (t: Trader) => Promise<unknown> }[]) {
  const samples = kinds.map(() => [] as number[]);
  for (let done = 0; done < LATENCY_ORDERS; done += 100) {
    for (const [k, { trader, one }] of kinds.entries()) {
      for (let i = 0; i < 100; i++) {
        const t0 = performance.now();
        await one(trader);
        samples[k]!.push(performance.now() - t0);
      }
    }
  }
  return samples.map(stats);
}

/** CPU time of the whole machine (all processes) and of this Node process, in core-seconds. */
function cpuNow() {
  const machine = os.cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0) / 1000;
  const own = process.cpuUsage();
  return { machine, node: (own.user + own.system) / 1e6 };
}

/** Every trader loops for `seconds`; returns committed transactions per second and their latencies. */
async function throughput(traders: Trader[], seconds: number, one: (t: Trader) => Promise<unknown>) {
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpu0 = cpuNow();
  await Promise.all(
    traders.map(async (t) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await one(t);
        samples.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu1 = cpuNow();
  // Per committed transaction: CPU ms of this Node process and of everything else (mostly PostgreSQL).
  const nodeMs = ((cpu1.node - cpu0.node) * 1000) / samples.length;
  const otherMs = ((cpu1.machine - cpu0.machine - (cpu1.node - cpu0.node)) * 1000) / samples.length;
  return { perSecond: samples.length / elapsed, committed: samples.length, latency: stats(samples), nodeMs, otherMs };
}

/** The statements of the last run by cost, per committed order: calls, execution and planning ms, WAL. */
async function statementCosts(client: postgres.Sql, orders: number): Promise<string[]> {
  const rows = await client<{ calls: number; exec: number; plan: number; wal: number; walBytes: number; top: boolean; query: string }[]>`
    select calls::float8 as calls, total_exec_time as exec, total_plan_time as plan, wal_records::float8 as wal,
           wal_bytes::float8 as "walBytes", toplevel as top, query
    from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time + total_plan_time desc limit 10`;
  const per = (x: number) => (x / orders).toFixed(3);
  return rows.map(
    (r) =>
      `${per(r.exec)} ms exec + ${per(r.plan)} ms plan, ${(r.calls / orders).toFixed(2)} calls, ${(r.wal / orders).toFixed(1)} WAL records ` +
      `(${Math.round(r.walBytes / orders)} B)${r.top ? "" : " nested"}: ${r.query.replace(/\s+/g, " ").slice(0, 90)}`,
  );
}

async function main() {
  if (args.statements && env.DATABASE_URL) throw new Error("--statements needs the embedded server (it preloads pg_stat_statements): unset DATABASE_URL");
  const dbHandle = await database();
  const { url } = dbHandle;
  await migrateDatabase(url);
  const { db, client } = createDb(url, POOL);
  try {
    const traders = await setUp(url, db);
    const cpus = os.cpus().length;
    console.log(`PostgreSQL ${(await client`show server_version`)[0]!.server_version}, ${cpus} CPUs, pool ${POOL}, ${MODELS} models`);

    // Warm-up: every connection prepares its statements; WAL segments get created.
    await throughput(traders, 2, (t) => placeOne(db, t));
    await throughput(traders, 1, (t) => bareOne(db, t));

    const [lat, latPlain, latBare] = await latency([
      { trader: traders[0]!, one: (t) => placeOne(db, t) },
      { trader: traders[1]!, one: (t) => placeOneWithCore(db, t) },
      { trader: traders[2]!, one: (t) => bareOne(db, t) },
    ]);
    if (args.statements) await client`create extension if not exists pg_stat_statements`.then(() => client`select pg_stat_statements_reset()`);
    const orders = await throughput(traders, SECONDS, (t) => placeOne(db, t));
    const statements = args.statements ? await statementCosts(client, orders.committed) : [];
    const plain = await throughput(traders, SECONDS, (t) => placeOneWithCore(db, t));
    const bare = await throughput(traders, SECONDS, (t) => bareOne(db, t));

    const [{ n: stored }] = (await client`select count(*)::int as n from orders`) as unknown as [{ n: number }];
    const [{ n: negative }] = (await client`select count(*)::int as n from accounts where cash < 0`) as unknown as [{ n: number }];
    if (negative > 0) throw new Error(`${negative} accounts with negative cash`);

    const f = (x: number) => x.toFixed(2);
    type Stats = ReturnType<typeof stats>;
    const row = (label: string, s: Stats, perSecond?: number) => [label, f(s.p50), f(s.p90), f(s.p99), f(s.max), String(s.n), perSecond === undefined ? "" : perSecond.toFixed(0)];
    const rows = [
      row("placeOrderAsUser, concurrency 1", lat!),
      row("withCore+placeOrder, concurrency 1", latPlain!),
      row("bare INSERT tx, concurrency 1", latBare!),
      row(`placeOrderAsUser, ${MODELS} models`, orders.latency, orders.perSecond),
      row(`withCore+placeOrder, ${MODELS} models`, plain.latency, plain.perSecond),
      row(`bare INSERT tx, ${MODELS} clients`, bare.latency, bare.perSecond),
    ];
    const head = ["", "p50 ms", "p90 ms", "p99 ms", "max ms", "n", "per s"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
    console.log(`orders stored in total (incl. warm-up): ${stored}; accounts with negative cash: ${negative}`);
    const cpu = (r: { nodeMs: number; otherMs: number }) => `${r.nodeMs.toFixed(3)} ms in Node + ${r.otherMs.toFixed(3)} ms elsewhere (PostgreSQL, kernel, other load)`;
    console.log(`CPU per committed transaction: placeOrderAsUser ${cpu(orders)}`);
    console.log(`                                withCore+placeOrder ${cpu(plain)}`);
    console.log(`                                bare INSERT tx ${cpu(bare)}`);

    if (statements.length > 0) {
      console.log(`PostgreSQL per order, placeOrderAsUser with ${MODELS} models (pg_stat_statements; nested = inside another statement):`);
      for (const line of statements) console.log(`  ${line}`);
    }

    const summary = {
      p50_ms: Number(f(lat!.p50)),
      p99_ms: Number(f(lat!.p99)),
      bare_p99_ms: Number(f(latBare!.p99)),
      p99_ratio: Number((lat!.p99 / latBare!.p99).toFixed(2)),
      orders_per_s: Math.round(orders.perSecond),
      bare_per_s: Math.round(bare.perSecond),
    };
    console.log(JSON.stringify(summary));
  } finally {
    await client.end();
    await dbHandle.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
