import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolOutputSchemas } from "@/lib/agent/tool-contract";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { createTradingTools, ToolError } from "@/lib/trading/tools";
import { uuidFrom } from "@/lib/trading/ids";
import { contextOf, createAgentFixture, writeDecision, decideAt } from "@/tests/support/agent-fixtures";
import { scriptedModel, text, toolCall } from "@/tests/support/scripted-model";
import { createUser, type TestUser } from "@/tests/support/database";
import { runRecordOf } from "@/tests/support/session-fixtures";
import { createPlannedSession, runBarByBar, FREE, T, type Plan, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * replace_order, close_position, reduce_position and close_all_positions through the session runner (issue #22 item 5),
 * on the made-up day bars of tests/support/working-order-sessions.ts, free trading, $10,000, numbers worked out by hand:
 *
 *   AAA  D0 o100 h101 l99 c100 · D1 o100 h102 l96 c97 · D2… o98 h99 l97 c98
 *   BBB  D0 o50 h51 l49 c50    · D1 o50 h51 l48 c49   · D2… o45 h46 l44 c45
 *   CCC  D0 o100 h101 l99 c100 · D1 o100 h103 l99 c102 · D2 o102 h111 l101 c110 · then o110 h111 l109 c110
 */
let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("replace_close")), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const ref = (bar: number, i: number) => `${T[bar]!.toISOString()}-${i}`;
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

/** The session's orders, oldest first, with the links between them as the calls that placed them (`<bar>-<index>`). */
async function ordersOf(sessionId: string) {
  const rows = await env.sql<{ id: string; key: string; symbol: string; side: string; quantity: number; type: string; status: string; limit: string | null; stop: string | null; filled: number; reject: string | null; reason: string | null; replaces: string | null; replacedBy: string | null; leg: string }[]>`
    select id::text, substr(idempotency_key, 38) as key,
           symbol, side, quantity::int, type, status, limit_price::text as limit, stop_price::text as stop, filled_quantity::int as filled,
           reject_code as reject, status_reason as reason, replaces_order_id::text as replaces, replaced_by_order_id::text as "replacedBy", leg
    from orders where session_id = ${sessionId} order by created_at, id`;
  // A key is `<session>:<bar time>-<call index>`, a leg's or a close_all's with `:tp`, `:sl` or `:<symbol>`: shown as `<bar>-<index>…`.
  const short = (key: string) => key.replace(/^(\d{4}-\d\d-\d\dT[\d:.]+Z)-/, (_, t: string) => `${T.findIndex((d) => d.toISOString() === t)}-`);
  const keyOf = new Map(rows.map((r) => [r.id, short(r.key)]));
  return rows.map((r) => ({ ...r, key: short(r.key), replaces: r.replaces && keyOf.get(r.replaces), replacedBy: r.replacedBy && keyOf.get(r.replacedBy) }));
}

const fillsOf = (sessionId: string) =>
  env.sql<{ symbol: string; side: string; q: number; price: string; cash: string }[]>`
    select symbol, side, quantity::int as q, price::text, cash_after::text as cash from fills where session_id = ${sessionId} order by created_at`;

/** Each `order` event's status (and reason), each fill's price, in the order the session recorded them. */
const storyOf = async (sessionId: string) =>
  (
    await env.sql<{ type: string; payload: { status?: string; statusReason?: string | null; price?: string; replacesId?: string | null } }[]>`
      select type, payload from session_events where session_id = ${sessionId} and type in ('order', 'fill') order by seq`
  ).map((e) => (e.type === "order" ? `${e.payload.status}${e.payload.statusReason ? `:${e.payload.statusReason}` : ""}${e.payload.replacesId ? "+link" : ""}` : `fill:${e.payload.price}`));

/** What the model was shown for each tool call of a bar's decision. */
async function toolResultsAt(sessionId: string, bar: number) {
  const [d] = await env.sql<{ calls: { name: string; ok: boolean; output?: unknown; error?: string; orderId?: string | null; orderStatus?: string }[] }[]>`
    select tool_calls as calls from decisions where session_id = ${sessionId} and clock = ${T[bar]!}`;
  return d!.calls;
}

/*
 * bar 0: R buy 10 AAA limit 95 gtc (holds $950); a market buy of 90 AAA at 100 ($9,000): cash $1,000, $50 free.
 * bar 1 (D0's low 99 met nothing): replace R with 11 @ 97 ($1,067: more than the $1,000 cash even with R's $950
 *   released) is a rejected order and R keeps working; replace R with a stopPrice (a limit takes none), replace an id
 *   that never existed: tool errors, nothing written; replace R with 10 @ 97 ($970: possible only because R's $950 is
 *   released; $50 free otherwise) → R ends replaced, R' takes its place.
 * bar 2: R' fills at 97 in D1 (low 96; the open 100 was above it). Replacing R' (filled) or R (replaced) now: ORDER_ENDED.
 * Cash 10,000 − 9,000 − 970 = 30. AAA 100.
 */
const REPLACE_PLAN: Plan = [
  [0, [["place_order", { symbol: "AAA", side: "buy", quantity: 10, type: "limit", limitPrice: 95, timeInForce: "gtc" }], ["buy", { symbol: "AAA", quantity: 90 }]]],
  [1, [
    ["replace_order", { ref: ref(0, 0), quantity: 11, limitPrice: 97 }],
    ["replace_order", { ref: ref(0, 0), stopPrice: 90 }],
    ["replace_order", { orderId: UNKNOWN, limitPrice: 96 }],
    ["replace_order", { ref: ref(0, 0), limitPrice: 97 }],
  ]],
  [2, [["replace_order", { ref: ref(1, 3), limitPrice: 96 }], ["replace_order", { ref: ref(0, 0), limitPrice: 96 }], ["get_orders", { status: "all" }]]],
];

describe("replace_order through the session runner", () => {
  let first: Awaited<ReturnType<typeof runRecordOf>>;
  let firstOrders: Awaited<ReturnType<typeof ordersOf>>;

  it("moves a working limit, which then fills at its new price; the old order ends replaced, linked both ways; refusals write only the rejected order", async () => {
    const user = await createUser(env.sql, "replace");
    const s = await createPlannedSession(env, jobs.jobs, user, REPLACE_PLAN, ["AAA"]);
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");

    const orders = await ordersOf(s.id);
    expect(orders.map((o) => [o.key, o.quantity, o.type, o.status, o.limit, o.filled, o.reject, o.reason, o.replaces, o.replacedBy])).toEqual([
      ["0-0", 10, "limit", "replaced", "95.000000", 0, null, "requested", null, "1-3"],
      ["0-1", 90, "market", "filled", null, 90, null, null, null, null],
      ["1-0", 11, "limit", "rejected", "97.000000", 0, "INSUFFICIENT_CASH", null, "0-0", null], // what was asked, and what it tried to replace
      ["1-3", 10, "limit", "filled", "97.000000", 10, null, null, "0-0", null],
    ]);
    expect((await fillsOf(s.id)).map((f) => [f.symbol, f.q, f.price, f.cash])).toEqual([
      ["AAA", 90, "100.000000", "1000.000000"],
      ["AAA", 10, "97.000000", "30.000000"], // at the new limit, in D1 (its low 96 reached it)
    ]);
    expect(await env.sql`select cash::text from accounts where session_id = ${s.id}`).toEqual([{ cash: "30.000000" }]);
    // The events: bar 0's order and fill; bar 1 the replaced order (moved), the rejected replacement, the new order; bar 2 its fill.
    expect(await storyOf(s.id)).toEqual(["accepted", "filled", "fill:100.000000", "replaced:requested", "rejected+link", "accepted+link", "filled+link", "fill:97.000000"]);

    const bar1 = await toolResultsAt(s.id, 1);
    expect(bar1.map((c) => [c.name, c.ok])).toEqual([["replace_order", true], ["replace_order", false], ["replace_order", false], ["replace_order", true]]);
    const rejected = toolOutputSchemas.replace_order.parse(bar1[0]!.output);
    expect(rejected).toMatchObject({ status: "rejected", rejectCode: "INSUFFICIENT_CASH", replaced: [], duplicate: false });
    expect(rejected.message).toMatch(/^The replacement was rejected \(INSUFFICIENT_CASH\): buy 11 AAA reserves \$1,067\.00; cash \$1,000\.00 less \$0\.00 held by open orders leaves \$1,000\.00; .* keeps working unchanged\.$/);
    expect(bar1[1]!.error).toMatch(/^INVALID_REPLACE: order \S+ is a limit order: it takes no stopPrice\. replace_order keeps an order's type/);
    expect(bar1[2]!.error).toBe(`UNKNOWN_ORDER: no working order ${UNKNOWN} in this session: it never existed here; get_orders shows the working ones`);
    const done = toolOutputSchemas.replace_order.parse(bar1[3]!.output);
    expect(done).toMatchObject({ status: "accepted", limitPrice: "97.00", quantity: 10, replacesOrderId: orders[0]!.id, replaced: [{ orderId: orders[0]!.id, status: "replaced", replacedByOrderId: orders[3]!.id, reason: "requested" }] });
    expect(done.message).toMatch(new RegExp(`^Replaced order ${orders[0]!.id} with order ${orders[3]!.id}\\. Working: buy 10 AAA limit, accepted`));

    const bar2 = await toolResultsAt(s.id, 2);
    // get_orders reads the stored orders with their links.
    const listed = toolOutputSchemas.get_orders.parse(bar2[2]!.output).orders;
    expect(listed.map((o) => [o.orderId, o.status, o.replacesOrderId ?? null, o.replacedByOrderId ?? null])).toEqual([
      [orders[0]!.id, "replaced", null, orders[3]!.id],
      [orders[1]!.id, "filled", null, null],
      [orders[2]!.id, "rejected", orders[0]!.id, null],
      [orders[3]!.id, "filled", orders[0]!.id, null],
    ]);
    expect(bar2.slice(0, 2).map((c) => c.error)).toEqual([
      `ORDER_ENDED: order ${orders[3]!.id} is filled: it has ended and cannot be replaced; place a new order instead (get_orders shows the working ones)`,
      `ORDER_ENDED: order ${orders[0]!.id} is replaced: it has ended and cannot be replaced; place a new order instead (get_orders shows the working ones)`,
    ]);
    first = await runRecordOf(env.sql, s.id);
    firstOrders = orders;
  });

  it("a bar run again (a new runner and a fresh book at every bar) writes the same rows and links", async () => {
    const user = await createUser(env.sql, "replace-resume");
    const s = await createPlannedSession(env, jobs.jobs, user, REPLACE_PLAN, ["AAA"]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const again = await runRecordOf(env.sql, s.id);
    expect(again.orders).toEqual(first.orders);
    expect(again.fills).toEqual(first.fills);
    expect(again.equity).toEqual(first.equity);
    expect(again.events).toEqual(first.events);
    // Ids derive from the session, so they differ between the two sessions; everything else, the links included, is the same.
    const strip = (os: typeof firstOrders) => os.map((o) => ({ ...o, id: undefined }));
    expect(strip(await ordersOf(s.id))).toEqual(strip(firstOrders));
  });
});

/*
 * Shorting allowed. bar 0 (opens AAA 100, BBB 50, CCC 100): buy 20 AAA, buy 40 BBB, short 10 CCC (cash 7,000); AAA sell
 *   stop 90 × 15 and sell limit 120 × 5 (all 20 AAA promised), an oco on BBB (take-profit 60, stop-loss 40, × 40), and an
 *   AAA buy limit 80 × 5 (an entry).
 * bar 1 (opens 100, 50, 100; D0 met nothing): reduce AAA 25 % = 5 shares: the newest exit holding AAA (the limit × 5) is
 *   cancelled, 5 sold at 100. reduce BBB 10 % = 4: the oco holds all 40, so both its legs are cancelled, 4 sold at 50.
 *   close CCC: cover 10 at 100. Refused, nothing written: close DDD (none held), reduce AAA 1 % (0.15 share), reduce 0 %.
 *   Cash 7,000 + 500 + 200 − 1,000 = 6,700.
 * bar 2 (opens 98, 45, 102): close_all: the AAA stop is cancelled and 15 sold at 98, 36 BBB sold at 45: cash 9,790. A second
 *   close_all: nothing held, nothing done. The AAA buy limit 80 stays working and ends with the session (session_end).
 */
const SHORTS = { ...FREE, allowShort: true, borrowRateBps: 0 };
const CLOSE_PLAN: Plan = [
  [0, [
    ["buy", { symbol: "AAA", quantity: 20 }],
    ["buy", { symbol: "BBB", quantity: 40 }],
    ["short", { symbol: "CCC", quantity: 10 }],
    ["place_order", { symbol: "AAA", side: "sell", quantity: 15, type: "stop", stopPrice: 90, timeInForce: "gtc" }],
    ["place_order", { symbol: "AAA", side: "sell", quantity: 5, type: "limit", limitPrice: 120, timeInForce: "gtc" }],
    ["place_order", { symbol: "BBB", side: "sell", quantity: 40, type: "limit", limitPrice: 60, orderClass: "oco", takeProfit: { limitPrice: 60 }, stopLoss: { stopPrice: 40 }, timeInForce: "gtc" }],
    ["place_order", { symbol: "AAA", side: "buy", quantity: 5, type: "limit", limitPrice: 80, timeInForce: "gtc" }],
  ]],
  [1, [
    ["reduce_position", { symbol: "AAA", percent: 25 }],
    ["reduce_position", { symbol: "BBB", percent: 10 }],
    ["close_position", { symbol: "CCC" }],
    ["close_position", { symbol: "DDD" }],
    ["reduce_position", { symbol: "AAA", percent: 1 }],
    ["reduce_position", { symbol: "AAA", percent: 0 }],
  ]],
  [2, [["close_all_positions", {}], ["close_all_positions", {}]]],
];

describe("close_position, reduce_position and close_all_positions through the session runner", () => {
  let first: Awaited<ReturnType<typeof runRecordOf>>;

  it("market orders at the open that first cancel the exits holding the shares they need; entries stay; refusals write nothing", async () => {
    const user = await createUser(env.sql, "close");
    const s = await createPlannedSession(env, jobs.jobs, user, CLOSE_PLAN, ["AAA", "BBB", "CCC", "DDD"], SHORTS);
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");

    const orders = await ordersOf(s.id);
    expect(orders.map((o) => [o.key, o.symbol, o.side, o.quantity, o.type, o.leg, o.status, o.filled, o.reason])).toEqual([
      ["0-0", "AAA", "buy", 20, "market", "entry", "filled", 20, null],
      ["0-1", "BBB", "buy", 40, "market", "entry", "filled", 40, null],
      ["0-2", "CCC", "sell_short", 10, "market", "entry", "filled", 10, null],
      ["0-3", "AAA", "sell", 15, "stop", "entry", "cancelled", 0, "requested"], // by close_all at bar 2
      ["0-4", "AAA", "sell", 5, "limit", "entry", "cancelled", 0, "requested"], // by the reduce at bar 1
      ["0-5", "BBB", "sell", 40, "limit", "take_profit", "cancelled", 0, "requested"],
      ["0-5:sl", "BBB", "sell", 40, "stop", "stop_loss", "cancelled", 0, "requested"],
      ["0-6", "AAA", "buy", 5, "limit", "entry", "cancelled", 0, "session_end"],
      ["1-0", "AAA", "sell", 5, "market", "entry", "filled", 5, null],
      ["1-1", "BBB", "sell", 4, "market", "entry", "filled", 4, null],
      ["1-2", "CCC", "buy_to_cover", 10, "market", "entry", "filled", 10, null],
      ["2-0:AAA", "AAA", "sell", 15, "market", "entry", "filled", 15, null],
      ["2-0:BBB", "BBB", "sell", 36, "market", "entry", "filled", 36, null],
    ]);
    expect((await fillsOf(s.id)).slice(3).map((f) => [f.symbol, f.side, f.q, f.price, f.cash])).toEqual([
      ["AAA", "sell", 5, "100.000000", "7500.000000"],
      ["BBB", "sell", 4, "50.000000", "7700.000000"],
      ["CCC", "buy_to_cover", 10, "100.000000", "6700.000000"],
      ["AAA", "sell", 15, "98.000000", "8170.000000"],
      ["BBB", "sell", 36, "45.000000", "9790.000000"],
    ]);
    expect(await env.sql`select cash::text from accounts where session_id = ${s.id}`).toEqual([{ cash: "9790.000000" }]);
    expect(await env.sql`select symbol, quantity::int from positions where session_id = ${s.id} and quantity <> 0`).toEqual([]);

    const bar1 = await toolResultsAt(s.id, 1);
    const reduceAaa = toolOutputSchemas.reduce_position.parse(bar1[0]!.output);
    expect(reduceAaa).toMatchObject({ symbol: "AAA", held: 20, quantity: 5, order: { status: "filled", side: "sell", quantity: 5 }, cancelled: [{ orderId: orders[4]!.id, status: "cancelled" }] });
    expect(reduceAaa.message).toBe(`Sold 5 of 20 AAA long at $100.00 (fee $0.00); cash after: $7,500.00. Cancelled first 1 working order that held its shares: ${orders[4]!.id} (sell 5 limit).`);
    // The decision's record names each close's order, as it names a trade's.
    expect(bar1.slice(0, 3).map((c) => [c.orderId, c.orderStatus])).toEqual([8, 9, 10].map((k) => [orders[k]!.id, "filled"]));
    const reduceBbb = toolOutputSchemas.reduce_position.parse(bar1[1]!.output);
    expect(reduceBbb.cancelled.map((o) => o.orderId)).toEqual([orders[6]!.id, orders[5]!.id]); // newest first: the oco's stop-loss, then its take-profit
    expect(toolOutputSchemas.close_position.parse(bar1[2]!.output).message).toBe("Bought to cover 10 of 10 CCC short, the whole position, at $100.00 (fee $0.00); cash after: $6,700.00.");
    expect(bar1.slice(3).map((c) => c.error)).toEqual([
      "NO_POSITION: you hold no DDD, so there is nothing to close (open positions: AAA 15, BBB 36); nothing was done",
      "QUANTITY_ROUNDS_TO_ZERO: 1% of 15 AAA is 0.15 shares, which rounds down to 0 (whole shares only); ask for at least 6.67% or close_position it all; nothing was done",
      // The AI SDK checks arguments against the contract's schema before the tool runs: the model reads the schema's words.
      expect.stringMatching(/Invalid input for tool reduce_position[\s\S]*percent must be above 0/),
    ]);
    const bar2 = await toolResultsAt(s.id, 2);
    const all = toolOutputSchemas.close_all_positions.parse(bar2[0]!.output);
    expect(all.positions.map((p) => [p.symbol, p.quantity, p.order.status, p.cancelled.length])).toEqual([["AAA", 15, "filled", 1], ["BBB", 36, "filled", 0]]);
    expect(toolOutputSchemas.close_all_positions.parse(bar2[1]!.output)).toEqual({ positions: [], duplicate: false, message: "You hold no positions; nothing was done." });
    first = await runRecordOf(env.sql, s.id);
  });

  it("a bar run again (a new runner and a fresh book at every bar) writes the same rows", async () => {
    const user = await createUser(env.sql, "close-resume");
    const s = await createPlannedSession(env, jobs.jobs, user, CLOSE_PLAN, ["AAA", "BBB", "CCC", "DDD"], SHORTS);
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const again = await runRecordOf(env.sql, s.id);
    expect(again.orders).toEqual(first.orders);
    expect(again.fills).toEqual(first.fills);
    expect(again.equity).toEqual(first.equity);
    expect(again.events).toEqual(first.events);
  });
});

describe("the tools called directly on a context: one tool-call id acts once; another user's order id is unknown", () => {
  let stranger: TestUser;

  it("replace_order and close_position answer a repeated call id with the first result and change nothing more", async () => {
    stranger = await createUser(env.sql, "direct");
    const f = await createAgentFixture(env.db, env.sql, stranger, { startingCash: "10000", settings: FREE });
    const ctx = await contextOf(env.db, f, T[1]!, ["AAA", "BBB"]);
    const tools = createTradingTools(ctx);
    const run = (name: keyof typeof tools, input: unknown, id: string) =>
      (tools[name].execute as unknown as (i: unknown, o: { toolCallId: string; messages: []; context: undefined }) => Promise<Record<string, unknown>>)(input, { toolCallId: id, messages: [], context: undefined });
    const placed = await run("place_order", { symbol: "AAA", side: "buy", quantity: 10, type: "limit", limitPrice: 95, timeInForce: "gtc" }, "p1");
    const once = await run("replace_order", { orderId: placed.orderId, limitPrice: 96 }, "r1");
    const twice = await run("replace_order", { orderId: placed.orderId, limitPrice: 99 }, "r1");
    expect(twice).toMatchObject({ orderId: once.orderId, limitPrice: "96.00", duplicate: true });
    expect(ctx.book.pending.orders.map((o) => o.status)).toEqual(["replaced", "accepted"]);

    await run("buy", { symbol: "BBB", quantity: 10 }, "b1");
    const closed = await run("close_position", { symbol: "BBB" }, "c1");
    const again = await run("close_position", { symbol: "BBB" }, "c1");
    expect(again).toMatchObject({ duplicate: true, order: { orderId: (closed.order as { orderId: string }).orderId } });
    expect(ctx.book.pending.fills.map((f) => [f.symbol, f.side, f.quantity])).toEqual([["BBB", "buy", 10], ["BBB", "sell", 10]]);

    // Written, then asked again by a runner whose book was loaded after: the stored order answers, as placed (a limit).
    const decision = { id: ctx.decisionId, modelId: ctx.modelId, sessionId: ctx.sessionId, clock: T[1]!, interval: "day", llm: "test", outcome: "traded", filledOrders: 2, instructions: "", prompt: "", steps: 1, latencyMs: 1 };
    await writeDecision(env.db, ctx, { decision } as unknown as Parameters<typeof writeDecision>[2], T[1]!);
    const later = await contextOf(env.db, f, T[1]!, ["AAA", "BBB"]);
    const stored = await (createTradingTools(later).place_order.execute as unknown as (i: unknown, o: { toolCallId: string; messages: []; context: undefined }) => Promise<Record<string, unknown>>)(
      { symbol: "AAA", side: "buy", quantity: 10, type: "limit", limitPrice: 95, timeInForce: "gtc" },
      { toolCallId: "p1", messages: [], context: undefined },
    );
    expect(stored).toMatchObject({ orderId: placed.orderId, type: "limit", duplicate: true });
    expect(later.book.pending.orders).toEqual([]);
  });

  it("an order placed and replaced in one decision is written already replaced, linked to the new one in the same statement", async () => {
    const user = await createUser(env.sql, "direct-one-bar");
    const f = await createAgentFixture(env.db, env.sql, user, { startingCash: "10000", settings: FREE });
    const placedId = uuidFrom(`order:${f.sessionId}:${f.sessionId}:p`);
    const languageModel = scriptedModel([
      [toolCall("place_order", { symbol: "AAA", side: "buy", quantity: 10, type: "limit", limitPrice: 95, timeInForce: "gtc" }, "p")],
      [toolCall("replace_order", { orderId: placedId, limitPrice: 96 }, "r")],
      [text("Moved my bid.")],
    ]);
    await decideAt(env.db, f, { at: T[1]!, universe: ["AAA"], languageModel });
    const rows = await env.sql<{ id: string; status: string; limit: string; replaces: string | null; replacedBy: string | null }[]>`
      select id::text, status, limit_price::text as limit, replaces_order_id::text as replaces, replaced_by_order_id::text as "replacedBy"
      from orders where session_id = ${f.sessionId} order by created_at`;
    const newId = uuidFrom(`order:${f.sessionId}:${f.sessionId}:r`);
    expect(rows).toEqual([
      { id: placedId, status: "replaced", limit: "95.000000", replaces: null, replacedBy: newId },
      { id: newId, status: "accepted", limit: "96.000000", replaces: placedId, replacedBy: null },
    ]);
    // The database holds the link rule too: a replaced order names what replaced it, and an ended order does not change.
    await expect(env.sql`update orders set status = 'replaced' where id = ${newId}`).rejects.toThrow(/orders_replaced_has_link/);
    await expect(env.sql`update orders set replaced_by_order_id = null where id = ${placedId}`).rejects.toThrow(/an ended order does not change/);
  });

  it("replace_order refuses another user's working order id, as an unknown one, and changes nothing", async () => {
    const owner = await createUser(env.sql, "direct-owner");
    const s = await createPlannedSession(env, jobs.jobs, owner, [[0, [["place_order", { symbol: "AAA", side: "buy", quantity: 1, type: "limit", limitPrice: 90, timeInForce: "gtc" }]]]], ["AAA"]);
    expect(await runSessionJob(s.id, "job-1:0", { ...deps, sliceMs: 0 })).toBe("yielded"); // bar 0 only: its order works
    const [foreign] = await env.sql<{ id: string }[]>`select id::text from orders where session_id = ${s.id} and status = 'accepted'`;
    const f = await createAgentFixture(env.db, env.sql, stranger, { startingCash: "10000", settings: FREE });
    const ctx = await contextOf(env.db, f, T[1]!, ["AAA"]);
    const before = await env.sql`select id, status, updated_at from orders where session_id = ${s.id}`;
    const replace = createTradingTools(ctx).replace_order.execute as unknown as (i: unknown, o: { toolCallId: string; messages: []; context: undefined }) => Promise<unknown>;
    const refused = await replace({ orderId: foreign!.id, limitPrice: 91 }, { toolCallId: "x1", messages: [], context: undefined }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ToolError);
    expect((refused as ToolError).message).toBe(`UNKNOWN_ORDER: no working order ${foreign!.id} in this session: it never existed here; get_orders shows the working ones`);
    expect(await env.sql`select id, status, updated_at from orders where session_id = ${s.id}`).toEqual(before);
    expect(ctx.book.pending.orders).toEqual([]);
  });
});

/*
 * A bracket on CCC. bar 0: buy 10 limit 98 gtc (D0's low 99 never reaches it), take-profit 108, stop-loss 95.
 * bar 1: replace the entry with 8 @ 99.5: the entry and its two waiting legs end replaced (the legs: parent_replaced),
 *   a new entry with new legs for 8 shares takes their place. D1's low 99 fills it at 99.5 (the open 100 was above).
 * bar 2 (opens 102): replace the take-profit, now active, with 110: a new leg, paired with the stop-loss. D2's high 111
 *   fills it at 110; the stop-loss is cancelled (oco). Moving the stop-loss to 105, above the open 102, is refused: a
 *   rejected order linked to it, which keeps working. Cash 10,000 − 796 + 880 = 10,084.
 */
const BRACKET_PLAN: Plan = [
  [0, [["place_order", { symbol: "CCC", side: "buy", quantity: 10, type: "limit", limitPrice: 98, timeInForce: "gtc", orderClass: "bracket", takeProfit: { limitPrice: 108 }, stopLoss: { stopPrice: 95 } }]]],
  [1, [["replace_order", { ref: ref(0, 0), quantity: 8, limitPrice: 99.5 }]]],
  [2, [["replace_order", { ref: `${ref(1, 0)}:tp`, limitPrice: 110 }], ["replace_order", { ref: `${ref(1, 0)}:sl`, stopPrice: 105 }]]],
];

describe("replace_order on a bracket through the session runner", () => {
  let first: Awaited<ReturnType<typeof runRecordOf>>;

  it("a waiting entry carries its legs; an active leg moves alone, keeps its pair, and fills at its new price", async () => {
    const user = await createUser(env.sql, "replace-bracket");
    const s = await createPlannedSession(env, jobs.jobs, user, BRACKET_PLAN, ["CCC"]);
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");
    const orders = await ordersOf(s.id);
    const parents = new Map((await env.sql<{ id: string; parent: string | null; oco: string | null }[]>`
      select id::text, parent_order_id::text as parent, oco_order_id::text as oco from orders where session_id = ${s.id}`).map((r) => [r.id, r]));
    const keyOf = new Map(orders.map((o) => [o.id, o.key]));
    expect(orders.map((o) => [o.key, o.leg, o.quantity, o.type, o.limit ?? o.stop, o.status, o.reason, o.replaces, o.replacedBy, keyOf.get(parents.get(o.id)!.parent ?? "") ?? null])).toEqual([
      ["0-0", "entry", 10, "limit", "98.000000", "replaced", "requested", null, "1-0", null],
      ["0-0:tp", "take_profit", 10, "limit", "108.000000", "replaced", "parent_replaced", null, "1-0:tp", "0-0"],
      ["0-0:sl", "stop_loss", 10, "stop", "95.000000", "replaced", "parent_replaced", null, "1-0:sl", "0-0"],
      ["1-0", "entry", 8, "limit", "99.500000", "filled", null, "0-0", null, null],
      ["1-0:tp", "take_profit", 8, "limit", "108.000000", "replaced", "requested", "0-0:tp", "2-0", "1-0"],
      ["1-0:sl", "stop_loss", 8, "stop", "95.000000", "cancelled", "oco", "0-0:sl", null, "1-0"],
      ["2-0", "take_profit", 8, "limit", "110.000000", "filled", null, "1-0:tp", null, "1-0"],
      ["2-1", "stop_loss", 8, "stop", "105.000000", "rejected", null, "1-0:sl", null, "1-0"],
    ]);
    expect(orders[7]!.reject).toBe("INVALID_ORDER_PRICE");
    expect((await toolResultsAt(s.id, 2))[1]!.output).toMatchObject({
      status: "rejected",
      message: expect.stringMatching(/^The replacement was rejected \(INVALID_ORDER_PRICE\): this bracket's stopLoss\.stopPrice \$105\.00 must be below the last price \$102\.00, or it stops out at once/),
    });
    expect(parents.get(orders[7]!.id)!.oco).toBeNull();
    // The stop-loss was paired with the new take-profit when it replaced the old one.
    expect(keyOf.get(parents.get(orders[5]!.id)!.oco ?? "")).toBe("2-0");
    expect((await fillsOf(s.id)).map((f) => [f.side, f.q, f.price, f.cash])).toEqual([
      ["buy", 8, "99.500000", "9204.000000"],
      ["sell", 8, "110.000000", "10084.000000"],
    ]);
    first = await runRecordOf(env.sql, s.id);
  });

  it("a bar run again writes the same rows", async () => {
    const user = await createUser(env.sql, "replace-bracket-resume");
    const s = await createPlannedSession(env, jobs.jobs, user, BRACKET_PLAN, ["CCC"]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const again = await runRecordOf(env.sql, s.id);
    expect([again.orders, again.fills, again.equity, again.events]).toEqual([first.orders, first.fills, first.equity, first.events]);
  });
});
