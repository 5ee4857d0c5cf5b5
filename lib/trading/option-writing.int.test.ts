import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser } from "@/tests/support/database";
import { OPT, seedOpt } from "@/tests/support/option-sessions";
import { createPlannedSession, runBarByBar, T, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * Writing options through the session runner (issue #23 item 5: margin, covered calls, cash-secured puts, margin calls),
 * a new runner and a freshly loaded book at every bar (runBarByBar). The underlying OPT: 40 days around $50, then
 * D0…D5 (2025-03-03 … 03-10) opening at 50 and closing 50.5, 51, 51.5, 51.8, 52 (Friday D4 = 2025-03-07, the weekly
 * expiry), 52.5. Free trading. Each test reads the premiums from the fills and checks the cash to the micro.
 */
const C48 = "OPT250307C00048000";
const C50 = "OPT250307C00050000";
const P48 = "OPT250307P00048000";


let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("option_writing", seedOpt)), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const write = (symbol: string, quantity = 1, extra: Record<string, unknown> = {}) => ["place_option_order", { symbol, side: "sell", positionIntent: "sell_to_open", quantity, ...extra }] as const;

type OrderRow = { symbol: string; side: string; quantity: number; status: string; reason: string | null; reject: string | null; message: string | null; decided: boolean; ref: string | null; placed: Date };
async function ordersOf(sessionId: string) {
  return env.sql<OrderRow[]>`
    select symbol, side, quantity::int, status, status_reason as reason, reject_code as reject, reject_message as message,
           decision_id is not null as decided, reference_price::text as ref, placed_at as placed
    from orders where session_id = ${sessionId} order by created_at, id`;
}
async function fillsOf(sessionId: string) {
  return env.sql<{ symbol: string; side: string; q: number; price: string; delta: string }[]>`
    select symbol, side, quantity::int as q, price::text, cash_delta::text as delta from fills where session_id = ${sessionId} order by created_at, id`;
}
async function stateOf(sessionId: string) {
  const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${sessionId}`;
  const positions = await env.sql<{ symbol: string; q: number }[]>`select symbol, quantity::int as q from positions where session_id = ${sessionId} and quantity <> 0 order by symbol`;
  return { cash: Number(account!.cash), positions };
}
const row = (o: OrderRow) => [o.symbol, o.side, o.quantity, o.status, o.reason, o.reject];

describe("writing option contracts", () => {
  it("a covered call needs no margin, is assigned at expiry and closes the stock; an account that may not short writes calls only covered and puts only cash-secured", async () => {
    const user = await createUser(env.sql, "covered-call");
    // Long only (allowShort false). $6,000: 100 OPT at the D0 open of 50 leaves $1,000.
    const s = await createPlannedSession(env, jobs.jobs, user, [
      [0, [["buy", { symbol: OPT, quantity: 100 }], write(C50), write(C50), write(P48)]],
      [1, [["sell", { symbol: OPT, quantity: 100 }]]],
    ], [OPT], {}, "6000");
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    const orders = await ordersOf(s.id);
    expect(orders.map(row)).toEqual([
      [OPT, "buy", 100, "filled", null, null],
      [C50, "sell_short", 1, "filled", null, null], // covered by the 100 shares: no cash held for it
      [C50, "sell_short", 1, "rejected", null, "SHORTING_DISABLED"], // a second call would be uncovered
      [P48, "sell_short", 1, "rejected", null, "INSUFFICIENT_MARGIN"], // cash-secured: $4,800 of cash, there is ~$1,000 + premium
      [OPT, "sell", 100, "rejected", null, "SHORTING_DISABLED"], // selling the shares would uncover the call
      [C50, "buy_to_cover", 1, "filled", "assigned", null], // D4 closed at 52: the call 50 is 2 in the money
      [OPT, "sell", 100, "filled", "assigned", null], // 100 shares delivered at the strike
    ]);
    expect(orders[2]!.message).toMatch(/would leave 1 OPT250307C00050000 uncovered: short selling is disabled for this model, so calls may be written only covered/);
    const premiumP48 = Number(orders[3]!.ref);
    const cashAfterPut = 6_000 - 5_000 + 100 * Number(orders[1]!.ref) + 100 * premiumP48;
    expect(orders[3]!.message).toContain(`needs cash of at least $4,800.00 afterwards as collateral for the shorts ($4,800.00 for 1 cash-secured ${P48} (its strike × 100 a contract))`);
    expect(orders[3]!.message).toContain(`but cash would be $${cashAfterPut.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
    expect(orders.slice(5).every((o) => !o.decided && o.placed.getTime() === T[5]!.getTime())).toBe(true);
    const [prompt] = await env.sql<{ prompt: string }[]>`select prompt from decisions where session_id = ${s.id} and clock = ${T[5]!}`;
    expect(prompt!.prompt).toContain(`  ${C50}: buy_to_cover 1 at $0.00 (assigned)\n  OPT: sell 100 at $50.00 (assigned)`);

    const fills = await fillsOf(s.id);
    const premium = Number(fills[1]!.price);
    expect(fills[1]!.side).toBe("sell_short");
    expect(Number(fills[1]!.delta)).toBeCloseTo(100 * premium, 6); // sold at the bid, × 100
    expect(fills.slice(2).map((f) => [f.symbol, f.side, f.q, Number(f.price)])).toEqual([
      [C50, "buy_to_cover", 1, 0],
      [OPT, "sell", 100, 50],
    ]);
    const state = await stateOf(s.id);
    expect(state.positions).toEqual([]); // the assignment took the shares the call was written against
    expect(state.cash).toBeCloseTo(6_000 - 5_000 + 100 * premium + 5_000, 6);
  });

  it("a naked call the account cannot carry is refused with the Reg-T figures; an out-of-the-money naked put is written and expires worthless", async () => {
    const user = await createUser(env.sql, "naked");
    // $1,000, shorting allowed. 2 calls 48 (2 in the money at 50): each needs 100 × bid + 20 % of $5,000 = 100 × bid + 1,000.
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [["get_option_quote", { symbol: C48 }], write(C48, 2), write(P48)]], [1, [["get_portfolio", {}]]]], [OPT], { allowShort: true }, "1000");
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    const orders = await ordersOf(s.id);
    expect(orders.map(row)).toEqual([
      [C48, "sell_short", 2, "rejected", null, "INSUFFICIENT_MARGIN"],
      [P48, "sell_short", 1, "filled", null, null],
      [P48, "buy_to_cover", 1, "filled", "expired_worthless", null],
    ]);
    const bid = Number(orders[0]!.ref);
    // Margined at the contract's mark, the mid (as every bar re-marks it), not at the bid it would be sold at.
    const [d0] = await env.sql<{ toolCalls: { name: string; output: { mid: number; bid: number } }[] }[]>`select tool_calls as "toolCalls" from decisions where session_id = ${s.id} and clock = ${T[0]!}`;
    const quote = d0!.toolCalls.find((c) => c.name === "get_option_quote")!.output;
    expect(quote.bid).toBe(bid);
    const requirement = 2 * (100 * quote.mid + 1_000);
    const money = (x: number) => `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(orders[0]!.message).toBe(
      `writing 2 contracts ${C48} needs cash of at least ${money(requirement)} afterwards as collateral for the shorts (${money(requirement)} for 2 uncovered ${C48} (call: premium + the greater of 20% of the underlying less the out-of-the-money amount and 10% of the underlying)), ` +
        `but cash would be ${money(1_000 + 200 * bid)}; no ${C48} can be written now`, // one needs 100 × mid + $1,000, more than the $1,000 + 100 × bid it would leave
    );
    // The put 48, 2 out of the money: 100 × bid + max(1,000 − 200, 10 % of the strike × 100 = 480) ≤ $1,000 + premium.
    const fills = await fillsOf(s.id);
    expect(fills.map((f) => [f.symbol, f.side, Number(f.price)])).toEqual([
      [P48, "sell_short", Number(orders[1]!.ref)],
      [P48, "buy_to_cover", 0],
    ]);
    const state = await stateOf(s.id);
    expect(state.positions).toEqual([]);
    expect(state.cash).toBeCloseTo(1_000 + 100 * Number(orders[1]!.ref), 6); // the premium kept
    // get_portfolio at D1 shows the written put's requirement and the excess over it.
    const [decision] = await env.sql<{ toolCalls: { name: string; output: { margin?: { requirement: string; excess: string; lines: unknown[] } } }[] }[]>`
      select tool_calls as "toolCalls" from decisions where session_id = ${s.id} and clock = ${T[1]!}`;
    const margin = decision!.toolCalls.find((c) => c.name === "get_portfolio")!.output.margin!;
    expect(margin.lines).toEqual([{ symbol: P48, kind: "naked_put", quantity: 1, requirement: margin.requirement }]);
    expect(Number(margin.excess)).toBeCloseTo(state.cash - Number(margin.requirement), 6);
    expect(Number(margin.requirement)).toBeGreaterThanOrEqual(480); // at least 10 % of the strike × 100
  });

  it("a call written at the limit of the margin gets a margin call when the underlying rises, and is bought back at the next decision when it is not met", async () => {
    const user = await createUser(env.sql, "margin-call");
    // At the money at D0 (OPT 50): the call 50 needs 100 × mid + 20 % of $5,000 besides the premium (the bid) it brings:
    // $1,010 carries it (the half-spread is under 10 cents).
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [write(C50)]]], [OPT], { allowShort: true }, "1010");
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    const orders = await ordersOf(s.id);
    expect(orders.map(row)).toEqual([
      [C50, "sell_short", 1, "filled", null, null],
      [C50, "buy_to_cover", 1, "filled", "margin_call", null],
    ]);
    expect(orders[1]!.decided).toBe(false);
    expect(orders[1]!.placed.getTime()).toBe(T[2]!.getTime()); // the call was issued at D1, unmet at D2's decision

    const events = await env.sql<{ payload: { barIndex: number; status: string; requirement: string; cash: string; shortfall: string; closed?: string[]; requirementAfter?: string; lines: { symbol: string; kind: string }[] } }[]>`
      select payload from session_events where session_id = ${s.id} and type = 'margin_call' order by seq`;
    expect(events.map((e) => [e.payload.barIndex, e.payload.status])).toEqual([
      [1, "issued"],
      [2, "forced_close"],
    ]);
    const issued = events[0]!.payload;
    expect(issued.lines).toEqual([{ symbol: C50, kind: "naked_call", quantity: 1, requirement: issued.requirement }]);
    expect(Number(issued.shortfall)).toBeCloseTo(Number(issued.requirement) - Number(issued.cash), 6);
    expect(Number(issued.shortfall)).toBeGreaterThan(0);
    // At D1 (OPT opens 50.5, the call marked at its mid): 100 × mid + 20 % of $5,050 ≥ $1,010 + premium > the cash.
    expect(Number(issued.requirement)).toBeGreaterThan(1_010);
    expect(events[1]!.payload.closed).toEqual([C50]);
    expect(events[1]!.payload.requirementAfter).toBe("0.000000");

    const fills = await fillsOf(s.id);
    const state = await stateOf(s.id);
    expect(state.positions).toEqual([]);
    expect(state.cash).toBeCloseTo(1_010 + 100 * Number(fills[0]!.price) - 100 * Number(fills[1]!.price), 6);
    expect(Number(fills[1]!.price)).toBeGreaterThan(Number(fills[0]!.price)); // bought back at the ask, dearer
    // The model is told what the session did before its next decision.
    const [prompt] = await env.sql<{ prompt: string }[]>`select prompt from decisions where session_id = ${s.id} and clock = ${T[2]!}`;
    expect(prompt!.prompt).toContain(`Done by the session since your last decision (option expiry, exercise and assignment, margin-call buy-backs):\n  ${C50}: buy_to_cover 1 at $${Number(fills[1]!.price).toFixed(2)} (margin call)`);
  });

  it("a margin call met before the next decision ends without a forced close", async () => {
    const user = await createUser(env.sql, "margin-met");
    const s = await createPlannedSession(env, jobs.jobs, user, [
      [0, [write(C50)]],
      [1, [["place_option_order", { symbol: C50, side: "buy", positionIntent: "buy_to_close", quantity: 1 }]]],
    ], [OPT], { allowShort: true }, "1010");
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const orders = await ordersOf(s.id);
    expect(orders.map(row)).toEqual([
      [C50, "sell_short", 1, "filled", null, null],
      [C50, "buy_to_cover", 1, "filled", null, null],
    ]);
    expect(orders[1]!.decided).toBe(true);
    const events = await env.sql<{ payload: { barIndex: number; status: string } }[]>`
      select payload from session_events where session_id = ${s.id} and type = 'margin_call' order by seq`;
    expect(events.map((e) => [e.payload.barIndex, e.payload.status])).toEqual([[1, "issued"]]);
    // The model was told, in the prompt of the decision the call was issued before, and only there.
    const prompts = await env.sql<{ prompt: string }[]>`select prompt from decisions where session_id = ${s.id} order by clock`;
    expect(prompts.map((p) => p.prompt.includes("MARGIN CALL"))).toEqual([false, true, false, false, false, false]);
    expect(prompts[1]!.prompt).toMatch(/MARGIN CALL: your shorts require \$1,081\.00 of cash, you have \$1,0\d\d\.\d\d \(short by \$\d+\.\d\d; 1 OPT250307C00050000 \(naked call\) \$1,081\.00\)\. Meet it this decision/);
  });

  it("order types options do not take are rejected orders in words, their type kept on the row", async () => {
    const user = await createUser(env.sql, "option-types");
    const order = (extra: Record<string, unknown>) => ["place_option_order", { symbol: C50, side: "buy", positionIntent: "buy_to_open", quantity: 1, ...extra }] as const;
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [order({ type: "stop" }), order({ type: "trailing_stop" }), order({ type: "limit", limitPrice: 1.005 }), order({ limitPrice: 1 })]]], [OPT], { allowShort: true });
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const orders = await env.sql<{ type: string; status: string; reject: string; message: string }[]>`
      select type, status, reject_code as reject, reject_message as message from orders where session_id = ${s.id} order by created_at`;
    expect(orders.map((o) => [o.type, o.status, o.reject])).toEqual([
      ["stop", "rejected", "INVALID_ORDER_TYPE"],
      ["trailing_stop", "rejected", "INVALID_ORDER_TYPE"],
      ["limit", "rejected", "INVALID_ORDER_PRICE"],
      ["market", "rejected", "INVALID_ORDER_PRICE"],
    ]);
    expect(orders[0]!.message).toBe("options take market and limit orders only, not stop orders (no stops or trailing stops on options, as at Alpaca)");
    expect(orders[2]!.message).toBe("a limit order on an option needs a limitPrice in whole cents above 0 (the premium per share), got 1.005");
    expect(orders[3]!.message).toMatch(/^a market order takes no limitPrice/);
    expect(await fillsOf(s.id)).toEqual([]);
  });

  it("limit orders on contracts: one the quote reaches fills at once at the quote; the others work across bars and fill at the first quote that reaches them, expire with their day, or with their contract", async () => {
    const user = await createUser(env.sql, "option-limits");
    const P50 = "OPT250307P00050000";
    const limit = (symbol: string, side: "buy" | "sell", positionIntent: string, limitPrice: number, timeInForce: "day" | "gtc") =>
      ["place_option_order", { symbol, side, positionIntent, quantity: 1, type: "limit", limitPrice, timeInForce }] as const;
    const s = await createPlannedSession(env, jobs.jobs, user, [
      [0, [
        limit(C50, "buy", "buy_to_open", 5, "day"), // the ask is below 5: fills now, at the ask
        limit(P50, "buy", "buy_to_open", 0.3, "gtc"), // the put 50 gets cheaper as OPT rises: fills at a later bar
        limit(P50, "buy", "buy_to_open", 0.3, "day"), // the same, for the day only: expires before the next bar
      ]],
      [1, [limit(C50, "sell", "sell_to_close", 5, "gtc")]], // never reached (the call is worth 2 at most): expires with the contract
    ], [OPT]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    const orders = await env.sql<{ symbol: string; side: string; type: string; tif: string; limit: string | null; status: string; reason: string | null; placed: Date; ended: Date | null }[]>`
      select symbol, side, type, time_in_force as tif, limit_price::text as limit, status, status_reason as reason, placed_at as placed, ended_at as ended
      from orders where session_id = ${s.id} and decision_id is not null order by created_at`;
    expect(orders.map((o) => [o.symbol, o.side, o.type, o.status, o.reason])).toEqual([
      [C50, "buy", "market", "filled", null], // a limit the quote reached: filled as the market order it is (the request keeps the limit)
      [P50, "buy", "limit", "filled", null],
      [P50, "buy", "limit", "expired", "day"],
      [C50, "sell", "limit", "expired", "contract_expired"],
    ]);
    expect(orders[2]!.ended!.getTime()).toBe(T[1]!.getTime());
    expect(orders[3]!.ended!.getTime()).toBe(T[5]!.getTime());

    const fills = await env.sql<{ symbol: string; side: string; price: string; at: Date }[]>`
      select symbol, side, price::text, filled_at as at from fills where session_id = ${s.id} order by created_at`;
    const [c50, p50] = fills;
    expect(Number(c50!.price)).toBeLessThan(5);
    expect(c50!.at.getTime()).toBe(T[0]!.getTime());
    expect(p50!.symbol).toBe(P50);
    expect(Number(p50!.price)).toBeLessThanOrEqual(0.3);
    expect(p50!.at.getTime()).toBeGreaterThan(T[0]!.getTime()); // not at the bar it was placed at: its ask was above 0.30 then
    // The C50 was exercised at the expiry (OPT closed at 52) while its sell limit still worked; the order then expired.
    const settled = await env.sql<{ symbol: string; reason: string }[]>`select symbol, status_reason as reason from orders where session_id = ${s.id} and decision_id is null order by created_at`;
    expect(settled.map((r) => [r.symbol, r.reason])).toEqual([[C50, "exercised"], [OPT, "exercised"], [P50, "expired_worthless"]]);
  });

  it("a limit write works until the bid reaches it and fills there; one the account cannot carry when the bid reaches it is cancelled, not filled", async () => {
    const C51 = "OPT250307C00051000";
    const plan = [[0, [write(C51, 1, { type: "limit", limitPrice: 0.5, timeInForce: "gtc" })]]] as const;
    const rich = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "limit-write"), plan, [OPT], { allowShort: true });
    // $950: at D0 (OPT 50, the call 1 out of the money) it needs 0.50 × 100 + 20 % of $5,000 − $100 = $950 besides the
    // $50 it brings: accepted. When OPT has risen to where the bid is 0.50, 20 % of the underlying alone is over $1,000.
    const poor = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "limit-write-poor"), plan, [OPT], { allowShort: true }, "950");
    for (const s of [rich, poor]) expect(await runBarByBar(deps, s.id)).toBe("completed");

    const orderOf = async (id: string) =>
      (await env.sql<{ status: string; reason: string | null; type: string; placed: Date; ended: Date | null }[]>`
        select status, status_reason as reason, type, placed_at as placed, ended_at as ended from orders where session_id = ${id} and decision_id is not null`)[0]!;
    const filled = await orderOf(rich.id);
    expect([filled.type, filled.status]).toEqual(["limit", "filled"]);
    const [fill] = await env.sql<{ price: string; at: Date }[]>`select price::text, filled_at as at from fills where session_id = ${rich.id} order by created_at limit 1`;
    expect(Number(fill!.price)).toBeGreaterThanOrEqual(0.5); // at the bid that reached the limit
    expect(fill!.at.getTime()).toBeGreaterThan(T[0]!.getTime());

    const refused = await orderOf(poor.id);
    expect([refused.type, refused.status, refused.reason]).toEqual(["limit", "cancelled", "insufficient_margin"]);
    expect(refused.ended!.getTime()).toBe(fill!.at.getTime()); // the same bar: the same quotes reached it in both sessions
    expect(await fillsOf(poor.id)).toEqual([]);
    expect((await stateOf(poor.id)).cash).toBe(950);
  });

  it("a limit write the account could not carry at its limit now is a rejected order", async () => {
    const s = await createPlannedSession(env, jobs.jobs, await createUser(env.sql, "limit-write-refused"), [[0, [write(C50, 5, { type: "limit", limitPrice: 2, timeInForce: "gtc" })]]], [OPT], { allowShort: true }, "1000");
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const [o] = await env.sql<{ type: string; status: string; reject: string; message: string }[]>`select type, status, reject_code as reject, reject_message as message from orders where session_id = ${s.id}`;
    expect([o!.type, o!.status, o!.reject]).toEqual(["limit", "rejected", "INSUFFICIENT_MARGIN"]);
    expect(o!.message).toMatch(/^writing 5 contracts OPT250307C00050000 needs cash of at least \$6,000\.00 afterwards/); // 5 × (200 + 1,000)
  });
});
