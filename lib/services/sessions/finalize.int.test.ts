import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Executor } from "@/lib/db/client";
import { adminSql, createUser, testDb, type TestUser } from "@/tests/support/database";
import { createTradingFixture, type TradingFixture } from "@/tests/support/trading-fixtures";
import { finalizeSession } from "./results";

/**
 * finalizeSession writes in one trip when nobody waits for a slot, and with the admission otherwise; only
 * the runner that holds the session with every bar recorded may finish it.
 */
const admin = adminSql();
const { db, client } = testDb(2);
let user: TestUser;
let f: TradingFixture;
let enqueued: string[];
const admission = () => ({ jobs: { enqueueRun: async (_tx: Executor, id: string) => void enqueued.push(id) } as never, concurrencyPerUser: 1 });

beforeEach(async () => {
  user = await createUser(admin, "finalize");
  f = await createTradingFixture(db, admin, user);
  enqueued = [];
  await admin`update trading_sessions set runner_id = 'runner-1', total_bars = 2, cursor = 2 where id = ${f.sessionId}`;
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

const finalize = (runnerId = "runner-1") => finalizeSession({ db, sessionId: f.sessionId, userId: user.id, claims: user.claims, runnerId, admission: admission() });
const statusOf = async (id: string) => (await admin<{ status: string; runner_id: string | null }[]>`select status, runner_id from trading_sessions where id = ${id}`)[0];
const statusEvents = (id: string) => admin<{ payload: { status: string } }[]>`select payload from session_events where session_id = ${id} and type = 'status'`;

describe("finalizeSession", () => {
  it("completes the runner's session: status, no runner, one status event", async () => {
    expect(await finalize()).toBe(true);
    expect(await statusOf(f.sessionId)).toEqual({ status: "completed", runner_id: null });
    expect((await statusEvents(f.sessionId)).map((e) => e.payload.status)).toEqual(["completed"]);
    expect(enqueued).toEqual([]);
  });

  it.each([
    ["another runner", "update trading_sessions set runner_id = 'runner-2'"],
    ["a pause", "update trading_sessions set status = 'paused'"],
    ["a bar still to record", "update trading_sessions set cursor = 1"],
  ])("is refused after %s: false, nothing written", async (_, change) => {
    await admin.unsafe(`${change} where id = $1`, [f.sessionId]);
    const before = await statusOf(f.sessionId);
    expect(await finalize()).toBe(false);
    expect(await statusOf(f.sessionId)).toEqual(before);
    expect(await statusEvents(f.sessionId)).toEqual([]);
  });

  it("hands the freed slot to the user's oldest queued session in the same transaction (pending, its job)", async () => {
    const queued = await createTradingFixture(db, admin, user);
    await admin`update trading_sessions set status = 'queued' where id = ${queued.sessionId}`;
    expect(await finalize()).toBe(true);
    expect(await statusOf(f.sessionId)).toMatchObject({ status: "completed" });
    expect(await statusOf(queued.sessionId)).toMatchObject({ status: "pending" });
    expect(enqueued).toEqual([queued.sessionId]);
  });

  it("with a queued session but not its own to finish: nothing written, nobody admitted", async () => {
    const queued = await createTradingFixture(db, admin, user);
    await admin`update trading_sessions set status = 'queued' where id = ${queued.sessionId}`;
    expect(await finalize("runner-2")).toBe(false);
    expect(await statusOf(queued.sessionId)).toMatchObject({ status: "queued" });
    expect(enqueued).toEqual([]);
  });
});
