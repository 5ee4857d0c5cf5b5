import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolOutputSchemas } from "@/lib/agent/tool-contract";
import type { RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser } from "@/tests/support/database";
import { OPT, seedOpt } from "@/tests/support/option-sessions";
import { createPlannedSession, runBarByBar, T, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * Multi-leg orders through the session runner (issue #24 item 1-3): place_order with orderClass mleg on OPT (opens
 * 2025-03-03 at $50; its contracts of Friday 2025-03-21, modelled). All or none: a strategy either fills every leg at the
 * bar it is placed or writes nothing but its rejected order; its margin is the strategy's (account-margin.ts).
 */
const P46 = "OPT250321P00046000";
const P48 = "OPT250321P00048000";
const C50 = "OPT250321C00050000";
const C52 = "OPT250321C00052000";
const C54 = "OPT250321C00054000";

let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("combo_orders", seedOpt)), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const leg = (symbol: string, side: "buy" | "sell", positionIntent: string, ratio = 1) => ({ symbol, side, ratio, positionIntent });
const CONDOR = [leg(P46, "buy", "buy_to_open"), leg(P48, "sell", "sell_to_open"), leg(C52, "sell", "sell_to_open"), leg(C54, "buy", "buy_to_open")];
const mleg = (legs: unknown[], quantity: number, extra: Record<string, unknown> = {}) => ["place_order", { orderClass: "mleg", type: "market", legs, quantity, ...extra }] as const;

type Row = { id: string; symbol: string | null; side: string | null; quantity: number; status: string; orderClass: string; parent: string | null; reject: string | null; message: string | null; strategy: Record<string, unknown> | null; limit: string | null };
const ordersOf = (sessionId: string) => env.sql<Row[]>`
  select id, symbol, side, quantity::int, status, order_class as "orderClass", parent_order_id as parent, reject_code as reject, reject_message as message, strategy, limit_price::text as limit
  from orders where session_id = ${sessionId} order by created_at, id`;
const fillsOf = (sessionId: string) => env.sql<{ symbol: string; side: string; q: number; price: string; delta: string }[]>`
  select symbol, side, quantity::int as q, price::text, cash_delta::text as delta from fills where session_id = ${sessionId} order by created_at, id`;
const cashOf = async (sessionId: string) => Number((await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${sessionId}`)[0]!.cash);

describe("multi-leg orders", () => {
  it("an iron condor fills all four legs at once, margined as the strategy (the wider wing), with its profile stored", async () => {
    const user = await createUser(env.sql, "condor");
    // $1,000 and shorting allowed: 2 condors need 2 × $2 × 100 = $400; written alone, the two short legs would need far more.
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [["preview_strategy", { legs: CONDOR, quantity: 2 }], ["preview_strategy", { strategy: { name: "iron_condor", underlying: OPT, expiry: "2025-03-21", strikes: [46, 48, 52, 54] }, quantity: 2 }], mleg(CONDOR, 2)]],
      [1, [["get_portfolio", {}]]],
      // close_strategy names the strategy by the call that placed it (the scripted model's ref: its order id).
      [2, [["close_strategy", { ref: `${T[0]!.toISOString()}-2`, quantity: 1 }]]],
      [3, [["close_strategy", { ref: `${T[0]!.toISOString()}-2` }]]],
      [4, [["close_strategy", { ref: `${T[0]!.toISOString()}-2` }]]],
    ], [OPT], { allowShort: true }, "1000");
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    const orders = await ordersOf(s.id);
    const [parent, ...legs] = orders.slice(0, 5);
    expect([parent!.symbol, parent!.side, parent!.quantity, parent!.status, parent!.orderClass, parent!.parent]).toEqual([OPT, null, 2, "filled", "mleg", null]);
    expect(legs.map((o) => [o.symbol, o.side, o.quantity, o.status, o.orderClass, o.parent])).toEqual([
      [P46, "buy", 2, "filled", "mleg", parent!.id],
      [P48, "sell_short", 2, "filled", "mleg", parent!.id],
      [C52, "sell_short", 2, "filled", "mleg", parent!.id],
      [C54, "buy", 2, "filled", "mleg", parent!.id],
    ]);
    const fills = (await fillsOf(s.id)).slice(0, 4);
    const premium = (i: number) => Number(fills[i]!.price);
    // Net per share of one unit: the wings bought at their asks, the shorts sold at their bids: a credit.
    const net = premium(0) - premium(1) - premium(2) + premium(3);
    expect(net).toBeLessThan(0);
    expect(parent!.strategy).toMatchObject({ name: "iron_condor", label: "iron condor" });
    expect(Number(parent!.strategy!.netPrice)).toBeCloseTo(net, 6);
    // Per unit: at most the credit (× 100) is kept; at most the wing's width less the credit is lost; breakevens at the short strikes ∓ the credit.
    expect(Number(parent!.strategy!.maxProfit)).toBeCloseTo(-net * 100, 6);
    expect(Number(parent!.strategy!.maxLoss)).toBeCloseTo((2 + net) * 100, 6);
    expect((parent!.strategy!.breakevens as string[]).map(Number)).toEqual([48 + net, 52 - net].map((v) => Math.round(v * 1e6) / 1e6));
    // The margin is the strategy's: $400 for the two condors, and the cash has the credit.
    expect(fills.reduce((sum, f) => sum + Number(f.delta), 0)).toBeCloseTo(-net * 2 * 100, 6);
    const allFills = await fillsOf(s.id);
    expect(await cashOf(s.id)).toBeCloseTo(1000 + allFills.reduce((sum, f) => sum + Number(f.delta), 0), 6); // the closes' fills too
    // preview_strategy, asked just before, said all of it: the net, the profile for the whole order, the margin after.
    const [d0] = await env.sql<{ calls: { name: string; output: unknown }[] }[]>`select tool_calls as calls from decisions where session_id = ${s.id} and clock = ${T[0]!}`;
    const preview = toolOutputSchemas.preview_strategy.parse(d0!.calls.find((c) => c.name === "preview_strategy")!.output);
    expect(preview.strategy).toEqual({ name: "iron_condor", label: "iron condor" });
    expect(preview.legs.map((l) => [l.symbol, l.side, l.positionIntent, Number(l.price)])).toEqual([
      [P46, "buy", "buy_to_open", premium(0)],
      [P48, "sell", "sell_to_open", premium(1)],
      [C52, "sell", "sell_to_open", premium(2)],
      [C54, "buy", "buy_to_open", premium(3)],
    ]);
    expect(Number(preview.netPrice)).toBeCloseTo(net, 6);
    expect(Number(preview.cash)).toBeCloseTo(-net * 200, 6); // received for 2 units
    expect([Number(preview.maxProfit), Number(preview.maxLoss)]).toEqual([-net * 200, (2 + net) * 200].map((v) => Math.round(v * 1e6) / 1e6));
    expect(preview.margin).toEqual({ requirement: "400.000000", now: "0.000000" });
    expect(Math.abs(preview.greeks.delta)).toBeLessThan(50); // a condor is near delta-neutral: far less than 200 shares' worth
    expect(preview.greeks.theta).toBeGreaterThan(0); // written premium decays in its favour
    // The same condor named by its strikes: the engine builds the same legs (opening), and the answer is the same.
    const named = toolOutputSchemas.preview_strategy.parse(d0!.calls.filter((c) => c.name === "preview_strategy")[1]!.output);
    expect(named).toEqual(preview);

    const [d1] = await env.sql<{ calls: { name: string; output: unknown }[] }[]>`select tool_calls as calls from decisions where session_id = ${s.id} and clock = ${T[1]!}`;
    const portfolio = toolOutputSchemas.get_portfolio.parse(d1!.calls.find((c) => c.name === "get_portfolio")!.output);
    expect(portfolio.margin!.requirement).toBe("400.00");

    // close_strategy: one unit at D2, the last at D3, each as one multi-leg order closing every leg at once; at D4 nothing is left.
    const closes = orders.filter((o) => o.orderClass === "mleg" && o.parent === null).slice(1);
    expect(closes.map((o) => [o.quantity, o.status])).toEqual([[1, "filled"], [1, "filled"]]);
    const closingLegs = orders.filter((o) => o.parent === closes[0]!.id).map((o) => [o.symbol, o.side, o.quantity]);
    expect(closingLegs).toEqual([[P46, "sell", 1], [P48, "buy_to_cover", 1], [C52, "buy_to_cover", 1], [C54, "sell", 1]]);
    expect(await env.sql`select symbol from positions where session_id = ${s.id} and quantity <> 0`).toEqual([]);
    const [d4] = await env.sql<{ calls: { name: string; error: string | null }[] }[]>`select tool_calls as calls from decisions where session_id = ${s.id} and clock = ${T[4]!}`;
    expect(d4!.calls.find((c) => c.name === "close_strategy")!.error).toMatch(/^NOTHING_TO_CLOSE: the legs of multi-leg order [0-9a-f-]{36} are no longer held as it placed them/);
  });

  it("all or none: a strategy the account cannot carry writes its rejected order and nothing else", async () => {
    const user = await createUser(env.sql, "too-small");
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [mleg(CONDOR, 2)]]], [OPT], { allowShort: true }, "300");
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const orders = await ordersOf(s.id);
    expect(orders.map((o) => [o.symbol, o.status, o.orderClass, o.reject])).toEqual([[OPT, "rejected", "mleg", "INSUFFICIENT_MARGIN"]]);
    expect(orders[0]!.message).toMatch(/^the iron condor needs cash of at least \$400\.00 afterwards as .*but cash would be \$[\d,.]+: nothing was filled$/);
    expect(await fillsOf(s.id)).toEqual([]);
    expect(await cashOf(s.id)).toBe(300);
    expect(await env.sql`select 1 from positions where session_id = ${s.id} and quantity <> 0`).toHaveLength(0);
  });

  it("a debit call vertical in a long-only account: the written call is covered by the one bought, no margin", async () => {
    const user = await createUser(env.sql, "vertical");
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [mleg([leg(C50, "buy", "buy_to_open"), leg(C52, "sell", "sell_to_open")], 1)]]], [OPT], {}, "1000");
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const orders = await ordersOf(s.id);
    expect(orders.slice(0, 3).map((o) => [o.symbol, o.status])).toEqual([[OPT, "filled"], [C50, "filled"], [C52, "filled"]]);
    expect(orders[0]!.strategy).toMatchObject({ name: "call_debit_vertical" });
    const [buy, sell] = await fillsOf(s.id);
    expect(Number(orders[0]!.strategy!.maxLoss)).toBeCloseTo((Number(buy!.price) - Number(sell!.price)) * 100, 6);
  });

  it("refuses in words what is not a strategy it can place, writing only the rejected order", async () => {
    const user = await createUser(env.sql, "bad-legs");
    const s = await createPlannedSession(env, jobs.jobs, user, [
      [0, [
        mleg([leg(C50, "buy", "buy_to_open"), leg(C52, "sell", "sell_to_open"), leg(C54, "buy", "buy_to_open"), leg(P46, "buy", "buy_to_open"), leg(P48, "sell", "sell_to_open")], 1),
        mleg([leg(C50, "buy", "buy_to_open", 3), leg(C52, "sell", "sell_to_open", 3)], 1),
        mleg(CONDOR, 1, { type: "limit", limitPrice: 0.5 }), // a credit strategy with a debit limit
        mleg(CONDOR, 1, { type: "limit", limitPrice: -1.95 }), // asks for a credit near the wing's width: not marketable
        mleg([leg(C50, "buy", "buy_to_open"), leg("ZZZZ250321C00050000", "sell", "sell_to_open")], 1),
        mleg(CONDOR, 1, { type: "limit", limitPrice: 0 }), // refused, and stored without a limit (a 0 limit broke the bar's write)
      ]],
    ], [OPT], { allowShort: true }, "10000");
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const orders = await ordersOf(s.id);
    expect(orders.map((o) => [o.status, o.orderClass, o.reject])).toEqual([
      ["rejected", "mleg", "INVALID_LEGS"],
      ["rejected", "mleg", "INVALID_LEGS"],
      ["rejected", "mleg", "INVALID_ORDER_PRICE"],
      ["rejected", "mleg", "COMBO_NOT_MARKETABLE"],
      ["rejected", "mleg", "INVALID_LEGS"],
      ["rejected", "mleg", "INVALID_ORDER_PRICE"],
    ]);
    expect(orders[5]!.limit).toBeNull();
    expect(orders[0]!.message).toMatch(/2 to 4 legs; got 5/);
    expect(orders[1]!.message).toMatch(/lowest terms/);
    expect(orders[3]!.message).toMatch(/^the iron condor trades at a credit of \$[\d.]+ a share of one unit at the quotes now, worse than your limit, a credit of \$1\.95;/);
    expect(await fillsOf(s.id)).toEqual([]);
    expect(await cashOf(s.id)).toBe(10_000);
  });
});
