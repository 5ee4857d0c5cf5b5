import { sql as q } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCore, withUser } from "@/lib/db/rls";
import { AppError } from "@/lib/errors";
import { controlSession } from "@/lib/services/sessions/control";
import { cancelOrderByUser } from "@/lib/services/sessions/cancel-order";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import type { DecideFn } from "@/lib/trading/run-bar";
import { createUser, dbError, type TestUser } from "@/tests/support/database";
import { createPlannedSession, scriptedDecide, T, type Plan, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * A person cancels a working order (docs/trading.md, "A person cancels a working order"), through the service the
 * route calls and the real session runner, on the bars of tests/support/working-order-sessions.ts:
 *
 *   AAA  D0 o100 h101 l99 c100 · D1 o100 h102 l96 c97 · D2… o98 h99 l97 c98
 *   BBB  D0 o50 h51 l49 c50    · D1 o50 h51 l48 c49   · D2… o45 h46 l44 c45
 *
 * bar 0: A1 buy 10 AAA limit 97 gtc (D1's low 96 reaches it: it fills at bar 2's match unless cancelled first),
 *        A2 buy 5 AAA limit 90 gtc (never reached), BR a bracket: buy 10 BBB limit 40 gtc, take-profit 60, stop-loss 35
 *        (never reached; its legs are held until it fills).
 * bar 1: the model cancels A2 itself.
 */
const PLAN: Plan = [
  [
    0,
    [
      ["place_order", { symbol: "AAA", side: "buy", quantity: 10, type: "limit", limitPrice: 97, timeInForce: "gtc" }],
      ["place_order", { symbol: "AAA", side: "buy", quantity: 5, type: "limit", limitPrice: 90, timeInForce: "gtc" }],
      ["place_order", { symbol: "BBB", side: "buy", quantity: 10, type: "limit", limitPrice: 40, timeInForce: "gtc", orderClass: "bracket", takeProfit: { limitPrice: 60 }, stopLoss: { stopPrice: 35 } }],
    ],
  ],
  [1, [["cancel_order", { ref: `${T[0]!.toISOString()}-1` }]]],
];

let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("cancel_by_user")), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

/** The ids of bar 0's orders: A1, A2, the bracket's entry (BR) and its legs (BR:tp, BR:sl). */
async function idsOf(sessionId: string) {
  const rows = await env.sql<{ id: string; key: string }[]>`select id, idempotency_key as key from orders where session_id = ${sessionId}`;
  const by = (suffix: string) => rows.find((r) => r.key === `${sessionId}:${T[0]!.toISOString()}-${suffix}`)!.id;
  return { a1: by("0"), a2: by("1"), br: by("2"), tp: by("2:tp"), sl: by("2:sl") };
}

const ordersOf = (sessionId: string) =>
  env.sql<{ id: string; status: string; reason: string | null; filled: number }[]>`
    select id, status, status_reason as reason, filled_quantity::int as filled from orders where session_id = ${sessionId}`;
const stateOf = async (sessionId: string, id: string) => (await ordersOf(sessionId)).find((o) => o.id === id)!;
const requestsOf = (sessionId: string) =>
  env.sql<{ orderId: string; applied: boolean; outcome: string | null }[]>`
    select order_id as "orderId", applied_at is not null as applied, outcome from order_cancel_requests where session_id = ${sessionId} order by requested_at`;
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof AppError ? { kind: e.kind, code: e.code, message: e.message } : e));

describe("a person cancels a working order", () => {
  let owner: TestUser;
  let sessionId: string;
  let ids: Awaited<ReturnType<typeof idsOf>>;

  it("while the session runs: a request, applied by the runner at the start of its next bar, before matching", async () => {
    owner = await createUser(env.sql, "cancel-owner");
    const s = await createPlannedSession(env, jobs.jobs, owner, PLAN, ["AAA", "BBB"]);
    sessionId = s.id;
    expect(await runSessionJob(s.id, "job-1:0", { ...deps, sliceMs: 0 })).toBe("yielded"); // bar 0: five orders working
    ids = await idsOf(s.id);

    // Running: the book is the runner's. The service records a request and touches no order.
    const before = await env.sql`select id, status, updated_at from orders where session_id = ${s.id} order by id`;
    expect(await cancelOrderByUser(owner.ctx, s.id, ids.a1, { db: env.db })).toEqual({ orderId: ids.a1, outcome: "requested" });
    expect(await cancelOrderByUser(owner.ctx, s.id, ids.a1, { db: env.db })).toEqual({ orderId: ids.a1, outcome: "requested" }); // again: still one request
    expect(await env.sql`select id, status, updated_at from orders where session_id = ${s.id} order by id`).toEqual(before);
    expect(await requestsOf(s.id)).toEqual([{ orderId: ids.a1, applied: false, outcome: null }]);

    // The next runner reads the request with its book; during bar 1 the person asks for two more: the bracket's entry
    // (applied at bar 2 by the same runner, from its commit) and A2, which the model cancels itself in the same bar.
    const asked: unknown[] = [];
    const decide: DecideFn = async (ctx, options) => {
      if (ctx.clock.now().getTime() === T[1]!.getTime()) {
        asked.push(await cancelOrderByUser(owner.ctx, s.id, ids.br, { db: env.db }));
        asked.push(await cancelOrderByUser(owner.ctx, s.id, ids.a2, { db: env.db }));
      }
      return scriptedDecide(ctx, options);
    };
    expect(await runSessionJob(s.id, "job-2:0", { ...deps, decide })).toBe("completed");
    expect(asked).toEqual([{ orderId: ids.br, outcome: "requested" }, { orderId: ids.a2, outcome: "requested" }]);

    // A1 would have filled at 97 at bar 2's match (D1's low 96): it was cancelled at bar 1, before any match.
    expect(await stateOf(s.id, ids.a1)).toMatchObject({ status: "cancelled", reason: "requested_by_user", filled: 0 });
    expect((await env.sql`select 1 from fills where session_id = ${s.id}`).length).toBe(0);
    expect(await stateOf(s.id, ids.br)).toMatchObject({ status: "cancelled", reason: "requested_by_user" });
    expect(await stateOf(s.id, ids.tp)).toMatchObject({ status: "cancelled", reason: "parent_ended" });
    expect(await stateOf(s.id, ids.sl)).toMatchObject({ status: "cancelled", reason: "parent_ended" });
    expect(await stateOf(s.id, ids.a2)).toMatchObject({ status: "cancelled", reason: "requested" }); // the model was first
    const requests = await requestsOf(s.id);
    expect(requests.map((r) => [r.orderId, r.applied, r.outcome])).toEqual([
      [ids.a1, true, "cancelled"],
      [ids.br, true, "cancelled"],
      [ids.a2, true, "ended"],
    ]);

    // The events: A1's cancel in bar 1 (before its equity point), the bracket's three at bar 2; each with its reason.
    const events = await env.sql<{ type: string; id: string | null; status: string | null; reason: string | null; bar: number | null }[]>`
      select type, payload->>'id' as id, payload->>'status' as status, payload->>'statusReason' as reason, (payload->>'barIndex')::int as bar
      from session_events where session_id = ${s.id} and type in ('order', 'equity') order by seq`;
    const story = events.map((e) => (e.type === "equity" ? `equity:${e.bar}` : `${e.id === ids.a1 ? "A1" : e.id === ids.a2 ? "A2" : e.id === ids.br ? "BR" : e.id === ids.tp ? "TP" : "SL"}:${e.status}${e.reason ? `:${e.reason}` : ""}`));
    expect(story.slice(0, 12)).toEqual([
      "A1:accepted", "A2:accepted", "BR:accepted", "TP:held", "SL:held", "equity:0",
      "A1:cancelled:requested_by_user", "A2:cancelled:requested", "equity:1",
      "BR:cancelled:requested_by_user", "TP:cancelled:parent_ended", "SL:cancelled:parent_ended",
    ]);
  });

  it("refuses in words: an ended order (409), an ended session (409)", async () => {
    expect(await refusal(cancelOrderByUser(owner.ctx, sessionId, ids.a1, { db: env.db }))).toMatchObject({ kind: "conflict", code: "SESSION_ENDED" });
    const other = await createUser(env.sql, "cancel-paused");
    const s = await createPlannedSession(env, jobs.jobs, other, PLAN, ["AAA", "BBB"]);
    expect(await runSessionJob(s.id, "job-1:0", { ...deps, sliceMs: 0 })).toBe("yielded");
    const mine = await idsOf(s.id);
    await controlSession(other.ctx, s.id, "pause", { db: env.db, jobs: jobs.jobs });
    await cancelOrderByUser(other.ctx, s.id, mine.a2, { db: env.db });
    expect(await refusal(cancelOrderByUser(other.ctx, s.id, mine.a2, { db: env.db }))).toEqual({
      kind: "conflict",
      code: "ORDER_ENDED",
      message: "This order is cancelled: only a working order can be cancelled",
    });
  });

  it("while paused: cancelled at once under the session's lock, its held legs with it, each with its event; the run goes on", async () => {
    const user = await createUser(env.sql, "cancel-direct");
    const s = await createPlannedSession(env, jobs.jobs, user, PLAN, ["AAA", "BBB"]);
    expect(await runSessionJob(s.id, "job-1:0", { ...deps, sliceMs: 0 })).toBe("yielded");
    const mine = await idsOf(s.id);
    await controlSession(user.ctx, s.id, "pause", { db: env.db, jobs: jobs.jobs });
    const [row] = await env.sql<{ seq: number }[]>`select event_seq::int as seq from trading_sessions where id = ${s.id}`;
    const seqBefore = row!.seq;

    expect(await cancelOrderByUser(user.ctx, s.id, mine.br, { db: env.db })).toEqual({ orderId: mine.br, outcome: "cancelled" });
    expect(await stateOf(s.id, mine.br)).toMatchObject({ status: "cancelled", reason: "requested_by_user" });
    expect(await stateOf(s.id, mine.tp)).toMatchObject({ status: "cancelled", reason: "parent_ended" });
    expect(await stateOf(s.id, mine.sl)).toMatchObject({ status: "cancelled", reason: "parent_ended" });
    expect(await stateOf(s.id, mine.a1)).toMatchObject({ status: "accepted" });
    expect(await requestsOf(s.id)).toEqual([{ orderId: mine.br, applied: true, outcome: "cancelled" }]);
    const events = await env.sql<{ seq: number; id: string; status: string; reason: string }[]>`
      select seq::int, payload->>'id' as id, payload->>'status' as status, payload->>'statusReason' as reason
      from session_events where session_id = ${s.id} and seq > ${seqBefore} order by seq`;
    expect(events.map((e) => [e.seq, e.id, e.status, e.reason])).toEqual([
      [seqBefore + 1, mine.br, "cancelled", "requested_by_user"],
      [seqBefore + 2, mine.tp, "cancelled", "parent_ended"],
      [seqBefore + 3, mine.sl, "cancelled", "parent_ended"],
    ]);
    expect(await env.sql`select event_seq::int as seq from trading_sessions where id = ${s.id}`).toEqual([{ seq: seqBefore + 3 }]);

    // Resumed, the next runner loads the book as stored: the bracket stays cancelled, A1 fills at 97 as before.
    await controlSession(user.ctx, s.id, "resume", { db: env.db, jobs: jobs.jobs });
    expect(await runSessionJob(s.id, "job-2:0", deps)).toBe("completed");
    expect(await stateOf(s.id, mine.br)).toMatchObject({ status: "cancelled", reason: "requested_by_user" });
    expect(await stateOf(s.id, mine.a1)).toMatchObject({ status: "filled", filled: 10 });
  });

  it("another user's ids answer as unknown ones and write nothing; a forged request is refused by the database", async () => {
    const stranger = await createUser(env.sql, "cancel-stranger");
    const theirs = await createPlannedSession(env, jobs.jobs, stranger, PLAN, ["AAA"]);
    const victim = await createUser(env.sql, "cancel-victim");
    const s = await createPlannedSession(env, jobs.jobs, victim, PLAN, ["AAA", "BBB"]);
    expect(await runSessionJob(s.id, "job-1:0", { ...deps, sliceMs: 0 })).toBe("yielded");
    const mine = await idsOf(s.id);
    const snapshot = () => env.sql`select (select count(*)::int from order_cancel_requests) as requests,
      (select json_agg(json_build_object('id', id, 'status', status, 'u', updated_at) order by id) from orders where session_id = ${s.id}) as orders,
      (select event_seq from trading_sessions where id = ${s.id}) as seq`;
    const before = await snapshot();

    const notFound = (what: string) => ({ kind: "not_found", code: "NOT_FOUND", message: `${what} not found` });
    expect(await refusal(cancelOrderByUser(stranger.ctx, s.id, mine.a1, { db: env.db }))).toEqual(notFound("Session"));
    expect(await refusal(cancelOrderByUser(stranger.ctx, theirs.id, mine.a1, { db: env.db }))).toEqual(notFound("Order"));
    expect(await refusal(cancelOrderByUser(victim.ctx, s.id, "00000000-0000-4000-8000-000000000000", { db: env.db }))).toEqual(notFound("Order"));
    expect(await refusal(cancelOrderByUser(victim.ctx, s.id, "not-an-id", { db: env.db }))).toEqual(notFound("Order"));
    expect(await refusal(cancelOrderByUser(victim.ctx, "not-an-id", mine.a1, { db: env.db }))).toEqual(notFound("Session"));

    // Forged writes. The Data API's role may not write requests at all (it may read its own).
    expect(await dbError(withUser(victim.claims, (tx) => tx.execute(q`insert into order_cancel_requests (order_id, session_id, user_id, model_id)
      select id, session_id, user_id, model_id from orders where id = ${mine.a1}`), env.db))).toMatch(/permission denied/);
    // The core acting for the stranger: the victim's order, named with the victim as owner or under the stranger's
    // own session, is refused by the trigger, which runs as the writer and so cannot see another user's order (the
    // foreign key alone would let any order id through; RLS's check on the owner comes after it).
    const [victimOrder] = await env.sql<{ modelId: string }[]>`select model_id as "modelId" from orders where id = ${mine.a1}`;
    const [strangerSession] = await env.sql<{ modelId: string }[]>`select model_id as "modelId" from trading_sessions where id = ${theirs.id}`;
    expect(await dbError(withCore(stranger.claims, (tx) => tx.execute(q`insert into order_cancel_requests (order_id, session_id, user_id, model_id)
      values (${mine.a1}, ${s.id}, ${victim.id}, ${victimOrder!.modelId})`), env.db))).toMatch(/is not an order of session/);
    expect(await dbError(withCore(stranger.claims, (tx) => tx.execute(q`insert into order_cancel_requests (order_id, session_id, user_id, model_id)
      values (${mine.a1}, ${theirs.id}, ${stranger.id}, ${strangerSession!.modelId})`), env.db))).toMatch(/is not an order of session/);
    expect(await snapshot()).toEqual(before);

    // The victim's request, then applied by the runner; an applied request does not change, even for the core.
    await cancelOrderByUser(victim.ctx, s.id, mine.a2, { db: env.db });
    const updated = await withCore(stranger.claims, (tx) => tx.execute(q`update order_cancel_requests set outcome = 'ended', applied_at = now() where order_id = ${mine.a2}`), env.db);
    expect((updated as unknown as { count: number }).count).toBe(0); // not the stranger's row: RLS hides it
    expect(await runSessionJob(s.id, "job-2:0", { ...deps, sliceMs: 0 })).toBe("yielded");
    expect(await requestsOf(s.id)).toEqual([{ orderId: mine.a2, applied: true, outcome: "cancelled" }]);
    expect(await dbError(withCore(victim.claims, (tx) => tx.execute(q`update order_cancel_requests set outcome = 'ended' where order_id = ${mine.a2}`), env.db))).toMatch(
      /was applied: it does not change/,
    );
  });
});
