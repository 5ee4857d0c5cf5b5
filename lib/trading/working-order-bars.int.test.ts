import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { barStarts, type Bar } from "@/lib/market";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser, type TestUser } from "@/tests/support/database";
import type { Db } from "@/lib/db/client";
import { seedBars } from "@/tests/support/session-fixtures";
import { createPlannedSession, days, startWorkingOrderRunner, stopWorkingOrderRunner, type Plan, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * What the runner gives the fill model beyond the bar itself (issue #22 item 2): the finer bars inside a bar
 * where a take-profit and a stop-loss both lie in its range, and the volume cap. Numbers worked out by hand.
 */

type Ohlc = readonly [open: number, high: number, low: number, close: number];
const history = ["2025-02-26", "2025-02-27", "2025-02-28"];
const dayBars = (symbol: string, rows: readonly Ohlc[], volume = 100_000): Bar[] =>
  [...history, ...days].map((day, i) => {
    const [open, high, low, close] = rows[Math.max(0, i - history.length)] ?? rows.at(-1)!;
    return { symbol, interval: "day", start: barStarts(day, "day")[0]!, open, high, low, close, volume, source: "test", derived: false };
  });
const hourBars = (symbol: string, day: string, rows: readonly Ohlc[]): Bar[] =>
  barStarts(day, "hour").map((start, i) => {
    const [open, high, low, close] = rows[i] ?? rows.at(-1)!;
    return { symbol, interval: "hour", start, open, high, low, close, volume: 10_000, source: "test", derived: false };
  });

/*
 * EEE and FFF: D0 o100 h101 l99 c100 · D1 o100 h112 l90 c100 (a take-profit at 108 and a stop-loss at 95 both inside) · then flat 100.
 * EEE also has D1's hours: the first goes up to 112, the third down to 90, so the take-profit came first.
 * GGG: flat 100, 100 shares traded a day.
 */
const D1_HOURS: Ohlc[] = [[100, 112, 100, 110], [110, 110, 100, 101], [101, 101, 90, 95], [95, 100, 95, 100]];
async function seed(db: Db) {
  const split: Ohlc[] = [[100, 101, 99, 100], [100, 112, 90, 100], [100, 101, 99, 100]];
  await seedBars(db, [
    ...dayBars("EEE", split),
    ...hourBars("EEE", days[1]!, D1_HOURS),
    ...dayBars("FFF", split),
    ...dayBars("GGG", [[100, 101, 99, 100]], 100),
  ]);
}

let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("working_order_bars", seed)), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const createRun = (user: TestUser, plan: Plan, symbols: string[], settings?: Record<string, unknown>) => createPlannedSession(env, jobs.jobs, user, plan, symbols, settings);
const bracket = (symbol: string) =>
  ["place_order", { symbol, side: "buy", quantity: 10, type: "limit", limitPrice: 101, timeInForce: "gtc", orderClass: "bracket", takeProfit: { limitPrice: 108 }, stopLoss: { stopPrice: 95 } }] as const;

async function legsOf(sessionId: string) {
  return env.sql<{ leg: string; status: string; price: string | null }[]>`
    select o.leg, o.status, (select f.price::text from fills f where f.order_id = o.id) as price
    from orders o where o.session_id = ${sessionId} order by o.created_at`;
}
const cashOf = async (sessionId: string) => (await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${sessionId}`)[0]!.cash;

describe("a take-profit and a stop-loss inside one bar", () => {
  it("with the bar's hours stored, the leg the price reached first fills: the take-profit at 108", async () => {
    const s = await createRun(await createUser(env.sql, "wo-finer"), [[0, [bracket("EEE")]]], ["EEE"]);
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");
    // The entry fills at D0's open (100); on D1 the first hour reaches 108 before the third falls to 95.
    expect((await legsOf(s.id)).map((o) => [o.leg, o.status, o.price])).toEqual([
      ["entry", "filled", "100.000000"],
      ["take_profit", "filled", "108.000000"],
      ["stop_loss", "cancelled", null],
    ]);
    expect(Number(await cashOf(s.id))).toBe(10_000 - 1_000 + 1_080);
  });

  it("without finer bars, the conservative rule: the stop-loss first, at 95", async () => {
    const s = await createRun(await createUser(env.sql, "wo-coarse"), [[0, [bracket("FFF")]]], ["FFF"]);
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");
    expect((await legsOf(s.id)).map((o) => [o.leg, o.status, o.price])).toEqual([
      ["entry", "filled", "100.000000"],
      ["take_profit", "cancelled", null],
      ["stop_loss", "filled", "95.000000"],
    ]);
    expect(Number(await cashOf(s.id))).toBe(10_000 - 1_000 + 950);
  });
});

describe("the volume cap (participationBps)", () => {
  it("fills at most 10 % of each bar's 100 shares: a 25-share limit fills 10, 10, then 5, working in between", async () => {
    const s = await createRun(
      await createUser(env.sql, "wo-cap"),
      [[0, [["place_order", { symbol: "GGG", side: "buy", quantity: 25, type: "limit", limitPrice: 101, timeInForce: "gtc" }]]]],
      ["GGG"],
      { participationBps: 1_000 },
    );
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");
    const fills = await env.sql<{ quantity: number; price: string; at: Date }[]>`
      select quantity::int, price::text, filled_at as at from fills where session_id = ${s.id} order by filled_at`;
    expect(fills.map((f) => [f.quantity, f.price, f.at.toISOString()])).toEqual([
      [10, "100.000000", barStarts(days[0]!, "day")[0]!.toISOString()],
      [10, "100.000000", barStarts(days[1]!, "day")[0]!.toISOString()],
      [5, "100.000000", barStarts(days[2]!, "day")[0]!.toISOString()],
    ]);
    const [order] = await env.sql<{ status: string; filled: number }[]>`select status, filled_quantity::int as filled from orders where session_id = ${s.id}`;
    expect(order).toEqual({ status: "filled", filled: 25 });
    // Between its fills the order stood partially filled (its events say so, in order).
    const statuses = await env.sql<{ status: string }[]>`
      select payload->>'status' as status from session_events where session_id = ${s.id} and type = 'order' order by seq`;
    expect(statuses.map((e) => e.status)).toEqual(["accepted", "partially_filled", "partially_filled", "filled"]);
    expect(Number(await cashOf(s.id))).toBe(10_000 - 25 * 100);
  });
});
