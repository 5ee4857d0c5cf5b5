import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { tradingDays } from "@/lib/market";
import { createUser, type TestUser } from "@/tests/support/database";
import { createModel, dayBars, freshSessionDatabase, seedBars, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { isTerminal, readSse } from "@/tests/support/sse-client";
import { createSession } from "./create";
import { EventHub } from "./event-hub";
import { openSessionEventStream } from "./event-stream";
import { getSessionDetail, listSessions, listSessionOrders } from "./read";

/**
 * 20 users, one session each, run concurrently by one worker while each user streams their own events:
 * nobody sees anything of anybody else's (events, accounts, SSE), and streams resume exactly.
 */
const days = tradingDays("2025-04-01", "2025-05-30");
const series = (base: number, drift: number) => days.map((_, i) => [base + drift * i + (i % 3), base + drift * i + ((i + 1) % 3)] as const);

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let worker: Worker;
let hub: EventHub;

beforeAll(async () => {
  env = await freshSessionDatabase("sessions_iso");
  await seedBars(env.db, dayBars(days, { AAA: series(100, 0.5), BBB: series(50, -0.2), CCC: series(20, 0.1) }));
  jobs = await testJobs(env.url);
  hub = new EventHub(env.url);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await hub?.close();
  await jobs?.stop();
  await env?.drop();
});

const strategies = ["buy-and-hold", "momentum", "mean-reversion", "random"];

describe("20 users at once", () => {
  it("keeps events, accounts and streams apart", async () => {
    const users: TestUser[] = [];
    const sessions: { user: TestUser; id: string; cash: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const user = await createUser(env.sql, `iso${i}`);
      users.push(user);
      const cash = String(10_000 + i * 1000);
      const modelId = await createModel(env.sql, user, { llm: `builtin:${strategies[i % 4]}`, startingCash: cash });
      const s = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: "2025-04-15", end: "2025-05-30", symbols: ["AAA", "BBB", "CCC"], settings: { seed: i } }, { db: env.db, jobs: jobs.jobs });
      sessions.push({ user, id: s.id, cash });
    }
    // Every user streams their own session from the start, before the worker runs anything.
    const streams = await Promise.all(sessions.map((s) => openSessionEventStream(s.user.ctx, s.id, { lastSeq: 0, hub, db: env.db })));
    const received = Promise.all(streams.map((stream) => readSse(stream, (e) => isTerminal(e))));
    worker = await startWorker({ url: env.url, concurrency: 20, sliceSeconds: 60, log: () => {} });
    const all = await received;

    for (const [i, s] of sessions.entries()) {
      const events = all[i]!;
      const stored = await env.sql<{ seq: number; type: string; payload: Record<string, unknown> }[]>`
        select seq::int, type, payload from session_events where session_id = ${s.id} order by seq`;
      // The stream is exactly the session's stored events, in order, none missing, none repeated.
      expect(events.map((e) => e.id)).toEqual(stored.map((e) => e.seq));
      expect(events.map((e) => e.data.payload)).toEqual(stored.map((e) => e.payload));
      expect(events.at(-1)!.data.payload.status).toBe("completed");
      // Every order and fill it announced is this session's.
      const orderIds = new Set((await listSessionOrders(s.user.ctx, s.id, { offset: 0, limit: 5000 }, env.db)).map((o) => o.id));
      for (const e of events.filter((x) => x.event === "order")) expect(orderIds.has(String(e.data.payload.id))).toBe(true);
      // The first equity point is this user's own starting cash.
      const firstEquity = events.find((e) => e.event === "equity")!;
      expect(Number(firstEquity.data.payload.equity)).toBeCloseTo(Number(s.cash), 0);
      // Listing shows only one's own session; another user's session answers like a missing one.
      expect((await listSessions(s.user.ctx, { limit: 50 }, env.db)).map((x) => x.id)).toEqual([s.id]);
      const other = sessions[(i + 1) % sessions.length]!;
      await expect(getSessionDetail(s.user.ctx, other.id, env.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(openSessionEventStream(s.user.ctx, other.id, { lastSeq: 0, hub, db: env.db })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const [accounts] = await env.sql<{ n: number }[]>`
      select count(*)::int as n from accounts a join trading_sessions s on s.id = a.session_id where a.user_id <> s.user_id or a.model_id <> s.model_id`;
    expect(accounts!.n).toBe(0);
  });

  it("resumes a stream after Last-Event-ID with exactly the events it missed", async () => {
    const user = await createUser(env.sql, "resume");
    const modelId = await createModel(env.sql, user, { llm: "builtin:momentum" });
    const s = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: "2025-04-15", end: "2025-05-30", symbols: ["AAA", "BBB", "CCC"] }, { db: env.db, jobs: jobs.jobs });
    // First connection: read the first 7 events, then drop.
    const first = await readSse(await openSessionEventStream(user.ctx, s.id, { lastSeq: 0, hub, db: env.db }), (_e, all) => all.length === 7);
    expect(first.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Reconnect mid-run with Last-Event-ID 7: 8, 9, … to the end, nothing before, nothing twice.
    const rest = await readSse(await openSessionEventStream(user.ctx, s.id, { lastSeq: 7, hub, db: env.db }), isTerminal);
    await waitForStatus(env.sql, s.id, ["completed"]);
    const [row] = await env.sql<{ last: number }[]>`select max(seq)::int as last from session_events where session_id = ${s.id}`;
    const last = row!.last;
    expect(rest.map((e) => e.id)).toEqual(Array.from({ length: last - 7 }, (_, i) => i + 8));
    // Reconnect after the end: the missed tail only.
    const tail = await readSse(await openSessionEventStream(user.ctx, s.id, { lastSeq: last - 2, hub, db: env.db }), (_e, all) => all.length === 2);
    expect(tail.map((e) => e.id)).toEqual([last - 1, last]);
    expect(hub.subscriberCount).toBe(0);
  });
});
