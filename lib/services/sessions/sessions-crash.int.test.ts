import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker } from "@/lib/jobs/worker";
import { generateSyntheticBars, SYNTHETIC_INSTRUMENTS } from "@/lib/market";
import { createUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase, runRecordOf, seedBars, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { exited, spawnWorker as spawnWorker_ } from "@/tests/support/worker-process";
import { createSession } from "./create";

/**
 * The crash test: 10 sessions run by real worker processes (scripts/worker.ts), two at a time, killed
 * with SIGKILL six times at seeded random moments while bars are running, then a last worker finishes. Every
 * session must complete with exactly the fills, orders, decisions, equity curve and events of an
 * uninterrupted run of the same session spec: nothing lost, nothing twice.
 */
const SYMBOLS = SYNTHETIC_INSTRUMENTS.slice(0, 4).map((i) => i.symbol);
const STRATEGIES = ["buy-and-hold", "momentum", "mean-reversion", "random"];
const SPEC = { kind: "backtest", interval: "hour", start: "2025-03-03", end: "2025-03-21", symbols: SYMBOLS } as const;

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
const children = new Set<ChildProcess>();

/** mulberry32: the kill times are random but the same on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const spawnWorker = () => spawnWorker_(env.url, { WORKER_CONCURRENCY: "10", JOB_MONITOR_SECONDS: "1", SESSION_SLICE_SECONDS: "1" }, children);
const killed = exited;

async function createSessions(label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const user = await createUser(env.sql, `${label}${i}`);
    const modelId = await createModel(env.sql, user, { llm: `builtin:${STRATEGIES[i % 4]}`, startingCash: "50000" });
    const s = await createSession(user.ctx, { ...SPEC, modelId, symbols: [...SPEC.symbols], settings: { seed: 100 + i, slippageBps: 5, fees: { perOrder: "1" } } }, { db: env.db, jobs: jobs.jobs });
    ids.push(s.id);
  }
  return ids;
}

beforeAll(async () => {
  env = await freshSessionDatabase("sessions_crash");
  // History from February so the strategies have closes to work with on the first bar.
  await seedBars(env.db, generateSyntheticBars({ seed: 42, from: "2025-02-10", to: "2025-03-21", intervals: ["hour"], symbols: SYMBOLS }), "synthetic");
  jobs = await testJobs(env.url);
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await jobs?.stop();
  await env?.drop();
});

describe("kill -9 of workers at random points", () => {
  it("completes every session exactly like an uninterrupted run", { timeout: 180_000 }, async () => {
    // The uninterrupted run of the same specs.
    const reference = await createSessions("ref");
    const worker = await startWorker({ url: env.url, concurrency: 10, sliceSeconds: 600, log: () => {} });
    for (const id of reference) expect((await waitForStatus(env.sql, id, ["completed", "failed"], 60_000)).status).toBe("completed");
    await worker.stop();

    const crashed = await createSessions("crash");
    const random = rng(20261121);
    const total = crashed.length * (await env.sql<{ n: number }[]>`select total_bars as n from trading_sessions where id = ${crashed[0]!}`)[0]!.n;
    const progress = async () =>
      (await env.sql<{ done: number }[]>`select coalesce(sum(cursor), 0)::int as done from trading_sessions where id in ${env.sql(crashed)}`)[0]!.done;
    // Workers run in pairs; each kill waits until bars are moving again (a killed worker's jobs come back
    // after its 10 s heartbeat lapses), then strikes at a random moment: mid-bar, between bars, in a claim.
    const live: ChildProcess[] = [];
    const progressAtKill: number[] = [];
    let last = -1;
    for (let k = 0; k < 6; k++) {
      if (live.length === 0) live.push(...(await Promise.all([spawnWorker(), spawnWorker()])));
      const deadline = Date.now() + 40_000;
      while ((await progress()) <= last && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100 + random() * 900));
      const done = await progress();
      if (done >= total) break;
      progressAtKill.push(done);
      last = done;
      const victim = live.shift()!;
      victim.kill("SIGKILL");
      await killed(victim);
    }
    for (const c of live) c.kill("SIGKILL");
    const finisher = await spawnWorker();
    for (const id of crashed) expect((await waitForStatus(env.sql, id, ["completed", "failed"], 90_000)).status).toBe("completed");
    finisher.kill("SIGTERM");
    await killed(finisher);

    // At least four kills landed while bars were being run (each after progress resumed).
    expect(progressAtKill.filter((p) => p > 0 && p < total).length).toBeGreaterThanOrEqual(4);
    // Jobs of killed workers were picked up again by other workers.
    const [jobs] = await env.sql<{ retried: number }[]>`select count(*)::int as retried from pgboss.job where name = 'session-run' and retry_count > 0`;
    expect(jobs!.retried).toBeGreaterThan(0);

    for (let i = 0; i < 10; i++) {
      const [want, got] = await Promise.all([runRecordOf(env.sql, reference[i]!), runRecordOf(env.sql, crashed[i]!)]);
      expect(got.fills.length).toBeGreaterThan(0);
      expect(got).toEqual(want);
    }
    // No duplicates anywhere: one fill per filled order, one decision per bar, one equity point per bar.
    const [dups] = await env.sql<{ fills: number; decisions: number; equity: number }[]>`
      select (select count(*) from (select order_id from fills group by order_id having count(*) > 1) x)::int as fills,
             (select count(*) from (select session_id, clock from decisions group by 1, 2 having count(*) > 1) x)::int as decisions,
             (select count(*) from session_equity e join trading_sessions s on s.id = e.session_id where s.id in ${env.sql(crashed)})::int - ${total} as equity`;
    expect(dups).toEqual({ fills: 0, decisions: 0, equity: 0 });
  });

  it("on SIGTERM a worker stops at a bar boundary and queues the rest, which another worker picks up at once", { timeout: 60_000 }, async () => {
    const [id] = await createSessions("term");
    const first = await spawnWorker();
    while ((await env.sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${id!}`)[0]!.cursor < 5) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    first.kill("SIGTERM");
    await killed(first);
    expect(first.exitCode).toBe(0);
    const at = (await env.sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${id!}`)[0]!.cursor;
    const [queued] = await env.sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = 'session-run' and state = 'created' and data->>'sessionId' = ${id!}`;
    expect(queued!.n).toBe(1);
    const second = await spawnWorker();
    while ((await env.sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${id!}`)[0]!.cursor <= at) await new Promise((r) => setTimeout(r, 20));
    // Picked up without waiting for a heartbeat to lapse (10 s).
    expect(Date.now() - t0).toBeLessThan(9_000);
    expect((await waitForStatus(env.sql, id!, ["completed", "failed"], 60_000)).status).toBe("completed");
    second.kill("SIGTERM");
    await killed(second);
  });
});
