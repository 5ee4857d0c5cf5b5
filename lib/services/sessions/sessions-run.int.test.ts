import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { tradingDays } from "@/lib/market";
import { createUser } from "@/tests/support/database";
import { createModel, dayBars, freshSessionDatabase, seedBars, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { getLeaderboard } from "@/lib/services/leaderboard";
import { getViewerState, listSessionCards } from "@/lib/services/session-view";
import type { DecisionKind } from "@/lib/schemas/session";
import { createSession } from "./create";
import { getSessionDetail, getSessionEquity, listSessionDecisions, listSessionOrders, SESSION_ORDERS_CSV_COLUMNS, sessionOrdersCsv } from "./read";

/**
 * A small daily backtest whose every number is computed by hand here: two symbols, buy-and-hold, no fees.
 * History (Feb 24–28) gives the strategy its last closes; the session runs Mar 3–7, 2025.
 */
const history = tradingDays("2025-02-24", "2025-02-28");
const days = tradingDays("2025-03-03", "2025-03-07");
const AAA = [[98, 99], [99, 100], [100, 100], [100, 99], [99, 100], [101, 103], [104, 102], [99, 98], [97, 105], [106, 108]] as const;
const BBB = [[51, 50], [50, 49], [49, 50], [50, 51], [51, 50], [49, 48], [48, 47], [47, 50], [51, 52], [52, 53]] as const;

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let worker: Worker;

beforeAll(async () => {
  env = await freshSessionDatabase("sessions_run");
  await seedBars(env.db, dayBars([...history, ...days], { AAA, BBB }));
  jobs = await testJobs(env.url);
  worker = await startWorker({ url: env.url, concurrency: 4, sliceSeconds: 60, log: () => {} });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await jobs?.stop();
  await env?.drop();
});

describe("a daily backtest, checked by hand", () => {
  it("runs every bar, records fills, equity, events, and metrics equal to the hand-computed ones", async () => {
    const user = await createUser(env.sql, "bt");
    const modelId = await createModel(env.sql, user, { llm: "builtin:buy-and-hold", startingCash: "10000" });
    const session = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["AAA", "BBB"] }, { db: env.db, jobs: jobs.jobs });
    expect(session.status).toBe("pending");
    expect(session.totalBars).toBe(5);
    const done = await waitForStatus(env.sql, session.id, ["completed", "failed"]);
    expect(done.error).toBeNull();
    expect(done.status).toBe("completed");

    // Bar 0 (Mar 3): last closes AAA 100, BBB 50; budget 0.98 × 10,000 = 9,800 → 4,900 each → 49 AAA, 98 BBB,
    // filled at the opens 101 and 49 (no slippage, no fees). Cash 10,000 − 4,949 − 4,802 = 249.
    const fills = await env.sql`select symbol, side, quantity::int as q, price::float8 as p, filled_at from fills where session_id = ${session.id} order by symbol`;
    expect(fills.map((f) => [f.symbol, f.side, f.q, f.p])).toEqual([
      ["AAA", "buy", 49, 101],
      ["BBB", "buy", 98, 49],
    ]);
    const opensA = AAA.slice(5).map(([o]) => o);
    const opensB = BBB.slice(5).map(([o]) => o);
    const expected = opensA.map((a, i) => 249 + 49 * a + 98 * opensB[i]!);
    expect(expected).toEqual([10000, 249 + 49 * 104 + 98 * 48, 249 + 49 * 99 + 98 * 47, 249 + 49 * 97 + 98 * 51, 249 + 49 * 106 + 98 * 52]);
    const curve = await getSessionEquity(user.ctx, session.id, env.db);
    expect(curve.points.map((p) => Number(p.equity))).toEqual(expected);

    // Metrics by hand: simple returns, sample stdev, × √252.
    const r = expected.slice(1).map((e, i) => e / expected[i]! - 1);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1));
    const down = Math.sqrt(r.reduce((a, x) => a + Math.min(x, 0) ** 2, 0) / r.length);
    const total = expected[4]! / expected[0]! - 1;
    let peak = -Infinity;
    let mdd = 0;
    for (const e of expected) {
      peak = Math.max(peak, e);
      mdd = Math.max(mdd, (peak - e) / peak);
    }
    const annual = (1 + total) ** (252 / 4) - 1;
    const detail = await getSessionDetail(user.ctx, session.id, env.db);
    const m = detail.metrics!;
    expect(m.totalReturn).toBeCloseTo(total, 12);
    expect(m.annualizedReturn).toBeCloseTo(annual, 9);
    expect(m.volatility).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 10);
    expect(m.sortino).toBeCloseTo((mean / down) * Math.sqrt(252), 10);
    expect(m.maxDrawdown).toBeCloseTo(mdd, 12);
    expect(m.calmar).toBeCloseTo(annual / mdd, 6);
    expect(m.winRate).toBeNull(); // nothing was closed
    expect(m.tradeCount).toBe(2);
    expect(m.feesPaid).toBe("0.000000");
    expect(detail.progress).toEqual({ done: 5, total: 5, etaSeconds: null });

    // Benchmark: no QQQ → equal weight, 5,000 in each at the first open, followed at the opens.
    const bench = opensA.map((a, i) => 5000 * (a / opensA[0]!) + 5000 * (opensB[i]! / opensB[0]!));
    expect(detail.benchmark?.kind).toBe("equal-weight");
    expect(curve.benchmark?.values).toEqual(bench.map((x) => Math.round(x * 100) / 100));
    expect(detail.benchmark?.metrics.totalReturn).toBeCloseTo(bench[4]! / bench[0]! - 1, 12);

    // Events: one gap-free sequence: pending, running, then per bar decision (+ order, fill…) and equity, completed.
    const events = await env.sql<{ seq: number; type: string; payload: { status?: string } }[]>`
      select seq::int, type, payload from session_events where session_id = ${session.id} order by seq`;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.payload.status).toBe("pending");
    expect(events[1]!.payload.status).toBe("running");
    expect(events.at(-1)!.payload.status).toBe("completed");
    const types = events.slice(2, -1).map((e) => e.type);
    expect(types.slice(0, 6)).toEqual(["decision", "order", "fill", "order", "fill", "equity"]);
    expect(types.filter((t) => t === "equity")).toHaveLength(5);
    expect(types.filter((t) => t === "decision")).toHaveLength(5);

    // Each equity event carries the marks the open positions were valued at (the opens of its bar); the
    // viewer prices the positions with the last of them: their values and the cash add up to the equity.
    const lastEquity = events.filter((e) => e.type === "equity").at(-1)!.payload as { marks?: Record<string, string>; equity?: string };
    expect(lastEquity.marks).toEqual({ AAA: "106.000000", BBB: "52.000000" });
    const view = await getViewerState(user.ctx, session.id, env.db);
    expect(view.positions.map((p) => [p.symbol, p.quantity, p.lastPrice])).toEqual([["AAA", 49, 106], ["BBB", 98, 52]]);
    expect(view.cash + view.positions.reduce((a, p) => a + p.quantity * p.lastPrice!, 0)).toBeCloseTo(Number(lastEquity.equity), 6);
  });
});

describe("returns are measured from the starting cash", () => {
  it("counts the first bar's fees, and the dashboard, the leaderboard and the stored metrics agree", async () => {
    const user = await createUser(env.sql, "fees");
    const modelId = await createModel(env.sql, user, { llm: "builtin:buy-and-hold", startingCash: "10000" });
    const session = await createSession(
      user.ctx,
      { modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["AAA", "BBB"], settings: { fees: { perOrder: "2.50" } } },
      { db: env.db, jobs: jobs.jobs },
    );
    const done = await waitForStatus(env.sql, session.id, ["completed", "failed"]);
    expect(done.error).toBeNull();

    // Bar 0 buys as without fees (49 AAA at 101, 98 BBB at 49) and pays 2 × $2.50: cash 249 − 5 = 244.
    const fills = await env.sql`select symbol, quantity::int as q, price::float8 as p, fee::float8 as fee from fills where session_id = ${session.id} order by symbol`;
    expect(fills.map((f) => [f.symbol, f.q, f.p, f.fee])).toEqual([
      ["AAA", 49, 101, 2.5],
      ["BBB", 98, 49, 2.5],
    ]);
    const opensA = AAA.slice(5).map(([o]) => o);
    const opensB = BBB.slice(5).map(([o]) => o);
    const marks = opensA.map((a, i) => 244 + 49 * a + 98 * opensB[i]!);
    const curve = await getSessionEquity(user.ctx, session.id, env.db);
    expect(curve.points.map((p) => Number(p.equity))).toEqual(marks);
    expect(marks[0]).toBe(9995);
    // The model was told the rules it trades under.
    const prompts = await env.sql<{ prompt: string }[]>`select prompt from decisions where session_id = ${session.id}`;
    expect(prompts.length).toBe(5);
    for (const p of prompts) expect(p.prompt).toContain("\nTrading rules: $2.50/order · no slippage · long only\n");

    // Measured from the $10,000 put in, not from the first mark ($9,995, after the fees): the curve is
    // 10,000, then the marks of bars 1–4; the first period's return carries the fees.
    const from = [10_000, ...marks.slice(1)];
    const r = from.slice(1).map((e, i) => e / from[i]! - 1);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1));
    const total = marks[4]! / 10_000 - 1;
    const m = (await getSessionDetail(user.ctx, session.id, env.db)).metrics!;
    expect(m.totalReturn).toBeCloseTo(total, 12);
    expect(m.totalReturn).not.toBeCloseTo(marks[4]! / marks[0]! - 1, 6);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 10);
    expect(m.feesPaid).toBe("5.000000");

    // The dashboard's "return so far" (the account's last mark over the starting cash) and the leaderboard's
    // return are the same number.
    const card = (await listSessionCards(user.ctx, {}, env.db)).cards.find((c) => c.session.id === session.id)!;
    expect(card.equity! / card.session.startingCash - 1).toBeCloseTo(total, 12);
    const entry = (await getLeaderboard(user.ctx, {}, env.db)).entries.find((e) => e.id === session.id)!;
    expect(entry.totalReturn).toBeCloseTo(total, 12);
  });
});

describe("pages of a session's decisions and orders", () => {
  it("are read slice by slice from the database and add up to the whole, each order with its own fills", async () => {
    const user = await createUser(env.sql, "pages");
    // Random trades on every bar in every symbol: many orders over 5 bars.
    const instructions = '```json\n{"tradeProbability": 1}\n```';
    const modelId = await createModel(env.sql, user, { llm: "builtin:random", startingCash: "10000", instructions });
    const session = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["AAA", "BBB"], settings: { seed: 7 } }, { db: env.db, jobs: jobs.jobs });
    const done = await waitForStatus(env.sql, session.id, ["completed", "failed"]);
    expect(done.error).toBeNull();

    const pages = async <T>(read: (page: { offset: number; limit: number }) => Promise<T[]>, limit: number) => {
      const out: T[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = await read({ offset, limit });
        expect(page.length).toBeLessThanOrEqual(limit);
        out.push(...page);
        if (page.length < limit) return out;
      }
    };
    const decisions = await listSessionDecisions(user.ctx, session.id, { offset: 0, limit: 5000 }, env.db);
    expect(decisions.map((d) => d.clock)).toEqual(days.map((d) => expect.stringContaining(d)));
    expect(await pages((page) => listSessionDecisions(user.ctx, session.id, page, env.db), 2)).toEqual(decisions);
    // ?show= keeps one kind, as the viewer's filter does.
    const only = async (show: DecisionKind) => (await listSessionDecisions(user.ctx, session.id, { offset: 0, limit: 5000, show }, env.db)).map((d) => d.id);
    const ids = (keep: (d: (typeof decisions)[number]) => boolean) => decisions.filter(keep).map((d) => d.id);
    expect(await only("traded")).toEqual(ids((d) => d.outcome === "traded"));
    expect(await only("held")).toEqual(ids((d) => d.outcome === "held"));
    expect(await only("failed")).toEqual(ids((d) => d.outcome === "failed"));
    expect(await only("rejected")).toEqual(ids((d) => d.rejectedOrders > 0));
    expect(await only("tool-errors")).toEqual(ids((d) => d.toolErrors > 0));
    expect((await only("traded")).length).toBeGreaterThan(0);

    const orders = await listSessionOrders(user.ctx, session.id, { offset: 0, limit: 5000 }, env.db);
    const stored = await env.sql<{ id: string; order_id: string }[]>`select id, order_id from fills where session_id = ${session.id}`;
    expect(orders.length).toBeGreaterThanOrEqual(4);
    expect(orders.flatMap((o) => o.fills.map((f) => `${o.id}:${f.id}`)).sort()).toEqual(stored.map((f) => `${f.order_id}:${f.id}`).sort());
    expect(await pages((page) => listSessionOrders(user.ctx, session.id, page, env.db), 3)).toEqual(orders);
    expect(await listSessionOrders(user.ctx, session.id, { offset: orders.length, limit: 10 }, env.db)).toEqual([]);

    // The CSV download: the same orders in the same order, each with its fill; someone else gets a 404.
    const csv = parse(await sessionOrdersCsv(user.ctx, session.id, env.db), { columns: true }) as Record<(typeof SESSION_ORDERS_CSV_COLUMNS)[number], string>[];
    expect(csv.map((r) => r.order_id)).toEqual(orders.flatMap((o) => (o.fills.length ? o.fills.map(() => o.id) : [o.id])));
    for (const [i, r] of csv.entries()) {
      const o = orders.find((x) => x.id === r.order_id)!;
      expect([r.symbol, r.side, Number(r.quantity), r.status, r.placed_at]).toEqual([o.symbol, o.side, o.quantity, o.status, o.placedAt]);
      expect(r.fill_price).toBe(o.fills[0]?.price ?? "");
      expect(i === 0 || csv[i - 1]!.placed_at <= r.placed_at).toBe(true);
    }
    const stranger = await createUser(env.sql, "stranger");
    await expect(sessionOrdersCsv(stranger.ctx, session.id, env.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
