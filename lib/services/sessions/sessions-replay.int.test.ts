import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { generateSyntheticBars } from "@/lib/market";
import { decide } from "@/lib/trading/decide";
import { SYNTHETIC_SEED } from "@/lib/services/market-data/synthetic-seed";
import { createUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase, runRecordOf, seedBars, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { controlSession } from "./control";
import { createSession } from "./create";
import type { DecideFn } from "@/lib/trading/run-bar";

/**
 * The e2e's minute replay (momentum, ten synthetic symbols, deciding every minute) paused the moment it
 * is created, then resumed, paused and resumed again, while another replay stores the minutes of an
 * earlier day: it must end exactly like an uninterrupted run of the same spec.
 */
const SYMBOLS = ["ZZSOLR", "ZZPETR", "ZZWIND", "ZZGRID", "ZZFUEL", "ZZBANK", "ZZVAUL", "ZZMEDI", "ZZCURA", "ZZGENO"];
const SPEC = { kind: "replay", day: "2025-06-10", decideEvery: 1 } as const;

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let worker: Worker;
/** A brake, so that a pause lands before the first job has run more than a bar or two. */
let delayMs = 0;
const testDecide: DecideFn = async (ctx, options) => {
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  return decide(ctx, options);
};

beforeAll(async () => {
  env = await freshSessionDatabase("sessions_replay");
  // Hour bars only, as the launcher stores them: minutes are made per day when a replay asks for them.
  await seedBars(env.db, generateSyntheticBars({ seed: SYNTHETIC_SEED, from: "2025-04-28", to: "2025-06-13", intervals: ["hour"], symbols: SYMBOLS }), "synthetic");
  jobs = await testJobs(env.url);
  worker = await startWorker({ url: env.url, concurrency: 4, sliceSeconds: 60, decide: testDecide, log: () => {} });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await jobs?.stop();
  await env?.drop();
});

const cursorOf = async (id: string) => (await env.sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${id}`)[0]!.cursor;

describe("a minute replay", () => {
  it("ends like an uninterrupted run however its jobs interleave with other replays' minutes", { timeout: 120_000 }, async () => {
    const user = await createUser(env.sql, "replay");
    const modelId = await createModel(env.sql, user, { llm: "builtin:momentum", startingCash: "25000" });
    const deps = { db: env.db, jobs: jobs.jobs };
    const straight = await createSession(user.ctx, { ...SPEC, modelId, symbols: SYMBOLS }, deps);
    expect((await waitForStatus(env.sql, straight.id, ["completed", "failed"])).status).toBe("completed");

    delayMs = 50;
    const s = await createSession(user.ctx, { ...SPEC, modelId, symbols: SYMBOLS }, deps);
    expect((await controlSession(user.ctx, s.id, "pause", deps)).status).toBe("paused");
    delayMs = 0;
    // Meanwhile someone replays an earlier day of three of the symbols: its minutes are stored.
    const other = await createUser(env.sql, "other");
    const early = await createSession(other.ctx, { kind: "replay", day: "2025-05-06", symbols: SYMBOLS.slice(0, 3), modelId: await createModel(env.sql, other) }, deps);
    await controlSession(other.ctx, early.id, "cancel", deps);

    await controlSession(user.ctx, s.id, "resume", deps);
    while ((await cursorOf(s.id)) < 30) await new Promise((r) => setTimeout(r, 20));
    await controlSession(user.ctx, s.id, "pause", deps);
    await controlSession(user.ctx, s.id, "resume", deps);
    expect((await waitForStatus(env.sql, s.id, ["completed", "failed"])).status).toBe("completed");

    const [a, b] = await Promise.all([runRecordOf(env.sql, straight.id), runRecordOf(env.sql, s.id)]);
    expect(a.equity).toHaveLength(390);
    expect(a.fills.length).toBeGreaterThan(100);
    expect({ ...b, events: undefined }).toEqual({ ...a, events: undefined });
    // The history is the minutes of the days before, made when the runner first claims the session: momentum ranks from the first bar.
    expect(a.decisions[0]).toMatchObject({ outcome: "traded" });
  });
});
