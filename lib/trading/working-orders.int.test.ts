import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bar } from "@/lib/market";
import { barStarts, tradingDays } from "@/lib/market";
import { controlSession } from "@/lib/services/sessions/control";
import { createSession } from "@/lib/services/sessions/create";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { decide } from "@/lib/trading/decide";
import type { DecideFn } from "@/lib/trading/run-bar";
import { createTradingTools, ToolError } from "@/lib/trading/tools";
import { contextOf, createAgentFixture } from "@/tests/support/agent-fixtures";
import { createUser, type TestUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase, runRecordOf, seedBars, testJobs } from "@/tests/support/session-fixtures";
import { scriptedModel, text, toolCall } from "@/tests/support/scripted-model";

/**
 * Working orders through the session runner (issue #22), on bars made for it and numbers worked out by hand.
 * Free trading (no fees, no slippage), $10,000. Day bars D0…D5 (2025-03-03 … 2025-03-10):
 *
 *   AAA  D0 o100 h101 l99 c100 · D1 o100 h102 l96 c97 · D2… o98 h99 l97 c98
 *   BBB  D0 o50 h51 l49 c50    · D1 o50 h51 l48 c49   · D2… o45 h46 l44 c45   (a gap down at D2's open)
 *
 * bar 0 (D0): A1 buy 10 AAA limit 97 gtc (reserves $970), B1 buy 20 BBB limit 47 gtc ($940), A2 buy 5 AAA
 *   limit 90 gtc ($450): $2,360 held back. A market buy of 80 AAA at $100 ($8,000) is refused (free cash
 *   $7,640), one of 76 ($7,600) fills: cash $2,400, of which $40 free.
 * bar 1 (D1; D0 met nothing): B2 buy 2 BBB limit 40 ($80) is refused ($40 free); cancel A2 (frees $450);
 *   B3, the same order again, is accepted.
 * bar 2 (D1 has closed): A1 fills at 97: D1's low 96 reached the limit, its open 100 was above it.
 * bar 3 (D2 has closed): B1 fills at 45, D2's open: the gap went through the limit of 47.
 * end: B3 (limit 40, never reached) is cancelled with the session, reason session_end.
 * Cash: 10,000 − 7,600 − 970 − 900 = 530. AAA 86, BBB 20.
 */
const days = tradingDays("2025-03-03", "2025-03-10");
const history = tradingDays("2025-02-26", "2025-02-28");
const T = days.map((d) => barStarts(d, "day")[0]!);

function bars(symbol: string, rows: readonly (readonly [number, number, number, number])[]): Bar[] {
  const all = [...history.map(() => rows[0]!), ...rows];
  return [...history, ...days].map((day, i) => {
    const [open, high, low, close] = all[i] ?? all.at(-1)!;
    return { symbol, interval: "day", start: barStarts(day, "day")[0]!, open, high, low, close, volume: 100_000, source: "test", derived: false };
  });
}

type Call = readonly [tool: string, input: Record<string, unknown>];
const plans = new Map<string, Map<number, readonly Call[]>>();
/** Order ids the scripted model learns from its tools (cancel_order needs one), by session. */
const learned = new Map<string, Map<string, string>>();

const scriptedDecide: DecideFn = async (ctx, options) => {
  const at = ctx.clock.now().toISOString();
  const bar = T.findIndex((t) => t.toISOString() === at);
  const ids = learned.get(ctx.sessionId) ?? new Map<string, string>();
  learned.set(ctx.sessionId, ids);
  const calls = (plans.get(ctx.sessionId)?.get(bar) ?? []).map(([tool, input]) => [tool, tool === "cancel_order" ? { orderId: ids.get(input.ref as string) } : input] as const);
  const languageModel = scriptedModel([calls.map(([tool, input], i) => toolCall(tool, input, `${at}-${i}`)), [text(calls.length ? "Done." : "Hold.")]]);
  const result = await decide(ctx, { ...options, languageModel });
  // The ids the tools answered (the same on a re-run bar: they derive from the session and the call id).
  for (const o of ctx.book.pending.orders) ids.set(o.idempotencyKey.split(":").slice(1).join(":"), o.id);
  return result;
};

const limit = (symbol: string, quantity: number, limitPrice: number) => ["place_order", { symbol, side: "buy", quantity, type: "limit", limitPrice, timeInForce: "gtc" }] as const;
const PLAN: [number, readonly Call[]][] = [
  [0, [limit("AAA", 10, 97), limit("BBB", 20, 47), limit("AAA", 5, 90), ["buy", { symbol: "AAA", quantity: 80 }], ["buy", { symbol: "AAA", quantity: 76 }]]],
  [1, [limit("BBB", 2, 40), ["cancel_order", { ref: `${T[0]!.toISOString()}-2` }], limit("BBB", 2, 40)]],
];

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let deps: RunnerDeps;
const FREE = { fees: { perOrder: "0", perShare: "0", minimum: "0", notionalBps: 0 }, slippageBps: 0 };

beforeAll(async () => {
  env = await freshSessionDatabase("working_orders");
  const flat = [98, 99, 97, 98] as const;
  await seedBars(env.db, [
    ...bars("AAA", [[100, 101, 99, 100], [100, 102, 96, 97], flat, flat, flat, flat]),
    ...bars("BBB", [[50, 51, 49, 50], [50, 51, 48, 49], [45, 46, 44, 45], [45, 46, 44, 45], [45, 46, 44, 45], [45, 46, 44, 45]]),
    ...bars("DDD", [[100, 102, 99, 101], [101, 106, 100, 105], [105, 108, 104, 107], [107, 107, 100, 101], [101, 102, 100, 101], [101, 102, 100, 101]]),
    ...bars("CCC", [[100, 101, 99, 100], [100, 103, 99, 102], [102, 111, 101, 110], [110, 111, 109, 110], [110, 111, 109, 110], [110, 111, 109, 110]]),
  ]);
  jobs = await testJobs(env.url);
  deps = { db: env.db, jobs: jobs.jobs, decide: scriptedDecide, log: () => {} };
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await env?.drop();
});

async function createRun(user: TestUser, plan = PLAN, symbols = ["AAA", "BBB"]) {
  const modelId = await createModel(env.sql, user, { startingCash: "10000" });
  const s = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: days[0]!, end: days.at(-1)!, symbols, settings: FREE }, { db: env.db, jobs: jobs.jobs });
  plans.set(s.id, new Map(plan));
  return s;
}

const ordersOf = (id: string) =>
  env.sql<{ key: string; symbol: string; side: string; quantity: number; type: string; tif: string; status: string; limit: string | null; filled: number; reject: string | null; reason: string | null }[]>`
    select split_part(idempotency_key, ':', 2) || ':' || split_part(idempotency_key, ':', 3) || ':' || split_part(idempotency_key, ':', 4) as key,
           symbol, side, quantity::int, type, time_in_force as tif, status, limit_price::text as limit, filled_quantity::int as filled,
           reject_code as reject, status_reason as reason
    from orders where session_id = ${id} order by placed_at, created_at`;

describe("working orders through the session runner", () => {
  let first: Awaited<ReturnType<typeof runRecordOf>>;
  let firstId: string;
  let user: TestUser;

  it("limit fills at a later bar at its limit, a gap fills at the open, reservations hold cash, cancel frees it, the end cancels the rest", async () => {
    user = await createUser(env.sql, "wo");
    const s = await createRun(user);
    firstId = s.id;
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");

    const orders = await ordersOf(s.id);
    expect(orders.map((o) => [o.symbol, o.quantity, o.type, o.tif, o.status, o.limit, o.filled, o.reject, o.reason])).toEqual([
      ["AAA", 10, "limit", "gtc", "filled", "97.000000", 10, null, null],
      ["BBB", 20, "limit", "gtc", "filled", "47.000000", 20, null, null],
      ["AAA", 5, "limit", "gtc", "cancelled", "90.000000", 0, null, "requested"],
      ["AAA", 80, "market", "day", "rejected", null, 0, "INSUFFICIENT_CASH", null],
      ["AAA", 76, "market", "day", "filled", null, 76, null, null],
      ["BBB", 2, "limit", "day", "rejected", null, 0, "INSUFFICIENT_CASH", null],
      ["BBB", 2, "limit", "gtc", "cancelled", "40.000000", 0, null, "session_end"],
    ]);
    const fills = await env.sql<{ symbol: string; q: number; price: string; at: Date; cash: string }[]>`
      select symbol, quantity::int as q, price::text, filled_at as at, cash_after::text as cash from fills where session_id = ${s.id} order by created_at`;
    expect(fills.map((f) => [f.symbol, f.q, f.price, f.at.toISOString(), f.cash])).toEqual([
      ["AAA", 76, "100.000000", T[0]!.toISOString(), "2400.000000"],
      ["AAA", 10, "97.000000", T[1]!.toISOString(), "1430.000000"], // at the limit, in D1 (the open, 100, was above it)
      ["BBB", 20, "45.000000", T[2]!.toISOString(), "530.000000"], // the open of D2, not the limit 47: it gapped through
    ]);
    const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${s.id}`;
    expect(account!.cash).toBe("530.000000");
    const positions = await env.sql<{ symbol: string; q: number }[]>`select symbol, quantity::int as q from positions where session_id = ${s.id} order by symbol`;
    expect(positions.map((p) => [p.symbol, p.q])).toEqual([["AAA", 86], ["BBB", 20]]);

    // The events tell the same story, in order: the working orders' fills at bars 2 and 3, the end's cancel before the status.
    const events = await env.sql<{ type: string; payload: { status?: string; statusReason?: string | null; orderId?: string; price?: string } }[]>`
      select type, payload from session_events where session_id = ${s.id} and type in ('order', 'fill', 'status') order by seq`;
    const story = events.map((e) => (e.type === "order" ? `order:${e.payload.status}${e.payload.statusReason ? `:${e.payload.statusReason}` : ""}` : e.type === "fill" ? `fill:${e.payload.price}` : `status:${e.payload.status}`));
    expect(story).toEqual([
      "status:pending",
      "status:running",
      "order:accepted", "order:accepted", "order:accepted", "order:rejected", "order:filled", "fill:100.000000",
      "order:cancelled:requested", "order:rejected", "order:accepted",
      "order:filled", "fill:97.000000",
      "order:filled", "fill:45.000000",
      "order:cancelled:session_end",
      "status:completed",
    ]);
    first = await runRecordOf(env.sql, s.id);
  });

  it("a runner that loads the book at every bar (crash, pause, a new job) keeps the working orders: the same run", async () => {
    const other = await createUser(env.sql, "wo-resume");
    const s = await createRun(other);
    let outcome = "";
    for (let job = 1; job < 20 && outcome !== "completed"; job++) outcome = await runSessionJob(s.id, `job-${job}:0`, { ...deps, sliceMs: 0 });
    expect(outcome).toBe("completed");
    const again = await runRecordOf(env.sql, s.id);
    expect(again.orders).toEqual(first.orders);
    expect(again.fills).toEqual(first.fills);
    expect(again.equity).toEqual(first.equity);
    expect(again.events).toEqual(first.events);
  });

  it("a session cancelled by its user cancels its working orders too, each with its event", async () => {
    const owner = await createUser(env.sql, "wo-cancel");
    const s = await createRun(owner);
    expect(await runSessionJob(s.id, "job-1:0", { ...deps, sliceMs: 0 })).toBe("yielded"); // bar 0 only: three orders working
    await controlSession(owner.ctx, s.id, "cancel", { db: env.db, jobs: jobs.jobs });
    const orders = await ordersOf(s.id);
    expect(orders.filter((o) => o.type === "limit").map((o) => [o.status, o.reason])).toEqual([
      ["cancelled", "session_end"],
      ["cancelled", "session_end"],
      ["cancelled", "session_end"],
    ]);
    const events = await env.sql<{ type: string; status: string }[]>`
      select type, payload->>'status' as status from session_events where session_id = ${s.id} order by seq desc limit 4`;
    expect(events.map((e) => `${e.type}:${e.status}`)).toEqual(["status:cancelled", "order:cancelled", "order:cancelled", "order:cancelled"]);
  });

  it("cancel_order refuses another user's order id, as an unknown one, and changes nothing", async () => {
    const [foreign] = await env.sql<{ id: string }[]>`select id from orders where session_id = ${firstId} and status = 'cancelled' limit 1`;
    const stranger = await createUser(env.sql, "wo-stranger");
    const f = await createAgentFixture(env.db, env.sql, stranger, { startingCash: "10000", settings: FREE });
    const ctx = await contextOf(env.db, f, T[1]!, ["AAA", "BBB"]);
    const tools = createTradingTools(ctx);
    const cancel = tools.cancel_order.execute as unknown as (input: unknown, o: { toolCallId: string; messages: []; context: undefined }) => Promise<unknown>;
    const before = await env.sql`select id, status, updated_at from orders where session_id = ${firstId} order by id`;
    const refused = await cancel({ orderId: foreign!.id }, { toolCallId: "c1", messages: [], context: undefined }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ToolError);
    expect((refused as ToolError).message).toMatch(/^UNKNOWN_ORDER: no working order/);
    expect(await env.sql`select id, status, updated_at from orders where session_id = ${firstId} order by id`).toEqual(before);
    expect(ctx.book.pending.orders).toEqual([]);
  });
});

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
    const [decision] = await env.sql<{ tool_calls: { name: string; output: { orders: Record<string, unknown>[] } }[] }[]>`
      select tool_calls from decisions where session_id = ${s.id} and clock = ${T[1]!}`;
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
    let outcome = "";
    for (let job = 1; job < 20 && outcome !== "completed"; job++) outcome = await runSessionJob(s.id, `job-${job}:0`, { ...deps, sliceMs: 0 });
    expect(outcome).toBe("completed");
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
