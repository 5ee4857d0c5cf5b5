import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { createDb, type Db } from "@/lib/db/client";
import { insertBars, insertInstruments } from "@/lib/db/queries/bars";
import { withDatabase } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { startBoss } from "@/lib/jobs/boss";
import { createSessionJobs, type SessionJobs } from "@/lib/jobs/session-jobs";
import type { Bar } from "@/lib/market";
import { sessionOf } from "@/lib/market";
import { databaseUrl, type TestUser } from "./database";

/** A brand-new migrated database (market data of other tests cannot leak in), with its URL. */
export async function freshSessionDatabase(label: string) {
  const name = `${label}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(databaseUrl(), name);
  await migrateDatabase(url);
  const { db, client } = createDb(url, 10);
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  return {
    url,
    db,
    sql,
    async drop() {
      await client.end({ timeout: 2 });
      await sql.end({ timeout: 2 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The web process's job sender, on `url`. */
export async function testJobs(url: string): Promise<{ jobs: SessionJobs; stop(): Promise<void> }> {
  const boss = await startBoss(url, { supervise: false, max: 2 });
  return { jobs: createSessionJobs(boss), stop: () => boss.stop({ graceful: false, timeout: 1000 }) };
}

/** Day bars at each trading day's open; `prices[symbol]` = [open, close] per day. */
export function dayBars(days: readonly string[], prices: Record<string, readonly (readonly [number, number])[]>, source = "test"): Bar[] {
  const bars: Bar[] = [];
  for (const [symbol, series] of Object.entries(prices)) {
    days.forEach((day, i) => {
      const [open, close] = series[i]!;
      bars.push({
        symbol,
        interval: "day",
        start: sessionOf(day)!.open,
        open,
        high: Math.max(open, close),
        low: Math.min(open, close),
        close,
        volume: 1000,
        source,
        derived: false,
      });
    });
  }
  return bars;
}

export async function seedBars(db: Db, bars: readonly Bar[], source = "test"): Promise<void> {
  const symbols = [...new Set(bars.map((b) => b.symbol))];
  await insertInstruments(db, symbols.map((symbol) => ({ symbol, name: symbol, exchange: "TEST", assetClass: "equity", source })));
  await insertBars(db, bars.map((b) => ({ ...b })));
}

export async function createModel(sql: postgres.Sql, user: TestUser, { llm = "builtin:buy-and-hold", startingCash = "10000", instructions = "" } = {}): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into models (user_id, name, signature, llm, starting_cash, instructions)
    values (${user.id}, 'Test model', ${`m-${randomUUID().slice(0, 8)}`}, ${llm}, ${startingCash}, ${instructions}) returning id`;
  return row!.id;
}

/** Waits (polling: this is a test) until the session is in one of `statuses`. */
export async function waitForStatus(sql: postgres.Sql, sessionId: string, statuses: readonly string[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await sql<{ status: string; cursor: number; total_bars: number; error: string | null }[]>`
      select status, cursor, total_bars, error from trading_sessions where id = ${sessionId}`;
    if (row && statuses.includes(row.status)) return row;
    if (Date.now() > deadline) throw new Error(`session ${sessionId} is ${row?.status} (${row?.cursor}/${row?.total_bars}) after ${timeoutMs} ms, expected ${statuses.join("|")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Everything a run leaves, comparable across runs (no ids, no wall-clock times). */
export async function runRecordOf(sql: postgres.Sql, sessionId: string) {
  const fills = await sql`
    select symbol, side, quantity::int, price::text, fee::text, cash_after::text, realized_pnl::text, filled_at
    from fills where session_id = ${sessionId} order by filled_at, symbol, side, created_at`;
  const equity = await sql`select bar_index, at, equity::text, cash::text from session_equity where session_id = ${sessionId} order by bar_index`;
  const orders = await sql`
    select symbol, side, quantity::int, status, reject_code, idempotency_key from orders where session_id = ${sessionId} order by placed_at, symbol, side, created_at, idempotency_key`;
  const decisions = await sql`select clock, outcome, filled_orders from decisions where session_id = ${sessionId} order by clock`;
  const events = await sql<{ seq: number; type: string }[]>`select seq::int, type from session_events where session_id = ${sessionId} order by seq`;
  return {
    fills: fills.map((f) => ({ ...f })),
    equity: equity.map((e) => ({ ...e })),
    orders: orders.map((o) => ({ ...o, idempotency_key: String(o.idempotency_key).split(":").slice(1).join(":") })),
    decisions: decisions.map((d) => ({ ...d })),
    events: events.map((e) => ({ ...e })),
  };
}
