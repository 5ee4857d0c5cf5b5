import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { barStarts, tradingDays, type Bar } from "@/lib/market";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser } from "@/tests/support/database";
import { OPT, seedOpt } from "@/tests/support/option-sessions";
import { seedBars } from "@/tests/support/session-fixtures";
import { createPlannedSession, runBarByBar, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * Edge cases of written contracts found in review (each failed before its fix), through the runner with a fresh book
 * at every bar. OPT as in tests/support/option-sessions.ts; GAP: flat at 50 to Thursday D3, then Friday D4 (the weekly
 * expiry) closes at 70 and D5 opens there.
 */
function gapBars(): Bar[] {
  const bar = (day: string, open: number, close: number): Bar => ({
    symbol: "GAP", interval: "day", start: barStarts(day, "day")[0]!, open, high: Math.max(open, close) + 0.5, low: Math.min(open, close) - 0.5, close, volume: 1_000_000, source: "test", derived: false,
  });
  const closes = [50, 50, 50, 50, 70, 70];
  return [
    ...tradingDays("2025-01-02", "2025-02-28").map((d, i) => bar(d, 50, Math.round(50 * (1 + 0.012 * Math.sin(i * 1.7)) * 100) / 100)),
    ...tradingDays("2025-03-03", "2025-03-10").map((d, i) => bar(d, i === 0 ? 50 : closes[i - 1]!, closes[i]!)),
  ];
}
async function seed(db: Db) {
  await seedOpt(db);
  await seedBars(db, gapBars());
}

const C48 = "OPT250307C00048000";
const C50 = "OPT250307C00050000";
const C51 = "OPT250307C00051000";
const G50 = "GAP250307C00050000";

let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("option_edge_cases", seed)), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const write = (symbol: string, quantity = 1, extra: Record<string, unknown> = {}) => ["place_option_order", { symbol, side: "sell", positionIntent: "sell_to_open", quantity, ...extra }] as const;
const buyOpen = (symbol: string) => ["place_option_order", { symbol, side: "buy", positionIntent: "buy_to_open", quantity: 1 }] as const;
const limitSell = (symbol: string, limitPrice: number) => ["place_order", { symbol, side: "sell", quantity: 100, type: "limit", limitPrice, timeInForce: "gtc" }] as const;

type Row = { symbol: string; side: string; type: string; status: string; reason: string | null; reject: string | null; decided: boolean };
async function ordersOf(sessionId: string) {
  return env.sql<Row[]>`
    select symbol, side, type, status, status_reason as reason, reject_code as reject, decision_id is not null as decided
    from orders where session_id = ${sessionId} order by created_at, id`;
}
const rows = (orders: Row[]) => orders.map((o) => [o.symbol, o.side, o.type, o.status, o.reason ?? o.reject]);
async function cashOf(sessionId: string) {
  const [a] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${sessionId}`;
  return Number(a!.cash);
}

describe("written contracts, edge cases", () => {
  it("a spread and two written calls of one expiry settle at that expiry (the other expired contract needs no price)", async () => {
    const spread = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "spread"), [[0, [buyOpen(C48), write(C50)]]], [OPT], { allowShort: true }, "100000");
    const calls = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "two-calls"), [[0, [write(C48), write(C50)]]], [OPT], { allowShort: true }, "100000");
    for (const s of [spread, calls]) expect(await runBarByBar(deps, s.id)).toBe("completed");
    expect(rows((await ordersOf(spread.id)).filter((o) => !o.decided))).toEqual([
      [C48, "sell", "market", "filled", "exercised"],
      [OPT, "buy", "market", "filled", "exercised"],
      [C50, "buy_to_cover", "market", "filled", "assigned"],
      [OPT, "sell", "market", "filled", "assigned"],
    ]);
    expect((await ordersOf(calls.id)).filter((o) => o.reason === "assigned").map((o) => o.symbol)).toEqual([C48, OPT, C50, OPT]);
  });

  it("shares promised to a working sale cover no call: the sale is refused after the write, the write after the sale", async () => {
    const saleAfter = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "sale-after"), [[0, [["buy", { symbol: OPT, quantity: 100 }], write(C50), limitSell(OPT, 50.5)]]], [OPT], {}, "6000");
    const writeAfter = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "write-after"), [[0, [["buy", { symbol: OPT, quantity: 100 }], limitSell(OPT, 50.5), write(C50)]]], [OPT], {}, "6000");
    for (const s of [saleAfter, writeAfter]) expect(await runBarByBar(deps, s.id)).toBe("completed");
    expect(rows((await ordersOf(saleAfter.id)).filter((o) => o.decided))).toEqual([
      [OPT, "buy", "market", "filled", null],
      [C50, "sell_short", "market", "filled", null],
      [OPT, "sell", "limit", "rejected", "SHORTING_DISABLED"],
    ]);
    expect(rows((await ordersOf(writeAfter.id)).filter((o) => o.decided)).slice(1)).toEqual([
      [OPT, "sell", "limit", "filled", null], // at 50.50, D1
      [C50, "sell_short", "market", "rejected", "SHORTING_DISABLED"],
    ]);
  });

  it("a covered limit write in an account that may not short is taken as a market one is, fills and is assigned", async () => {
    const s = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "limit-covered"), [[0, [["buy", { symbol: OPT, quantity: 100 }], write(C51, 1, { type: "limit", limitPrice: 0.5, timeInForce: "gtc" })]]], [OPT], {}, "6000");
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    expect(rows(await ordersOf(s.id)).slice(1)).toEqual([
      [C51, "sell_short", "limit", "filled", null],
      [C51, "buy_to_cover", "market", "filled", "assigned"],
      [OPT, "sell", "market", "filled", "assigned"],
    ]);
  });

  it("two limit writes the bid reaches at one bar are checked together: one fills, the other is cancelled for margin", async () => {
    const w = write(C51, 1, { type: "limit", limitPrice: 0.5, timeInForce: "gtc" });
    const s = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "two-writes"), [[0, [w, w]]], [OPT], { allowShort: true }, "1500");
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    expect(rows((await ordersOf(s.id)).filter((o) => o.decided))).toEqual([
      [C51, "sell_short", "limit", "filled", null],
      [C51, "sell_short", "limit", "cancelled", "insufficient_margin"],
    ]);
    expect(await env.sql`select 1 from session_events where session_id = ${s.id} and type = 'margin_call'`).toHaveLength(0);
  });

  it("an assignment is not declined for margin: a naked call gapped deep in the money delivers short shares, the cash never below 0", async () => {
    const s = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "gap"), [[3, [write(G50)]]], ["GAP"], { allowShort: true }, "1100");
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    expect(rows(await ordersOf(s.id))).toEqual([
      [G50, "sell_short", "market", "filled", null],
      [G50, "buy_to_cover", "market", "filled", "assigned"],
      ["GAP", "sell_short", "market", "filled", "assigned"], // 100 shorted at the strike, 50, with GAP at 70
    ]);
    const [premium] = await env.sql<{ price: string }[]>`select price::text from fills where session_id = ${s.id} order by created_at limit 1`;
    expect(await cashOf(s.id)).toBeCloseTo(1_100 + 100 * Number(premium!.price) + 5_000, 6);
  });

  it("a margin call runs the same uninterrupted as resumed at every bar", async () => {
    const plan = [[0, [write(C50)]]] as const;
    const a = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "mc-a"), plan, [OPT], { allowShort: true }, "1010");
    const b = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "mc-b"), plan, [OPT], { allowShort: true }, "1010");
    expect(await runBarByBar(deps, a.id)).toBe("completed");
    expect(await runSessionJob(b.id, "job-1:0", deps)).toBe("completed");
    const events = (id: string) => env.sql<{ payload: { status: string; barIndex: number } }[]>`select payload from session_events where session_id = ${id} and type = 'margin_call' order by seq`;
    const [ea, eb] = [await events(a.id), await events(b.id)];
    expect(ea.map((e) => [e.payload.barIndex, e.payload.status])).toEqual([[1, "issued"], [2, "forced_close"]]);
    expect(eb.map((e) => e.payload)).toEqual(ea.map((e) => e.payload));
    expect(rows(await ordersOf(b.id))).toEqual(rows(await ordersOf(a.id)));
  });

  it("contracts promised to a working sell_to_close are not there to exercise", async () => {
    const s = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "ex-promised"), [
      [0, [buyOpen(C48), ["place_option_order", { symbol: C48, side: "sell", positionIntent: "sell_to_close", quantity: 1, type: "limit", limitPrice: 9, timeInForce: "gtc" }]]],
      [1, [["exercise_option", { symbol: C48, quantity: 1 }]]],
    ], [OPT]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const [refused] = await env.sql<{ message: string }[]>`select reject_message as message from orders where session_id = ${s.id} and reject_code is not null`;
    expect(refused!.message).toBe(`cannot exercise 1: you hold no ${C48} not promised to working sales (1 is)`);
    expect(rows((await ordersOf(s.id)).filter((o) => o.decided))).toEqual([
      [C48, "buy", "market", "filled", null],
      [C48, "sell", "limit", "expired", "contract_expired"],
      [C48, "sell", "market", "rejected", "INSUFFICIENT_SHARES"],
    ]);
  });
});
