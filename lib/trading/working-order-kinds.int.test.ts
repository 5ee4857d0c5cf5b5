import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser, type TestUser } from "@/tests/support/database";
import { createPlannedSession, runBarByBar, T, type Plan, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/** Brackets and trailing stops through the session runner (issue #22), numbers worked out by hand. */

let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("working_order_kinds")), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const createRun = (user: TestUser, plan: Plan, symbols: string[]) => createPlannedSession(env, jobs.jobs, user, plan, symbols);

/*
 * A bracket on CCC (D0 o100 h101 l99 · D1 o100 h103 l99 · D2 o102 h111 l101 · then o110 h111 l109), placed at bar 0:
 * buy 10 limit 101 (marketable: it fills at D0's open, 100), take-profit 108, stop-loss 95. Its legs wait for the
 * entry, then work from D0 on; D2's high 111 reaches the take-profit, which fills at 108 (D2 opened at 102, below
 * it), and the stop-loss is cancelled (one cancels the other). A buy stop at 90, below the last price 100, is
 * refused: a rejected order, written, holding nothing. Cash: 10,000 − 1,000 + 1,080 = 10,080.
 */
describe("a bracket through the session runner", () => {
  it("the entry fills, its take-profit wins at its limit, the stop-loss is cancelled; a stop on the wrong side is a rejected order", async () => {
    const user = await createUser(env.sql, "wo-bracket");
    const s = await createRun(
      user,
      [[0, [
        ["place_order", { symbol: "CCC", side: "buy", quantity: 10, type: "limit", limitPrice: 101, timeInForce: "gtc", orderClass: "bracket", takeProfit: { limitPrice: 108 }, stopLoss: { stopPrice: 95 } }],
        ["place_order", { symbol: "CCC", side: "buy", quantity: 1, type: "stop", stopPrice: 90 }],
      ]], [1, [["get_orders", {}], ["get_orders", { status: "all" }]]]],
      ["CCC"],
    );
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");
    const orders = await env.sql<{ key: string; leg: string; side: string; type: string; status: string; filled: number; cls: string; parent: string | null; reason: string | null; reject: string | null; message: string | null }[]>`
      select split_part(idempotency_key, ':', 5) as key, leg, side, type, status, filled_quantity::int as filled, order_class as cls,
             parent_order_id::text as parent, status_reason as reason, reject_code as reject, reject_message as message
      from orders where session_id = ${s.id} order by created_at`;
    const [entry, tp, sl, stop] = orders;
    expect([entry, tp, sl].map((o) => [o!.leg, o!.side, o!.type, o!.status, o!.filled, o!.cls, o!.reason])).toEqual([
      ["entry", "buy", "limit", "filled", 10, "bracket", null],
      ["take_profit", "sell", "limit", "filled", 10, "bracket", null],
      ["stop_loss", "sell", "stop", "cancelled", 0, "bracket", "oco"],
    ]);
    const [entryId] = await env.sql<{ id: string }[]>`select id::text from orders where session_id = ${s.id} and leg = 'entry' and order_class = 'bracket'`;
    expect([tp!.parent, sl!.parent]).toEqual([entryId!.id, entryId!.id]);
    expect([tp!.key, sl!.key]).toEqual(["tp", "sl"]);
    expect([stop!.type, stop!.status, stop!.reject]).toEqual(["stop", "rejected", expect.any(String)]);
    expect(stop!.message).toMatch(/90.*(below|above)/);
    const [asked] = await env.sql<{ stop: string; tif: string; cls: string }[]>`
      select stop_price::text as stop, time_in_force as tif, order_class as cls from orders where session_id = ${s.id} and status = 'rejected'`;
    expect(asked).toEqual({ stop: "90.000000", tif: "day", cls: "simple" }); // what was asked stays on the rejected row

    const fills = await env.sql<{ side: string; q: number; price: string; at: Date }[]>`
      select side, quantity::int as q, price::text, filled_at as at from fills where session_id = ${s.id} order by filled_at, created_at`;
    expect(fills.map((f) => [f.side, f.q, f.price, f.at.toISOString()])).toEqual([
      ["buy", 10, "100.000000", T[0]!.toISOString()],
      ["sell", 10, "108.000000", T[2]!.toISOString()],
    ]);
    const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${s.id}`;
    expect(account!.cash).toBe("10080.000000");

    // What get_orders told the model at bar 1: the two legs working (the entry filled at D0's open), and with
    // status "all" the filled entry with its fill and the rejected stop too.
    const [decision] = await env.sql<{ prompt: string; tool_calls: { name: string; output: { orders: Record<string, unknown>[] } }[] }[]>`
      select prompt, tool_calls from decisions where session_id = ${s.id} and clock = ${T[1]!}`;
    // The prompt lists them too, with the ids cancel_order takes.
    const listed = decision!.prompt.split("\n").filter((l) => l.includes("CCC") && l.includes("filled"));
    expect(decision!.prompt).toContain("Working orders (get_orders has their fills; cancel_order and replace_order take the id):");
    expect(listed.map((l) => l.replace(/[0-9a-f-]{36}/g, "<id>").trim())).toEqual([
      "<id>: sell 10 CCC limit $108.00 gtc (take-profit of <id>), accepted, 0 filled",
      "<id>: sell 10 CCC stop $95.00 gtc (stop-loss of <id>), accepted, 0 filled",
    ]);
    const [open, all] = decision!.tool_calls.map((c) => c.output.orders);
    expect(open!.map((o) => [o.leg, o.status, o.limitPrice ?? o.stopPrice])).toEqual([["take_profit", "accepted", "108.00"], ["stop_loss", "accepted", "95.00"]]);
    expect(all!.map((o) => [o.leg, o.type, o.status, o.filledQuantity])).toEqual([
      ["entry", "limit", "filled", 10],
      ["take_profit", "limit", "accepted", 0],
      ["stop_loss", "stop", "accepted", 0],
      ["entry", "stop", "rejected", 0],
    ]);
    expect(all![0]!.fills).toEqual([{ fillId: expect.any(String), quantity: 10, price: "100.00", fee: "0.00", filledAt: T[0]!.toISOString() }]);
  });
});

/*
 * A trailing stop on DDD (D0 o100 h102 l99 · D1 o101 h106 l100 · D2 o105 h108 l104 · D3 o107 h107 l100 · then
 * o101 h102 l100), run with a new job (and a book loaded from the database) at every bar: bar 0 buys 10 at the
 * open, 100, and places a sell trailing stop of $5, its mark the open 100 (stop 95). After each bar's check the
 * mark moves to the bar's high: 102 (stop 97) after D0, 106 (101) after D1, 108 (103) after D2. D3 opens at 107,
 * above the stop, and falls to 100: the stop triggers and fills at 103 (the worse of the open and the stop).
 * Cash: 10,000 − 1,000 + 1,030 = 10,030.
 */
describe("a trailing stop through the session runner", () => {
  it("its water mark moves bar by bar, is stored and re-loaded, and it exits at its stop", async () => {
    const user = await createUser(env.sql, "wo-trail");
    const s = await createRun(
      user,
      [[0, [["buy", { symbol: "DDD", quantity: 10 }], ["place_order", { symbol: "DDD", side: "sell", quantity: 10, type: "trailing_stop", trailPrice: 5, timeInForce: "gtc" }]]]],
      ["DDD"],
    );
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const [trail] = await env.sql<{ status: string; trail: string; mark: string; stop: string; triggered: boolean; filled: number }[]>`
      select status, trail_price::text as trail, water_mark::text as mark, stop_price::text as stop, triggered, filled_quantity::int as filled
      from orders where session_id = ${s.id} and type = 'trailing_stop'`;
    expect(trail).toEqual({ status: "filled", trail: "5.000000", mark: "108.000000", stop: "103.000000", triggered: true, filled: 10 });
    const fills = await env.sql<{ side: string; price: string; at: Date }[]>`select side, price::text, filled_at as at from fills where session_id = ${s.id} order by filled_at`;
    expect(fills.map((f) => [f.side, f.price, f.at.toISOString()])).toEqual([
      ["buy", "100.000000", T[0]!.toISOString()],
      ["sell", "103.000000", T[3]!.toISOString()],
    ]);
    // The order's life in its events: accepted, then one event per bar its mark moved, then filled.
    const events = await env.sql<{ status: string; stop: string | null }[]>`
      select payload->>'status' as status, payload->>'stopPrice' as stop from session_events
      where session_id = ${s.id} and type = 'order' and payload->>'type' = 'trailing_stop' order by seq`;
    expect(events.map((e) => [e.status, e.stop])).toEqual([
      ["accepted", "95.000000"],
      ["accepted", "97.000000"],
      ["accepted", "101.000000"],
      ["accepted", "103.000000"],
      ["filled", "103.000000"],
    ]);
    const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${s.id}`;
    expect(account!.cash).toBe("10030.000000");
  });
});
