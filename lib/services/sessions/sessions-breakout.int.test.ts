import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { ensureMarketData } from "@/lib/services/market-data/synthetic-seed";
import { createUser, type TestUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { DAILY_FILE, SHARED_DATA_DIR } from "@/tests/support/shared-data";
import { createSession } from "./create";

/**
 * builtin:breakout end to end on the real NASDAQ-100 daily bars (Jun 10 – Oct 30 2025), run by a real worker
 * on a real Postgres: its buy stops work across bars, trigger and fill; the bracket legs wake with the fill and
 * one of each pair cancels the other; winners' exits give way to trailing stops; the cash is the fills' sum.
 */
let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let worker: Worker;
let user: TestUser;

const SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "AVGO", "COST", "NFLX", "AMD", "ADBE"];

beforeAll(async () => {
  env = await freshSessionDatabase("breakout");
  await importBarsFile(env.db, path.join(SHARED_DATA_DIR, DAILY_FILE));
  jobs = await testJobs(env.url);
  worker = await startWorker({ url: env.url, concurrency: 1, sliceSeconds: 60, log: () => {} });
  user = await createUser(env.sql, "breakout");
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await jobs?.stop();
  await env?.drop();
});

interface OrderRow {
  id: string;
  symbol: string;
  side: string;
  type: string;
  leg: string;
  order_class: string;
  status: string;
  status_reason: string | null;
  triggered: boolean;
  parent_order_id: string | null;
  oco_order_id: string | null;
  stop_price: string | null;
  limit_price: string | null;
  trail_price: string | null;
  quantity: number;
  filled_quantity: number;
  placed_at: Date;
}

describe("builtin:breakout on the real daily NASDAQ-100 bars", () => {
  it("orders go working, trigger and fill; bracket legs cancel each other; winners trail; cash is the fills' sum", { timeout: 300_000 }, async () => {
    const modelId = await createModel(env.sql, user, { llm: "builtin:breakout", startingCash: "100000" });
    const s = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: "2025-06-10", end: "2025-10-30", symbols: SYMBOLS }, { db: env.db, jobs: jobs.jobs });
    const done = await waitForStatus(env.sql, s.id, ["completed", "failed"], 280_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe("completed");

    const orders = await env.sql<OrderRow[]>`
      select id, symbol, side, type, leg, order_class, status, status_reason, triggered, parent_order_id, oco_order_id,
             stop_price, limit_price, trail_price, quantity::float8 as quantity, filled_quantity::float8 as filled_quantity, placed_at
      from orders where session_id = ${s.id} order by placed_at, created_at`;
    const fills = await env.sql<{ order_id: string; symbol: string; quantity: number; price: string; reference_price: string; cash_delta: string; filled_at: Date }[]>`
      select order_id, symbol, quantity::float8 as quantity, price, reference_price, cash_delta, filled_at from fills f
      where f.order_id in (select id from orders where session_id = ${s.id}) order by f.created_at`;
    const byId = new Map(orders.map((o) => [o.id, o]));
    const fillsOf = (id: string) => fills.filter((f) => f.order_id === id);

    // Nothing but working orders: no market order, no rejection, nothing left working after the end.
    expect(orders.filter((o) => o.type === "market")).toEqual([]);
    expect(orders.filter((o) => o.status === "rejected").map((o) => o.status_reason)).toEqual([]);
    expect(orders.filter((o) => ["held", "accepted", "triggered", "partially_filled"].includes(o.status))).toEqual([]);

    // Entries: bracketed gtc buy stops; some triggered and filled at or above their stop.
    const entries = orders.filter((o) => o.leg === "entry" && o.side === "buy");
    expect(entries.length).toBeGreaterThan(5);
    for (const e of entries) expect(e).toMatchObject({ type: "stop", order_class: "bracket" });
    const filledEntries = entries.filter((e) => e.status === "filled");
    expect(filledEntries.length).toBeGreaterThan(0);
    for (const e of filledEntries) {
      expect(e.triggered).toBe(true);
      const [f] = fillsOf(e.id);
      expect(Number(f!.reference_price)).toBeGreaterThanOrEqual(Number(e.stop_price)); // a buy stop fills at the worse of the open and the stop
      expect(f!.filled_at.getTime()).toBeGreaterThanOrEqual(e.placed_at.getTime());
    }
    // An entry cancelled (the range moved, or the setup went) takes its held legs with it.
    const cancelledEntries = entries.filter((e) => e.status === "cancelled" && e.filled_quantity === 0);
    expect(cancelledEntries.length).toBeGreaterThan(0);
    for (const e of cancelledEntries) {
      const legs = orders.filter((o) => o.parent_order_id === e.id);
      expect(legs.map((l) => [l.status, l.status_reason])).toEqual([["cancelled", "parent_ended"], ["cancelled", "parent_ended"]]);
    }

    // Brackets: one leg filled and the other cancelled by it (oco), never before the entry's fill.
    const legFills = orders.filter((o) => (o.leg === "take_profit" || o.leg === "stop_loss") && o.status === "filled");
    // On these bars both kinds win somewhere: a take-profit (3 of them) and a stop-loss (16).
    expect(legFills.some((l) => l.leg === "take_profit")).toBe(true);
    expect(legFills.some((l) => l.leg === "stop_loss")).toBe(true);
    for (const leg of legFills) {
      const sibling = byId.get(leg.oco_order_id!)!;
      expect(sibling).toMatchObject({ status: "cancelled", status_reason: "oco", parent_order_id: leg.parent_order_id });
      const entryFill = fillsOf(leg.parent_order_id!)[0]!;
      expect(fillsOf(leg.id)[0]!.filled_at.getTime()).toBeGreaterThanOrEqual(entryFill.filled_at.getTime());
      const price = Number(fillsOf(leg.id)[0]!.reference_price);
      if (leg.leg === "take_profit") expect(price).toBeGreaterThanOrEqual(Number(leg.limit_price));
      else expect(price).toBeLessThanOrEqual(Number(leg.stop_price));
    }

    // Winners: both bracket exits cancelled on request, a gtc trailing stop sell placed for the position.
    const trails = orders.filter((o) => o.type === "trailing_stop");
    expect(trails.length).toBeGreaterThan(0);
    for (const t of trails) {
      expect(t).toMatchObject({ side: "sell", leg: "entry", order_class: "simple" });
      expect(Number(t.trail_price)).toBeGreaterThan(0);
      const swapped = orders.filter((o) => o.symbol === t.symbol && o.status_reason === "requested" && o.leg !== "entry" && o.placed_at < t.placed_at);
      expect(swapped.length).toBeGreaterThanOrEqual(2);
    }
    expect(trails.some((t) => t.status === "filled" && t.triggered)).toBe(true);

    // Every fill at a price its bar traded (before slippage), and the cash is the start plus the fills' sum.
    const bars = await env.sql<{ symbol: string; start: Date; high: number; low: number }[]>`
      select symbol, start, high, low from bars where interval = 'day' and symbol in ${env.sql(SYMBOLS)}`;
    const bar = new Map(bars.map((b) => [`${b.symbol}@${b.start.getTime()}`, b]));
    for (const f of fills) {
      const b = bar.get(`${f.symbol}@${f.filled_at.getTime()}`)!;
      expect(b, `${f.symbol} ${f.filled_at.toISOString()}`).toBeDefined();
      expect(Number(f.reference_price)).toBeGreaterThanOrEqual(b.low - 1e-9);
      expect(Number(f.reference_price)).toBeLessThanOrEqual(b.high + 1e-9);
    }
    const [account] = await env.sql<{ cash: string }[]>`select cash from accounts where session_id = ${s.id}`;
    const cents = (x: string | number) => Math.round(Number(x) * 1e6);
    expect(cents(account!.cash)).toBe(cents(100000) + fills.reduce((sum, f) => sum + cents(f.cash_delta), 0));
    // Positions are the fills folded: what is held per symbol is bought minus sold.
    const positions = await env.sql<{ symbol: string; quantity: number }[]>`select symbol, quantity::float8 as quantity from positions where session_id = ${s.id}`;
    for (const sym of SYMBOLS) {
      const net = fills.filter((f) => f.symbol === sym).reduce((q, f) => q + (byId.get(f.order_id)!.side === "buy" ? f.quantity : -f.quantity), 0);
      expect(positions.find((p) => p.symbol === sym)?.quantity ?? 0).toBe(net);
    }
  });
});

/**
 * The seeded synthetic market: what a fresh install and the e2e suite trade (e2e/*.spec.ts use its energy symbols),
 * so a Playwright run of builtin:breakout can count on these: over Mar 3 – Apr 30 2025 on the five energy symbols,
 * entries trigger and fill, a bracket's stop-loss fills and cancels its take-profit, a trailing stop replaces a
 * bracket and fills; over Mar 3 – 14 alone, one entry fills and its bracket gives way to a trailing stop still
 * working at the end (cancelled, session_end).
 */
describe("builtin:breakout on the synthetic market", () => {
  let synth: Awaited<ReturnType<typeof freshSessionDatabase>>;
  let synthJobs: Awaited<ReturnType<typeof testJobs>>;
  let synthWorker: Worker;
  const ENERGY = ["ZZSOLR", "ZZPETR", "ZZWIND", "ZZGRID", "ZZFUEL"];

  beforeAll(async () => {
    synth = await freshSessionDatabase("breakout_synth");
    await ensureMarketData(synth.db);
    synthJobs = await testJobs(synth.url);
    synthWorker = await startWorker({ url: synth.url, concurrency: 2, sliceSeconds: 60, log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await synthWorker?.stop();
    await synthJobs?.stop();
    await synth?.drop();
  });

  async function kinds(start: string, end: string) {
    const trader = await createUser(synth.sql, "synth");
    const modelId = await createModel(synth.sql, trader, { llm: "builtin:breakout", startingCash: "100000" });
    const s = await createSession(trader.ctx, { modelId, kind: "backtest", interval: "day", start, end, symbols: ENERGY }, { db: synth.db, jobs: synthJobs.jobs });
    const done = await waitForStatus(synth.sql, s.id, ["completed", "failed"], 120_000);
    expect([done.status, done.error]).toEqual(["completed", null]);
    const rows = await synth.sql<{ k: string }[]>`
      select leg || '/' || type || '/' || status || '/' || coalesce(status_reason, '-') as k from orders where session_id = ${s.id}`;
    return new Set(rows.map((r) => r.k));
  }

  it("Mar 3 – Apr 30: working, triggered, filled, one-cancels-other and a trailing stop that fills", { timeout: 150_000 }, async () => {
    const seen = await kinds("2025-03-03", "2025-04-30");
    for (const k of ["entry/stop/filled/-", "entry/stop/cancelled/requested", "take_profit/limit/cancelled/parent_ended", "stop_loss/stop/filled/-", "take_profit/limit/cancelled/oco", "stop_loss/stop/cancelled/requested", "entry/trailing_stop/filled/-"]) {
      expect(seen, k).toContain(k);
    }
  });

  it("Mar 3 – 14: an entry fills, its bracket gives way to a trailing stop, cancelled at the end", { timeout: 150_000 }, async () => {
    expect(await kinds("2025-03-03", "2025-03-14")).toEqual(
      new Set(["entry/stop/filled/-", "take_profit/limit/cancelled/requested", "stop_loss/stop/cancelled/requested", "entry/trailing_stop/cancelled/session_end"]),
    );
  });
});
