import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser, type TestUser } from "@/tests/support/database";
import { controlSession } from "@/lib/services/sessions/control";
import { createTradingTools, ToolError } from "@/lib/trading/tools";
import { contextOf, createAgentFixture } from "@/tests/support/agent-fixtures";
import { runRecordOf } from "@/tests/support/session-fixtures";
import { createPlannedSession, runBarByBar, FREE, scriptedDecide, T, type Plan, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * Working orders through the session runner (issue #22), on bars made for it and numbers worked out by hand.
 * Free trading (no fees, no slippage), $10,000. Day bars D0…D5 (tests/support/working-order-sessions.ts):
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
const limit = (symbol: string, quantity: number, limitPrice: number) => ["place_order", { symbol, side: "buy", quantity, type: "limit", limitPrice, timeInForce: "gtc" }] as const;
const PLAN: Plan = [
  [0, [limit("AAA", 10, 97), limit("BBB", 20, 47), limit("AAA", 5, 90), ["buy", { symbol: "AAA", quantity: 80 }], ["buy", { symbol: "AAA", quantity: 76 }]]],
  [1, [limit("BBB", 2, 40), ["cancel_order", { ref: `${T[0]!.toISOString()}-2` }], limit("BBB", 2, 40)]],
];

let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("working_orders")), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const createRun = (user: TestUser, plan: Plan = PLAN, symbols = ["AAA", "BBB"]) => createPlannedSession(env, jobs.jobs, user, plan, symbols);

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
      ["BBB", 2, "limit", "gtc", "rejected", "40.000000", 0, "INSUFFICIENT_CASH", null], // what was asked stays on the row
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
    // The model deciding at bar 1 was told what its orders hold back.
    const [bar1] = await env.sql<{ prompt: string }[]>`select prompt from decisions where session_id = ${s.id} and clock = ${T[1]!}`;
    expect(bar1!.prompt).toContain("Cash held by working orders: $2,360.00 (free: $40.00)");
    first = await runRecordOf(env.sql, s.id);
  });

  it("a runner that loads the book at every bar (crash, pause, a new job) keeps the working orders: the same run", async () => {
    const other = await createUser(env.sql, "wo-resume");
    const s = await createRun(other);
    expect(await runBarByBar(deps, s.id)).toBe("completed");
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

  it("a session that fails cancels its working orders in the same transaction, each with its event, before the failed status", async () => {
    const owner = await createUser(env.sql, "wo-fail");
    const s = await createRun(owner);
    // Bar 0 runs the plan (three limit orders working); the decision at bar 1 halts: the session fails there, unwritten.
    const failing: RunnerDeps = {
      ...deps,
      decide: async (ctx, options) => {
        if (ctx.clock.now().getTime() === T[1]!.getTime()) throw new AppError("halt", "TEST_HALT", "the model broke at bar 1");
        return scriptedDecide(ctx, options);
      },
    };
    expect(await runSessionJob(s.id, "job-1:0", failing)).toBe("failed");
    const [session] = await env.sql<{ status: string; error_code: string }[]>`select status, error_code from trading_sessions where id = ${s.id}`;
    expect(session).toEqual({ status: "failed", error_code: "TEST_HALT" });
    const orders = await ordersOf(s.id);
    expect(orders.filter((o) => o.type === "limit").map((o) => [o.limit, o.status, o.reason])).toEqual([
      ["97.000000", "cancelled", "session_end"],
      ["47.000000", "cancelled", "session_end"],
      ["90.000000", "cancelled", "session_end"],
    ]);
    const events = await env.sql<{ type: string; status: string; reason: string | null }[]>`
      select type, payload->>'status' as status, payload->>'statusReason' as reason from session_events where session_id = ${s.id} order by seq desc limit 4`;
    expect(events.map((e) => `${e.type}:${e.status}${e.reason ? `:${e.reason}` : ""}`)).toEqual(["status:failed", "order:cancelled:session_end", "order:cancelled:session_end", "order:cancelled:session_end"]);
    // Nothing is held back any more: no order of the session is still working.
    expect(await env.sql`select id from orders where session_id = ${s.id} and status in ('held', 'accepted', 'triggered', 'partially_filled')`).toEqual([]);
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
