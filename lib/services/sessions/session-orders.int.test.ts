import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantAdmin } from "@/lib/db/migrate";
import { parseAuditFilter } from "@/lib/schemas/audit";
import { auditCsv, auditOrders, auditOrdersForExport } from "@/lib/services/admin-audit";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser, type TestUser } from "@/tests/support/database";
import { freshSessionDatabase, testJobs } from "@/tests/support/session-fixtures";
import { createPlannedSession, scriptedDecide, seedWorkingOrderBars, T } from "@/tests/support/working-order-sessions";
import { listSessionOrders, SESSION_ORDERS_CSV_COLUMNS, sessionOrdersCsv } from "./read";

/**
 * The orders API, its CSV and the admin audit on working orders (issue #22 item 8), numbers worked out by hand on the
 * made-up bars of tests/support/working-order-sessions.ts:
 * - bar 0: a bracket on CCC, buy 10 limit 101 gtc (marketable: fills at D0's open 100), take-profit 108, stop-loss 95.
 *   D2's high 111 reaches the take-profit: it fills at 108 (D2 opened at 102); the stop-loss is cancelled (oco).
 * - bar 0: a buy limit 90 gtc of 5 AAA, never reached (lows 96 and up): cancelled at the session's end.
 * - bar 1: buy 10 DDD at D1's open 101 (market), then a trailing stop sell of 10, $3 behind, gtc: its water mark starts
 *   at 101 (stop 98); D1 lifts it to 106 (stop 103), D2 to 108 (stop 105); D3 (o107 l100) triggers it, and it fills at
 *   105, the worse of the open and the stop. Triggered at D3's start.
 */
let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let deps: RunnerDeps;
let owner: TestUser;
let stranger: TestUser;
let boss: TestUser;
let sessionId: string;

beforeAll(async () => {
  env = await freshSessionDatabase("session_orders");
  await seedWorkingOrderBars(env.db);
  jobs = await testJobs(env.url);
  deps = { db: env.db, jobs: jobs.jobs, decide: scriptedDecide, log: () => {} };
  owner = await createUser(env.sql, "orders-owner");
  stranger = await createUser(env.sql, "orders-stranger");
  boss = await createUser(env.sql, "orders-boss");
  await grantAdmin(env.sql, [boss.email]);
  const s = await createPlannedSession(
    env,
    jobs.jobs,
    owner,
    [
      [0, [
        ["place_order", { symbol: "CCC", side: "buy", quantity: 10, type: "limit", limitPrice: 101, timeInForce: "gtc", orderClass: "bracket", takeProfit: { limitPrice: 108 }, stopLoss: { stopPrice: 95 } }],
        ["place_order", { symbol: "AAA", side: "buy", quantity: 5, type: "limit", limitPrice: 90, timeInForce: "gtc" }],
      ]],
      [1, [
        ["place_order", { symbol: "DDD", side: "buy", quantity: 10, type: "market" }],
        ["place_order", { symbol: "DDD", side: "sell", quantity: 10, type: "trailing_stop", trailPrice: 3, timeInForce: "gtc" }],
      ]],
    ],
    ["AAA", "CCC", "DDD"],
  );
  sessionId = s.id;
  expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");
}, 120_000);

afterAll(async () => {
  await jobs?.stop();
  await env?.drop();
});

const page = { offset: 0, limit: 500 };

describe("GET /api/v1/sessions/:id/orders (listSessionOrders)", () => {
  it("each order with its type, time in force, class, leg, parent, prices, trigger, status, reason and fills", async () => {
    const orders = await listSessionOrders(owner.ctx, sessionId, page, env.db);
    const by = (symbol: string, leg: string, type?: string) => orders.find((o) => o.symbol === symbol && o.leg === leg && (!type || o.type === type))!;
    const entry = by("CCC", "entry");
    expect(entry).toMatchObject({
      type: "limit", timeInForce: "gtc", orderClass: "bracket", parentId: null, limitPrice: "101.000000", stopPrice: null,
      status: "filled", reason: null, triggered: false, triggeredAt: null, quantity: 10, filledQuantity: 10, averageFillPrice: "100.000000",
    });
    expect(entry.fills).toEqual([expect.objectContaining({ quantity: 10, price: "100.000000", referencePrice: "100.000000", filledAt: T[0]!.toISOString() })]);
    expect(by("CCC", "take_profit")).toMatchObject({
      type: "limit", orderClass: "bracket", parentId: entry.id, limitPrice: "108.000000", status: "filled", filledQuantity: 10, averageFillPrice: "108.000000",
    });
    const sl = by("CCC", "stop_loss");
    expect(sl).toMatchObject({ type: "stop", parentId: entry.id, stopPrice: "95.000000", status: "cancelled", reason: "oco", triggeredAt: null, filledQuantity: 0, averageFillPrice: null, fills: [] });
    expect(sl.ocoId).toBe(by("CCC", "take_profit").id);
    expect(by("AAA", "entry")).toMatchObject({ type: "limit", timeInForce: "gtc", orderClass: "simple", status: "cancelled", reason: "session_end", fills: [] });
    expect(by("DDD", "entry", "market")).toMatchObject({ side: "buy", timeInForce: "day", status: "filled", filledQuantity: 10, averageFillPrice: "101.000000" });
    const trail = by("DDD", "entry", "trailing_stop");
    expect(trail).toMatchObject({
      side: "sell", timeInForce: "gtc", orderClass: "simple", trailPrice: "3.000000", trailPercent: null, stopPrice: "105.000000",
      status: "filled", triggered: true, triggeredAt: T[3]!.toISOString(), filledQuantity: 10, averageFillPrice: "105.000000",
    });
    expect(trail.fills.map((f) => [f.price, f.filledAt])).toEqual([["105.000000", T[3]!.toISOString()]]);
  });

  it("the CSV has the same orders with the new columns, a row per fill; another user's session is refused", async () => {
    const orders = await listSessionOrders(owner.ctx, sessionId, page, env.db);
    const csv = parse(await sessionOrdersCsv(owner.ctx, sessionId, env.db), { columns: true }) as Record<(typeof SESSION_ORDERS_CSV_COLUMNS)[number], string>[];
    expect(csv.map((r) => r.order_id)).toEqual(orders.map((o) => o.id));
    const trail = csv.find((r) => r.type === "trailing_stop")!;
    expect(trail).toMatchObject({
      side: "sell", time_in_force: "gtc", order_class: "simple", leg: "entry", trail_price: "3.000000", stop_price: "105.000000", status: "filled",
      triggered_at: T[3]!.toISOString(), filled_quantity: "10", average_fill_price: "105.000000", fill_quantity: "10", fill_price: "105.000000", filled_at: T[3]!.toISOString(),
    });
    const sl = csv.find((r) => r.leg === "stop_loss")!;
    expect(sl).toMatchObject({ parent_id: orders.find((o) => o.symbol === "CCC" && o.leg === "entry")!.id, status: "cancelled", reason: "oco", fill_id: "", fill_price: "", average_fill_price: "" });

    await expect(listSessionOrders(stranger.ctx, sessionId, page, env.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(sessionOrdersCsv(stranger.ctx, sessionId, env.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the admin audit: filters by type and status, and the order's life in its columns", () => {
  const filter = (q: Record<string, string>) => {
    const parsed = parseAuditFilter({ session: sessionId, ...q }, { strict: true });
    if (!parsed.success) throw new Error(parsed.error.message);
    return parsed.data;
  };

  it("type and status narrow the list in the database", async () => {
    const all = await auditOrders(boss.ctx, filter({}), env.db);
    expect(all.total).toBe(6);
    const trails = await auditOrders(boss.ctx, filter({ type: "trailing_stop" }), env.db);
    expect(trails.total).toBe(1);
    expect(trails.rows[0]).toMatchObject({ type: "trailing_stop", status: "filled", trailPrice: "3.000000", filledQuantity: 10, averageFillPrice: "105.000000", fillPrice: "105.000000" });
    expect(trails.rows[0]!.triggeredAt?.toISOString()).toBe(T[3]!.toISOString());
    const cancelledLimits = await auditOrders(boss.ctx, filter({ type: "limit", status: "cancelled" }), env.db);
    expect(cancelledLimits.rows.map((r) => [r.symbol, r.reason])).toEqual([["AAA", "session_end"]]);
    const stops = await auditOrders(boss.ctx, filter({ type: "stop" }), env.db);
    expect(stops.rows.map((r) => [r.symbol, r.leg, r.status, r.reason, r.parentId !== null])).toEqual([["CCC", "stop_loss", "cancelled", "oco", true]]);
    expect((await auditOrders(boss.ctx, filter({ type: "stop_limit" }), env.db)).total).toBe(0);
    expect((await auditOrders(boss.ctx, filter({ type: "market", status: "filled" }), env.db)).rows.map((r) => r.symbol)).toEqual(["DDD"]);
  });

  it("the CSV carries the same columns", async () => {
    const rows = await auditOrdersForExport(boss.ctx, filter({ type: "trailing_stop" }), env.db);
    const [row] = parse(auditCsv(rows), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ type: "trailing_stop", time_in_force: "gtc", order_class: "simple", leg: "entry", trail_price: "3.000000", status: "filled", triggered_at: T[3]!.toISOString(), filled_quantity: "10", average_fill_price: "105.000000" });
  });

  it("a bad type or status is refused in words; a user who is not an admin is refused", async () => {
    const bad = parseAuditFilter({ type: "trailing", status: "done" }, { strict: true });
    expect(bad.success).toBe(false);
    expect(Object.fromEntries(bad.error!.issues.map((i) => [String(i.path[0]), i.message]))).toEqual({
      type: "Type must be one of market, limit, stop, stop_limit, trailing_stop",
      status: expect.stringMatching(/^Status must be one of .*held.*triggered/),
    });
    await expect(auditOrders(owner.ctx, filter({ type: "limit" }), env.db)).rejects.toMatchObject({ kind: "not_found" });
  });
});
