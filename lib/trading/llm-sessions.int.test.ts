import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSyntheticBars, SYNTHETIC_INSTRUMENTS } from "@/lib/market";
import { getDecisionDetail } from "@/lib/services/decision-detail";
import { controlSession } from "@/lib/services/sessions/control";
import { createSession, replaySessionExactly } from "@/lib/services/sessions/create";
import { startFakeOpenAI, type FakeOpenAI } from "@/tests/support/fake-openai";
import { createUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase, runRecordOf, seedBars, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { exited, spawnWorker } from "@/tests/support/worker-process";

/**
 * LLM sessions on the rebuilt core, run by real worker processes against an OpenAI-compatible server whose
 * answer changes on every call: a pause lands while a model call is in flight, and a session whose workers
 * are SIGKILLed (also mid-call) ends exactly as an uninterrupted run over the same answers, which an exact
 * replay from the record (no provider asked) reproduces.
 */
const SYMBOLS = SYNTHETIC_INSTRUMENTS.slice(0, 4).map((i) => i.symbol);
const SPEC = { kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-14", symbols: SYMBOLS } as const;

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
const children = new Set<ChildProcess>();
const servers: FakeOpenAI[] = [];

const worker = (server: FakeOpenAI) =>
  spawnWorker(env.url, { COMPATIBLE_BASE_URL: server.baseUrl, JOB_MONITOR_SECONDS: "1", SESSION_SLICE_SECONDS: "2" }, children);
const deps = () => ({ db: env.db, jobs: jobs.jobs });
const cursorOf = async (id: string) => (await env.sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${id}`)[0]!.cursor;
const until = async (what: () => boolean | Promise<boolean>, ms: number) => {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

async function llmSession(label: string) {
  const user = await createUser(env.sql, label);
  const modelId = await createModel(env.sql, user, { llm: "compatible:scripted", startingCash: "100000" });
  const session = await createSession(user.ctx, { ...SPEC, modelId, symbols: [...SYMBOLS], settings: { fees: { perOrder: "1" } } }, deps());
  return { user, id: session.id };
}

beforeAll(async () => {
  env = await freshSessionDatabase("llm_sessions");
  await seedBars(env.db, generateSyntheticBars({ seed: 7, from: "2025-02-03", to: "2025-03-14", intervals: ["day"], symbols: SYMBOLS }), "synthetic");
  jobs = await testJobs(env.url);
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await Promise.all(servers.map((s) => s.close()));
  await jobs?.stop();
  await env?.drop();
});

describe("LLM sessions", () => {
  it("pauses within a second while a 2 s model call is in flight; nothing of that bar is written; resume runs it", { timeout: 90_000 }, async () => {
    const server = await startFakeOpenAI({ latencyMs: 2_000, symbols: SYMBOLS });
    servers.push(server);
    const w = await worker(server);
    const { user, id } = await llmSession("pause");
    // Past the first bar, a model call in flight.
    await until(async () => (await cursorOf(id)) >= 1 && server.stats.inflight > 0, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    const at = await cursorOf(id);
    const dropped = server.stats.dropped;
    const t0 = performance.now();
    await controlSession(user.ctx, id, "pause", deps());
    const paused = performance.now() - t0;
    // The worker hears the pause and drops the call it was waiting on.
    await until(() => server.stats.dropped > dropped, 1_000);
    const dropMs = performance.now() - t0;
    expect(paused).toBeLessThan(1_000);
    expect(dropMs).toBeLessThan(1_000);
    // Longer than the call would have taken: nothing of the bar appears.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await cursorOf(id)).toBe(at);
    const [written] = await env.sql<{ decisions: number; equity: number }[]>`
      select (select count(*) from decisions where session_id = ${id})::int as decisions,
             (select count(*) from session_equity where session_id = ${id})::int as equity`;
    expect(written).toEqual({ decisions: at, equity: at });
    expect((await env.sql`select status from trading_sessions where id = ${id}`)[0]!.status).toBe("paused");

    await controlSession(user.ctx, id, "resume", deps());
    expect((await waitForStatus(env.sql, id, ["completed", "failed"], 60_000)).status).toBe("completed");
    const [after] = await env.sql<{ decisions: number; failed: number }[]>`
      select count(*)::int as decisions, count(*) filter (where outcome = 'failed')::int as failed from decisions where session_id = ${id}`;
    expect(after).toEqual({ decisions: 10, failed: 0 });
    // The decision's detail shows the calls behind it: the buy asked for, then the answer.
    const [last] = await env.sql<{ id: string }[]>`select id from decisions where session_id = ${id} order by clock desc limit 1`;
    const detail = await getDecisionDetail(user.ctx, id, last!.id, env.db);
    expect(detail.modelCalls).toEqual([
      expect.objectContaining({ index: 0, provider: "compatible.chat", model: "scripted", toolCalls: ["buy"], inputTokens: 100, outputTokens: 10 }),
      expect.objectContaining({ index: 1, toolCalls: [], text: expect.stringMatching(/^Done \(answer \d+\)\.$/), finishReason: "stop" }),
    ]);
    expect(detail.modelCalls[0]!.latencyMs).toBeGreaterThanOrEqual(2_000);
    w.kill("SIGTERM");
    await exited(w);
  });

  it("kill -9 of workers, also mid-call: each session equals its exact replay from the record, which asks no model", { timeout: 240_000 }, async () => {
    const server = await startFakeOpenAI({ latencyMs: 300, symbols: SYMBOLS });
    servers.push(server);
    const sessions = await Promise.all([0, 1, 2, 3].map((i) => llmSession(`crash${i}`)));
    const ids = sessions.map((s) => s.id);
    const progress = async () => (await env.sql<{ done: number }[]>`select coalesce(sum(cursor), 0)::int as done from trading_sessions where id in ${env.sql(ids)}`)[0]!.done;
    let kills = 0;
    let last = -1;
    while (kills < 4) {
      const w = await worker(server);
      await until(async () => (await progress()) > last, 60_000);
      // Strike while a call is in flight, at a random moment within it. The killed worker's other sessions come
      // back only when pg-boss finds their jobs dead, so the one that moved may have been the last with bars left.
      await until(async () => server.stats.inflight > 0 || (await progress()) >= ids.length * 10, 60_000);
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      last = await progress();
      if (last >= ids.length * 10) break;
      w.kill("SIGKILL");
      await exited(w);
      kills++;
    }
    const finisher = await worker(server);
    for (const id of ids) expect(await waitForStatus(env.sql, id, ["completed", "failed"], 90_000)).toMatchObject({ status: "completed", error: null });
    expect(kills).toBeGreaterThanOrEqual(2); // 4 unless the sessions ran out of bars first
    // Some kills landed while a call was in flight: those calls were never recorded and were asked again.
    expect(server.stats.dropped).toBeGreaterThan(0);

    // Every bar decided once, and each decision placed exactly the orders its recorded answers asked for.
    const perBar = await env.sql<{ decisions: number; orders: number; asked: number }[]>`
      select (select count(*) from decisions d where d.session_id = s.id)::int as decisions,
             (select count(*) from orders o where o.session_id = s.id)::int as orders,
             (select count(*) from model_calls c, jsonb_array_elements(c.response->'content') part
               where c.session_id = s.id and part->>'type' = 'tool-call')::int as asked
      from trading_sessions s where s.id in ${env.sql(ids)}`;
    for (const row of perBar) expect(row).toEqual({ decisions: 10, orders: 10, asked: 10 });
    const [calls] = await env.sql<{ n: number }[]>`select count(*)::int as n from model_calls where session_id in ${env.sql(ids)}`;
    expect(calls!.n).toBe(ids.length * 10 * 2);

    // Exact replays, with the provider gone: every answer from the record.
    await server.close();
    const answered = server.stats.answered;
    // A source stored before strategy margin (drizzle/0036 wrote false into it) is replayed with its own margin model.
    await env.sql`update trading_sessions set settings = settings || '{"strategyMargin": false}'::jsonb where id = ${ids[0]!}`;
    const replays = await Promise.all(sessions.map((s) => replaySessionExactly(s.user.ctx, s.id, deps())));
    expect(replays.map((r) => (r.settings as { strategyMargin?: boolean }).strategyMargin)).toEqual(ids.map((_, i) => i !== 0));
    for (const r of replays) expect(await waitForStatus(env.sql, r.id, ["completed", "failed"], 60_000)).toMatchObject({ status: "completed", error: null });
    expect(server.stats.answered).toBe(answered);
    for (let i = 0; i < ids.length; i++) {
      const [original, replay] = await Promise.all([runRecordOf(env.sql, ids[i]!), runRecordOf(env.sql, replays[i]!.id)]);
      expect(original.fills.length).toBeGreaterThan(0);
      expect(replay).toEqual(original);
    }
    finisher.kill("SIGTERM");
    await exited(finisher);
  });
});
