import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { tradingDays } from "@/lib/market";
import { decide } from "@/lib/trading/decide";
import { createUser } from "@/tests/support/database";
import { createModel, dayBars, freshSessionDatabase, runRecordOf, seedBars, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { createSession } from "./create";
import { controlSession } from "./control";
import type { DecideFn } from "@/lib/trading/run-bar";

/** Pause, resume, cancel; a failing session fails alone and says why; the per-user limit. */
const days = tradingDays("2025-01-02", "2025-06-30");
const series = (base: number) => days.map((_, i) => [base + Math.sin(i / 5) * 5 + i * 0.1, base + Math.sin((i + 1) / 5) * 5 + i * 0.1] as const);
const SPEC = { kind: "backtest", interval: "day", start: "2025-02-03", end: "2025-06-30", symbols: ["AAA", "BBB"] } as const;

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let worker: Worker;
/** Sessions whose decisions throw (the failure test), and a brake so pause/cancel land mid-run. */
const exploding = new Set<string>();
/** Sessions whose every decision takes 1.5 s (an LLM's): a bar is in flight most of the time. */
const slow = new Set<string>();
let delayMs = 0;
/** The per-user limit of the queue test (the worker admits queued sessions with it too). */
const LIMIT = 2;
const testDecide: DecideFn = async (ctx, options) => {
  if (exploding.has(ctx.sessionId) && ctx.clock.now() >= new Date("2025-03-03T00:00:00Z")) throw new Error("the model provider exploded");
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  if (slow.has(ctx.sessionId)) await new Promise((r) => setTimeout(r, 1500));
  return decide(ctx, options);
};

beforeAll(async () => {
  env = await freshSessionDatabase("sessions_ctl");
  await seedBars(env.db, dayBars(days, { AAA: series(100), BBB: series(40) }));
  jobs = await testJobs(env.url);
  worker = await startWorker({ url: env.url, concurrency: 8, sliceSeconds: 60, concurrencyPerUser: LIMIT, decide: testDecide, log: () => {} });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await jobs?.stop();
  await env?.drop();
});

const deps = () => ({ db: env.db, jobs: jobs.jobs });
const cursorOf = async (id: string) => (await env.sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${id}`)[0]!.cursor;
const statusEvents = async (id: string) =>
  (await env.sql<{ payload: { status: string } }[]>`select payload from session_events where session_id = ${id} and type = 'status' order by seq`).map((e) => e.payload.status);

describe("session control", () => {
  it("pauses (no bar runs while paused), resumes where it stopped, and ends like an uninterrupted run", async () => {
    const user = await createUser(env.sql, "pause");
    const modelId = await createModel(env.sql, user, { llm: "builtin:momentum" });
    const straight = await createSession(user.ctx, { ...SPEC, modelId, symbols: [...SPEC.symbols] }, deps());
    await waitForStatus(env.sql, straight.id, ["completed"]);

    delayMs = 20;
    const s = await createSession(user.ctx, { ...SPEC, modelId, symbols: [...SPEC.symbols] }, deps());
    while ((await cursorOf(s.id)) < 5) await new Promise((r) => setTimeout(r, 20));
    const paused = await controlSession(user.ctx, s.id, "pause", deps());
    expect(paused.status).toBe("paused");
    const at = await cursorOf(s.id);
    await new Promise((r) => setTimeout(r, 400));
    expect(await cursorOf(s.id)).toBe(at);
    expect(at).toBeLessThan(paused.totalBars);
    await expect(controlSession(user.ctx, s.id, "pause", deps())).rejects.toMatchObject({ code: "INVALID_STATE", kind: "conflict" });
    // The model is edited while the session waits: the session goes on with the llm and prompt it started with.
    await env.sql`update models set llm = 'builtin:random', instructions = 'Edited while paused.' where id = ${modelId}`;
    delayMs = 0;
    expect((await controlSession(user.ctx, s.id, "resume", deps())).status).toBe("pending");
    await waitForStatus(env.sql, s.id, ["completed"]);
    expect(await statusEvents(s.id)).toEqual(["pending", "running", "paused", "pending", "running", "completed"]);
    const [a, b] = await Promise.all([runRecordOf(env.sql, straight.id), runRecordOf(env.sql, s.id)]);
    expect({ ...b, events: undefined }).toEqual({ ...a, events: undefined });
    const used = await env.sql<{ llm: string; edited: boolean }[]>`
      select distinct llm, instructions like '%Edited while paused%' as edited from decisions where session_id = ${s.id}`;
    expect(used).toEqual([{ llm: "builtin:momentum", edited: false }]);
    // A session started now runs the model as edited.
    const after = await createSession(user.ctx, { ...SPEC, modelId, symbols: [...SPEC.symbols] }, deps());
    expect({ llm: after.llm, instructions: after.instructions }).toEqual({ llm: "builtin:random", instructions: "Edited while paused." });
    await controlSession(user.ctx, after.id, "cancel", deps());
  });

  it("paces a session: at least paceMs per bar, a pause lands during the wait, and the results are an unpaced run's", async () => {
    const user = await createUser(env.sql, "pace");
    const modelId = await createModel(env.sql, user, { llm: "builtin:momentum" });
    const spec = { ...SPEC, modelId, start: "2025-06-02", symbols: [...SPEC.symbols] };
    const fast = await createSession(user.ctx, spec, deps());
    const paced = await createSession(user.ctx, { ...spec, settings: { paceMs: 60 } }, deps());
    await Promise.all([waitForStatus(env.sql, paced.id, ["completed"]), waitForStatus(env.sql, fast.id, ["completed"])]);
    const [done] = await env.sql<{ bars: number; ms: number }[]>`
      select total_bars as bars, extract(epoch from finished_at - started_at) * 1000 as ms from trading_sessions where id = ${paced.id}`;
    expect(done!.bars).toBe(20); // June 2025: 21 weekdays, less Juneteenth
    // Every bar but the last waits out its pace before the next one starts.
    expect(Number(done!.ms)).toBeGreaterThanOrEqual(19 * 60);
    const [a, b] = await Promise.all([runRecordOf(env.sql, fast.id), runRecordOf(env.sql, paced.id)]);
    expect({ ...b, events: undefined }).toEqual({ ...a, events: undefined });

    // A pause while the runner waits out a slow pace: the next bar never runs.
    const slow = await createSession(user.ctx, { ...spec, settings: { paceMs: 10_000 } }, deps());
    while ((await cursorOf(slow.id)) < 1) await new Promise((r) => setTimeout(r, 20));
    expect((await controlSession(user.ctx, slow.id, "pause", deps())).cursor).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await cursorOf(slow.id)).toBe(1);
    await controlSession(user.ctx, slow.id, "cancel", deps());
  });

  it("cancels: no further bar, and a finished session cannot be cancelled or resumed", async () => {
    const user = await createUser(env.sql, "cancel");
    const modelId = await createModel(env.sql, user, { llm: "builtin:random" });
    delayMs = 20;
    const s = await createSession(user.ctx, { ...SPEC, modelId, symbols: [...SPEC.symbols] }, deps());
    while ((await cursorOf(s.id)) < 3) await new Promise((r) => setTimeout(r, 20));
    expect((await controlSession(user.ctx, s.id, "cancel", deps())).status).toBe("cancelled");
    const at = await cursorOf(s.id);
    await new Promise((r) => setTimeout(r, 300));
    delayMs = 0;
    expect(await cursorOf(s.id)).toBe(at);
    await expect(controlSession(user.ctx, s.id, "resume", deps())).rejects.toMatchObject({ code: "INVALID_STATE" });
    await expect(controlSession(user.ctx, s.id, "cancel", deps())).rejects.toMatchObject({ code: "INVALID_STATE" });
    // Another user's session, or no session at all: not found, the same answer.
    const other = await createUser(env.sql, "other");
    await expect(controlSession(other.ctx, s.id, "pause", deps())).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(controlSession(other.ctx, "not-a-uuid", "pause", deps())).rejects.toMatchObject({ code: "NOT_FOUND" });
    // An action that is none of the three (a server action's argument is whatever the browser sent): refused, nothing changes.
    for (const action of ["delete", "toString", "__proto__"]) {
      await expect(controlSession(user.ctx, s.id, action as "pause", deps())).rejects.toMatchObject({ kind: "reject", code: "UNKNOWN_ACTION" });
    }
    expect((await env.sql`select status from trading_sessions where id = ${s.id}`)[0]).toEqual({ status: "cancelled" });
  });

  it("fails a session whose decision throws, with the error, while the others complete", async () => {
    const user = await createUser(env.sql, "fail");
    const others = await createUser(env.sql, "fine");
    const bad = await createSession(user.ctx, { ...SPEC, modelId: await createModel(env.sql, user), symbols: [...SPEC.symbols] }, deps());
    exploding.add(bad.id);
    const good = await Promise.all(
      [0, 1].map(async () => createSession(others.ctx, { ...SPEC, modelId: await createModel(env.sql, others, { llm: "builtin:mean-reversion" }), symbols: [...SPEC.symbols] }, deps())),
    );
    const failed = await waitForStatus(env.sql, bad.id, ["failed", "completed"]);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("the model provider exploded");
    expect(failed.cursor).toBeGreaterThan(0); // the bars before the failure stay
    const [last] = await env.sql<{ payload: { status: string; errorCode: string; error: string } }[]>`
      select payload from session_events where session_id = ${bad.id} order by seq desc limit 1`;
    expect(last!.payload).toMatchObject({ status: "failed", errorCode: "SESSION_ERROR", error: "the model provider exploded" });
    for (const g of good) expect((await waitForStatus(env.sql, g.id, ["failed", "completed"])).status).toBe("completed");
  });

  it("runs at most the limit of a user's sessions at once; the others wait queued and start, oldest first, as slots free", async () => {
    const user = await createUser(env.sql, "limit");
    const modelId = await createModel(env.sql, user);
    const limited = { ...deps(), concurrencyPerUser: LIMIT };
    const spec = () => ({ ...SPEC, modelId, symbols: [...SPEC.symbols] });
    const statusOf = async (id: string) => (await env.sql<{ status: string }[]>`select status from trading_sessions where id = ${id}`)[0]!.status;
    const jobsOf = async (id: string) => (await env.sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = 'session-run' and data->>'sessionId' = ${id}`)[0]!.n;
    delayMs = 50;
    const [a, b, c, d] = [await createSession(user.ctx, spec(), limited), await createSession(user.ctx, spec(), limited), await createSession(user.ctx, spec(), limited), await createSession(user.ctx, spec(), limited)];
    expect([a!.status, b!.status, c!.status, d!.status]).toEqual(["pending", "pending", "queued", "queued"]);
    expect([await jobsOf(c!.id), await jobsOf(d!.id)]).toEqual([0, 0]); // nothing runs a queued session

    // Pausing a session frees its slot: the oldest queued one takes it in the same transaction, with its job.
    await controlSession(user.ctx, a!.id, "pause", limited);
    expect([await statusOf(c!.id), await jobsOf(c!.id), await statusOf(d!.id)]).toEqual(["pending", 1, "queued"]);
    // Resuming while the slots are taken queues it behind d; a queued session can be paused and cancelled.
    expect((await controlSession(user.ctx, a!.id, "resume", limited)).status).toBe("queued");
    expect((await controlSession(user.ctx, d!.id, "pause", limited)).status).toBe("paused");
    expect((await controlSession(user.ctx, d!.id, "resume", limited)).status).toBe("queued");
    const e = await createSession(user.ctx, spec(), limited);
    expect((await controlSession(user.ctx, e.id, "cancel", limited)).status).toBe("cancelled");
    // Concurrent creates cannot both take a free slot.
    await controlSession(user.ctx, b!.id, "cancel", limited); // its slot goes to a, the oldest queued
    expect(await statusOf(a!.id)).toBe("pending");
    await controlSession(user.ctx, a!.id, "cancel", limited); // and a's to d
    expect(await statusOf(d!.id)).toBe("pending");
    await waitForStatus(env.sql, c!.id, ["running"]);
    await controlSession(user.ctx, c!.id, "pause", limited); // one slot free, nothing queued
    const raced = await Promise.all([0, 1, 2].map(() => createSession(user.ctx, spec(), limited)));
    expect(raced.map((r) => r.status).sort()).toEqual(["pending", "queued", "queued"]);

    // The rest run to the end as slots free (each completing session admits the next), never more than LIMIT
    // at once: sampled all along (each sample is one snapshot of the user's sessions).
    delayMs = 0;
    let most = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from trading_sessions where user_id = ${user.id} and status in ('pending', 'running')`;
        most = Math.max(most, row!.n);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await controlSession(user.ctx, c!.id, "resume", limited);
    for (const s of [c!, d!, ...raced]) expect((await waitForStatus(env.sql, s.id, ["completed", "failed"])).status).toBe("completed");
    sampling = false;
    await sampler;
    expect(await statusEvents(c!.id)).toEqual(["queued", "pending", "running", "paused", "queued", "pending", "running", "completed"]);
    expect(most).toBe(LIMIT);
  });

  it("a pause lands while a bar's decision is in flight, without waiting for it, and holds up nothing", async () => {
    const user = await createUser(env.sql, "slowpause");
    const modelId = await createModel(env.sql, user);
    const spec = () => ({ ...SPEC, modelId, symbols: [...SPEC.symbols] });
    const a = await createSession(user.ctx, spec(), deps());
    slow.add(a.id);
    await waitForStatus(env.sql, a.id, ["running"]);
    // The bar's 1.5 s decision runs outside any transaction: the pause takes a's row at once, and a
    // create right after it is not held up either.
    const cursor = async () => (await env.sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${a.id}`)[0]!.cursor;
    await new Promise((r) => setTimeout(r, 200));
    const before = await cursor();
    const t0 = performance.now();
    await controlSession(user.ctx, a.id, "pause", deps());
    expect(performance.now() - t0).toBeLessThan(500);
    await createSession(user.ctx, spec(), deps());
    // The bar in flight is not written: the cursor stays where the pause found it.
    await new Promise((r) => setTimeout(r, 1_800));
    expect(await cursor()).toBe(before);
    await controlSession(user.ctx, a.id, "cancel", deps());
  });
});
