import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tradingDays } from "@/lib/market";
import { createUser, type TestUser } from "@/tests/support/database";
import { createModel, dayBars, freshSessionDatabase, seedBars, testJobs } from "@/tests/support/session-fixtures";
import { listSessionCards } from "@/lib/services/session-view";
import { controlSession } from "./control";
import { createSession, createSessions, rerunInputOf, rerunSession } from "./create";
import { listSessions } from "./read";
import { renameSession } from "./rename";

/** Bad requests are refused with a clear code and field, and leave nothing behind: no session, account, event or job. */
const days = tradingDays("2025-03-03", "2025-03-31");
let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let user: TestUser;
let modelId: string;

beforeAll(async () => {
  env = await freshSessionDatabase("sessions_new");
  const flat = days.map(() => [10, 10] as const);
  await seedBars(env.db, dayBars(days, { AAA: flat, BBB: flat }));
  await seedBars(env.db, dayBars(days, { ZZSYNT: flat }, "synthetic"), "synthetic");
  jobs = await testJobs(env.url);
  user = await createUser(env.sql, "new");
  modelId = await createModel(env.sql, user);
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await env?.drop();
});

const counts = async () =>
  (
    await env.sql<{ sessions: number; accounts: number; events: number; jobs: number }[]>`
      select (select count(*) from trading_sessions)::int as sessions, (select count(*) from accounts)::int as accounts,
             (select count(*) from session_events)::int as events,
             (select count(*) from pgboss.job where name = 'session-run')::int as jobs`
  )[0]!;

describe("createSession", () => {
  const ok = () => ({ modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-31" });

  it("refuses bad input with a clear code and creates nothing", async () => {
    const other = await createUser(env.sql, "someone");
    const othersModel = await createModel(env.sql, other);
    const archived = await createModel(env.sql, user);
    await env.sql`update models set is_active = false where id = ${archived}`;
    const cases: [string, unknown, string, string][] = [
      ["wrong types", { ...ok(), start: 20250303 }, "VALIDATION_FAILED", "start"],
      ["symbols not a list", { ...ok(), symbols: "AAA" }, "VALIDATION_FAILED", "symbols"],
      ["unknown field", { ...ok(), userId: other.id }, "VALIDATION_FAILED", "body"],
      ["unknown settings field", { ...ok(), settings: { startingCash: 1 } }, "VALIDATION_FAILED", "settings"],
      ["no kind", { modelId, start: "2025-03-03" }, "VALIDATION_FAILED", "kind"],
      ["minute backtest", { ...ok(), interval: "minute" }, "VALIDATION_FAILED", "interval"],
      ["end before start", { ...ok(), start: "2025-03-10", end: "2025-03-05" }, "VALIDATION_FAILED", "end"],
      ["not a date", { ...ok(), end: "2025-02-30" }, "VALIDATION_FAILED", "end"],
      ["decideEvery out of range", { modelId, kind: "replay", day: "2025-03-05", decideEvery: 61 }, "VALIDATION_FAILED", "decideEvery"],
      ["replay with a backtest's fields", { modelId, kind: "replay", day: "2025-03-05", start: "2025-03-05" }, "VALIDATION_FAILED", "body"],
      ["a weekend", { ...ok(), start: "2025-03-08" }, "NOT_A_TRADING_DAY", "start"],
      ["outside the calendar", { ...ok(), start: "2019-03-04", end: "2019-03-05" }, "NOT_A_TRADING_DAY", "start"],
      ["dates outside the data", { ...ok(), start: "2025-01-06", end: "2025-01-31" }, "NO_DATA", "start"],
      ["start before the data", { ...ok(), start: "2025-02-24" }, "DATES_OUTSIDE_DATA", "start"],
      ["end after the data", { ...ok(), end: "2025-04-04" }, "DATES_OUTSIDE_DATA", "end"],
      ["unknown symbols", { ...ok(), symbols: ["AAA", "NOPE", "ZZZZ"] }, "UNKNOWN_SYMBOL", "symbols"],
      ["a symbol without data in range", { ...ok(), interval: "hour", symbols: ["AAA"] }, "NO_DATA", "symbols"],
      ["someone else's model", { ...ok(), modelId: othersModel }, "NOT_FOUND", ""],
      ["an archived model", { ...ok(), modelId: archived }, "NOT_FOUND", ""],
      ["a model id that is not an id", { ...ok(), modelId: "model-1" }, "VALIDATION_FAILED", "modelId"],
      ["a label of 81 characters", { ...ok(), label: "x".repeat(81) }, "VALIDATION_FAILED", "label"],
      ["a blank label", { ...ok(), label: "   " }, "VALIDATION_FAILED", "label"],
      ["a label of two lines", { ...ok(), label: "v2\nDROP TABLE" }, "VALIDATION_FAILED", "label"],
      ["a label that is not text", { ...ok(), label: 2 }, "VALIDATION_FAILED", "label"],
    ];
    const before = await counts();
    for (const [what, input, code, field] of cases) {
      const err = await createSession(user.ctx, input, { db: env.db, jobs: jobs.jobs }).then(
        () => null,
        (e: { code: string; message: string; fieldErrors: Record<string, string> }) => e,
      );
      expect(err, what).not.toBeNull();
      expect(err!.code, `${what}: ${err!.message}`).toBe(code);
      if (field) expect(Object.keys(err!.fieldErrors), what).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it("names the available range when the dates have no data", async () => {
    const err = await createSession(user.ctx, { ...ok(), start: "2025-01-06", end: "2025-01-31" }, { db: env.db, jobs: jobs.jobs }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/day bars cover 2025-03-03 to 2025-03-31/);
    const outside = await createSession(user.ctx, { ...ok(), end: "2025-04-04" }, { db: env.db, jobs: jobs.jobs }).catch((e: Error) => e);
    expect((outside as Error).message).toBe("end 2025-04-04 is after the data: day bars of AAA, BBB cover 2025-03-03 to 2025-03-31");
  });

  it("defaults the universe to the imported symbols (not the synthetic ones) and writes session, account, event and job together", async () => {
    const before = await counts();
    const s = await createSession(user.ctx, ok(), { db: env.db, jobs: jobs.jobs });
    expect(s.symbols).toEqual(["AAA", "BBB"]);
    expect(s.totalBars).toBe(days.length);
    expect(s.schedule[0]).toBe("2025-03-03T14:30:00.000Z");
    expect(Number(s.startingCash)).toBe(10_000);
    expect(await counts()).toEqual({ sessions: before.sessions + 1, accounts: before.accounts + 1, events: before.events + 1, jobs: before.jobs + 1 });
    const [job] = await env.sql<{ data: { sessionId: string } }[]>`select data from pgboss.job where name = 'session-run' order by created_on desc limit 1`;
    expect(job!.data).toEqual({ sessionId: s.id });
    // The job is the only thing that carries the session; who it runs as comes from the session row.
    expect(Object.keys(job!.data)).toEqual(["sessionId"]);
  });

  it("trades with the model's fees, slippage and shorting unless the request overrides them, field by field", async () => {
    const deps = { db: env.db, jobs: jobs.jobs, concurrencyPerUser: 100 };
    const defaults = { fees: { perOrder: "1", minimum: "0.5" }, slippageBps: 5, allowShort: true, borrowRateBps: 300 };
    const trader = await createUser(env.sql, "defaults");
    const traderId = await createModel(env.sql, trader);
    await env.sql`update models set trading = ${env.sql.json(defaults)} where id = ${traderId}`;
    const stored = async (settings?: object) => {
      const s = await createSession(trader.ctx, { ...ok(), modelId: traderId, ...(settings ? { settings } : {}) }, deps);
      const [row] = await env.sql<{ settings: unknown }[]>`select settings from trading_sessions where id = ${s.id}`;
      return row!.settings;
    };
    const free = { perShare: "0", perOrder: "0", minimum: "0", notionalBps: 0 };
    // Stored with the margin model of sessions created now: written contracts margined as strategies (drizzle/0036).
    expect(await stored()).toEqual({ fees: { ...free, perOrder: "1", minimum: "0.5" }, slippageBps: 5, allowShort: true, shortMarginRequirementBps: 15_000, borrowRateBps: 300, strategyMargin: true });
    expect(await stored({ fees: { perOrder: "0", perShare: "0.01" }, allowShort: false, slippageBps: 0 })).toEqual({
      fees: { ...free, perShare: "0.01", minimum: "0.5" },
      slippageBps: 0,
      allowShort: false,
      shortMarginRequirementBps: 15_000,
      borrowRateBps: 300,
      strategyMargin: true,
    });
    // The short margin: the model's, else 150 %; a session's own wins.
    await env.sql`update models set trading = ${env.sql.json({ ...defaults, shortMarginRequirementBps: 20_000 })} where id = ${traderId}`;
    expect(await stored()).toMatchObject({ allowShort: true, shortMarginRequirementBps: 20_000 });
    expect(await stored({ shortMarginRequirementBps: 30_000 })).toMatchObject({ allowShort: true, shortMarginRequirementBps: 30_000 });
    // A model without defaults: free, no slippage, long only, as before.
    const plain = await createModel(env.sql, trader);
    const s = await createSession(trader.ctx, { ...ok(), modelId: plain }, deps);
    expect(s.settings).toEqual({ fees: free, slippageBps: 0, allowShort: false, shortMarginRequirementBps: 15_000, borrowRateBps: 0, strategyMargin: true });
  });

  it("starts the same session for several models at once, each on its own defaults and cash; past the limit they queue", async () => {
    const deps = (limit: number) => ({ db: env.db, jobs: jobs.jobs, concurrencyPerUser: limit });
    const comparer = await createUser(env.sql, "several");
    const a = await createModel(env.sql, comparer, { startingCash: "5000" });
    const b = await createModel(env.sql, comparer, { llm: "builtin:momentum", startingCash: "20000" });
    const c = await createModel(env.sql, comparer, { llm: "builtin:random" });
    await env.sql`update models set trading = ${env.sql.json({ slippageBps: 7, allowShort: true })} where id = ${b}`;
    const request = (modelId: string) => ({ ...ok(), modelId, settings: { fees: { perOrder: "2" } } });
    const createSessionsOf = (models: string[], d: ReturnType<typeof deps>) => createSessions(comparer.ctx, models.map(request), d);
    const mine = async () =>
      (await env.sql<{ status: string; n: number; jobs: number }[]>`
        select s.status, count(*)::int as n, count(j.id)::int as jobs from trading_sessions s
        left join pgboss.job j on j.name = 'session-run' and j.data->>'sessionId' = s.id::text
        where s.user_id = ${comparer.id} group by s.status order by s.status`).map((r) => `${r.status} ${r.n} (${r.jobs} jobs)`);

    // One model archived (or not the caller's), or too few or too many requests: none is started.
    const before = await counts();
    await env.sql`update models set is_active = false where id = ${c}`;
    await expect(createSessionsOf([a, b, c], deps(10))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createSessionsOf([a, modelId], deps(10))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createSessions(comparer.ctx, [], deps(10))).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: "Start from 1 to 20 sessions at once, not 0" });
    await expect(createSessions(comparer.ctx, Array.from({ length: 21 }, () => request(a)), deps(100))).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    // With indexErrors (the API's arrays of requests that may differ), the error names the request it is about.
    const indexed = (requests: unknown[]) => createSessions(comparer.ctx, requests, deps(10), { indexErrors: true });
    await expect(indexed([request(a), { ...request(b), start: "2025-03-10", end: "2025-03-05" }])).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: "Request 2 of 2: The session request is not valid",
      fieldErrors: { "1.end": expect.stringMatching(/after/) },
    });
    await expect(indexed([request(a), request(b), request(modelId)])).rejects.toMatchObject({ code: "NOT_FOUND", message: "Request 3 of 3: Model not found" });
    await expect(indexed([{ ...request(a), end: "2025-04-04" }, request(b)])).rejects.toMatchObject({ code: "DATES_OUTSIDE_DATA", message: expect.stringMatching(/^Request 1 of 2: /), fieldErrors: { "0.end": expect.any(String) } });
    // Without it (the dialog, whose requests differ only by model), the first's words as they are.
    await expect(createSessionsOf([a, modelId], deps(10))).rejects.toMatchObject({ message: "Model not found" });
    expect(await counts()).toEqual(before);
    await env.sql`update models set is_active = true where id = ${c}`;

    // Past the per-user limit (2 here) the rest wait queued, without a job, in the order asked.
    const [sa, sb, sc] = await createSessionsOf([a, b, c], deps(2));
    expect([sa!.status, sb!.status, sc!.status]).toEqual(["pending", "pending", "queued"]);
    expect(await mine()).toEqual(["queued 1 (0 jobs)", "pending 2 (2 jobs)"]);
    expect(await counts()).toEqual({ sessions: before.sessions + 3, accounts: before.accounts + 3, events: before.events + 3, jobs: before.jobs + 2 });
    const [first] = await env.sql<{ payload: unknown }[]>`select payload from session_events where session_id = ${sc!.id}`;
    expect(first!.payload).toEqual({ status: "queued", from: null, totalBars: days.length });
    expect([sa!.modelId, sb!.modelId, sc!.modelId]).toEqual([a, b, c]);
    expect([Number(sa!.startingCash), Number(sb!.startingCash), Number(sc!.startingCash)]).toEqual([5000, 20_000, 10_000]);
    expect(sa!.schedule).toEqual(sb!.schedule);
    expect(sa!.symbols).toEqual(sb!.symbols);
    // The request's fee over each model's own defaults.
    expect(sa!.settings).toMatchObject({ fees: { perOrder: "2" }, slippageBps: 0, allowShort: false });
    expect(sb!.settings).toMatchObject({ fees: { perOrder: "2" }, slippageBps: 7, allowShort: true });
    expect(sb!.llm).toBe("builtin:momentum");

    // The queue holds at most 50: 49 more fit, the next is refused and nothing of it is written.
    for (const n of [20, 20, 9]) await createSessionsOf(Array.from({ length: n }, () => a), deps(2));
    expect(await mine()).toEqual(["queued 50 (0 jobs)", "pending 2 (2 jobs)"]);
    await expect(createSessionsOf([a], deps(2))).rejects.toMatchObject({
      code: "TOO_MANY_SESSIONS",
      message: "50 of your sessions are already queued and 1 more would wait: at most 50 may wait at once; cancel some, or wait for them to start",
    });
    expect(await mine()).toEqual(["queued 50 (0 jobs)", "pending 2 (2 jobs)"]);
  });

  it("rolls the session back when its job cannot be queued", async () => {
    const before = await counts();
    const failing = { enqueueRun: async () => Promise.reject(new Error("queue down")) };
    await expect(createSession(user.ctx, ok(), { db: env.db, jobs: failing })).rejects.toThrow("queue down");
    expect(await counts()).toEqual(before);
  });
});

describe("listing sessions", () => {
  it("filters by model and status and pages newest first, the dashboard and the API alike, only one's own", async () => {
    const lister = await createUser(env.sql, "lister");
    const [a, b] = [await createModel(env.sql, lister), await createModel(env.sql, lister)];
    const deps = { db: env.db, jobs: jobs.jobs };
    const ids: string[] = [];
    // 7 sessions, oldest first: models a, b, a, b, …; all but the last two cancelled (3 may be pending at once).
    for (let i = 0; i < 7; i++) {
      const s = await createSession(lister.ctx, { modelId: i % 2 ? b : a, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07" }, deps);
      if (i < 5) await controlSession(lister.ctx, s.id, "cancel", deps);
      ids.push(s.id);
    }
    const newest = [...ids].reverse();
    const page = async (q: Parameters<typeof listSessionCards>[1]) => {
      const { cards, total } = await listSessionCards(lister.ctx, q, env.db);
      return { ids: cards.map((c) => c.session.id), total };
    };
    expect(await page({ limit: 3 })).toEqual({ ids: newest.slice(0, 3), total: 7 });
    expect(await page({ offset: 3, limit: 3 })).toEqual({ ids: newest.slice(3, 6), total: 7 });
    expect(await page({ offset: 6, limit: 3 })).toEqual({ ids: newest.slice(6), total: 7 });
    expect(await page({ offset: 9, limit: 3 })).toEqual({ ids: [], total: 7 });
    expect(await page({ modelId: b })).toEqual({ ids: [ids[5], ids[3], ids[1]], total: 3 });
    expect(await page({ status: "pending" })).toEqual({ ids: [ids[6], ids[5]], total: 2 });
    expect(await page({ modelId: a, status: "cancelled", offset: 1, limit: 1 })).toEqual({ ids: [ids[2]], total: 3 });
    // Someone else's model filters to nothing, never to their sessions.
    expect(await page({ modelId })).toEqual({ ids: [], total: 0 });
    expect(await listSessionCards(user.ctx, { modelId: a }, env.db)).toEqual({ cards: [], total: 0 });
    // The API pages the same way.
    expect((await listSessions(lister.ctx, { offset: 2, limit: 2 }, env.db)).map((s) => s.id)).toEqual(newest.slice(2, 4));
    expect((await listSessions(lister.ctx, { modelId: a, status: "cancelled", limit: 50 }, env.db)).map((s) => s.id)).toEqual([ids[4], ids[2], ids[0]]);
  });
});

describe("rerunSession", () => {
  const error = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message }));

  it("starts the same run again: the model as it is now, the same bars, symbols, rules and seed", async () => {
    const runner = await createUser(env.sql, "rerunner");
    const model = await createModel(env.sql, runner);
    const deps = { db: env.db, jobs: jobs.jobs };
    const settings = { fees: { perOrder: "1" }, slippageBps: 3, allowShort: true, shortMarginRequirementBps: 20_000, seed: 7, maxSteps: 10, decisionTimeoutSeconds: 30, paceMs: 100 };
    const first = await createSession(runner.ctx, { modelId: model, kind: "backtest", interval: "day", start: "2025-03-04", end: "2025-03-12", symbols: ["bbb"], label: "  prompt v1 ", settings }, deps);
    expect(first.label).toBe("prompt v1"); // trimmed
    await controlSession(runner.ctx, first.id, "cancel", deps);
    // The model changes in between (its defaults do not reach the rerun: the session's rules were fixed when it started).
    await env.sql`update models set instructions = 'Edited.', trading = ${env.sql.json({ slippageBps: 99 })} where id = ${model}`;
    const before = await counts();
    const again = await rerunSession(runner.ctx, first.id, deps);
    expect(again.id).not.toBe(first.id);
    const same = ["modelId", "kind", "interval", "symbols", "rangeStart", "rangeEnd", "decideEvery", "schedule", "totalBars", "seed", "maxSteps", "decisionTimeoutMs", "paceMs", "settings", "startingCash", "label"] as const;
    for (const k of same) expect(again[k], k).toEqual(first[k]);
    expect(again.status).toBe("pending");
    expect(await counts()).toEqual({ sessions: before.sessions + 1, accounts: before.accounts + 1, events: before.events + 1, jobs: before.jobs + 1 });

    // Someone else's session, or no session: not found, nothing created.
    const after = await counts();
    expect(await error(rerunSession(user.ctx, first.id, deps))).toMatchObject({ code: "NOT_FOUND" });
    expect(await error(rerunSession(runner.ctx, "not-a-uuid", deps))).toMatchObject({ code: "NOT_FOUND" });
    // An archived model says so, and how to run it again.
    await env.sql`update models set is_active = false where id = ${model}`;
    expect(await error(rerunSession(runner.ctx, first.id, deps))).toMatchObject({ code: "MODEL_ARCHIVED", message: expect.stringMatching(/archived: restore it/) });
    expect(await counts()).toEqual(after);
  });

  it("writes a replay back as the replay request it was", () => {
    const replay = { modelId: "m", kind: "replay", interval: "minute", rangeStart: "2025-06-10", rangeEnd: "2025-06-10", decideEvery: 5, symbols: ["AAA"], settings: { slippageBps: 0 }, seed: 1, maxSteps: 8, decisionTimeoutMs: 60_000, paceMs: 0 };
    expect(rerunInputOf(replay as unknown as Parameters<typeof rerunInputOf>[0])).toEqual({
      modelId: "m",
      kind: "replay",
      day: "2025-06-10",
      decideEvery: 5,
      symbols: ["AAA"],
      settings: { slippageBps: 0, seed: 1, maxSteps: 8, decisionTimeoutSeconds: 60, paceMs: 0 },
    });
  });
});

describe("renameSession", () => {
  const error = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; fieldErrors?: Record<string, string> }) => ({ code: e.code, fields: Object.keys(e.fieldErrors ?? {}) }));

  it("changes the label alone, in any status; a bad label or another user's session changes nothing", async () => {
    const namer = await createUser(env.sql, "namer");
    const model = await createModel(env.sql, namer);
    const deps = { db: env.db, jobs: jobs.jobs };
    const s = await createSession(namer.ctx, { modelId: model, kind: "backtest", interval: "day", start: "2025-03-04", end: "2025-03-12", label: "v1" }, deps);
    await controlSession(namer.ctx, s.id, "cancel", deps);
    const row = async () => (await env.sql`select * from trading_sessions where id = ${s.id}`)[0]!;
    const before = await row();

    const renamed = await renameSession(namer.ctx, s.id, { label: "  v2: tighter stops " }, env.db);
    expect(renamed.label).toBe("v2: tighter stops");
    const after = await row();
    expect({ ...after, label: before.label, updated_at: before.updated_at }).toEqual(before); // nothing else changed
    expect(after.updated_at.getTime()).toBeGreaterThanOrEqual(before.updated_at.getTime());
    expect((await listSessions(namer.ctx, { limit: 5 }, env.db)).find((x) => x.id === s.id)?.label).toBe("v2: tighter stops");

    for (const [body, field] of [[{ label: "" }, "label"], [{ label: "x".repeat(81) }, "label"], [{ label: "a\nb" }, "label"], [{}, "label"], [{ label: "v3", status: "completed" }, "body"], ["v3", "body"]] as const) {
      expect(await error(renameSession(namer.ctx, s.id, body, env.db)), JSON.stringify(body)).toEqual({ code: "VALIDATION_FAILED", fields: [field] });
    }
    expect(await error(renameSession(user.ctx, s.id, { label: "mine now" }, env.db))).toMatchObject({ code: "NOT_FOUND" });
    expect(await error(renameSession(namer.ctx, "not-a-uuid", { label: "v3" }, env.db))).toMatchObject({ code: "NOT_FOUND" });
    expect((await row()).label).toBe("v2: tighter stops");

    expect((await renameSession(namer.ctx, s.id, { label: null }, env.db)).label).toBeNull();
  });
});
