import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, createUser, testDb, type TestUser } from "@/tests/support/database";
import { createTradingFixture, type TradingFixture } from "@/tests/support/trading-fixtures";
import { claimSessionRun, readSessionRun } from "./session-run";

const admin = adminSql();
const { db, client } = testDb(2);
let a: TestUser;
let b: TestUser;
let fa: TradingFixture;

beforeAll(async () => {
  a = await createUser(admin, "a");
  b = await createUser(admin, "b");
  fa = await createTradingFixture(db, admin, a, { startingCash: "10000.123456" });
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

const setStatus = (status: string) => admin`update trading_sessions set status = ${status}::trading_session_status, runner_id = null where id = ${fa.sessionId}`;
const sessionRow = async () =>
  (await admin<{ status: string; runner_id: string | null; event_seq: string; started_at: Date | null }[]>`
    select status, runner_id, event_seq, started_at from trading_sessions where id = ${fa.sessionId}`)[0]!;
const statusEvents = () => admin<{ seq: string; payload: unknown }[]>`select seq, payload from session_events where session_id = ${fa.sessionId} and type = 'status' order by seq`;

describe("a runner's claim, one statement", () => {
  it("pending → running: the fence, started_at, one status event numbered by event_seq, one notification", async () => {
    await setStatus("pending");
    const before = await sessionRow();
    const heard: string[] = [];
    const listener = await admin.listen("session_control", (m) => heard.push(m));
    expect(await claimSessionRun(db, a.claims, { id: fa.sessionId, runnerId: "job-1:1" })).toEqual({ status: "pending", claimed: true });
    const after = await sessionRow();
    expect([after.status, after.runner_id, Number(after.event_seq)]).toEqual(["running", "job-1:1", Number(before.event_seq) + 1]);
    expect(after.started_at).not.toBeNull();
    const events = await statusEvents();
    expect(events.at(-1)).toEqual({ seq: after.event_seq, payload: { status: "running", from: "pending" } });
    await expect.poll(() => heard).toEqual([`${fa.sessionId}:running`]);
    await listener.unlisten();
  });

  it("running → taken over: the new fence, no event", async () => {
    const events = (await statusEvents()).length;
    const seq = (await sessionRow()).event_seq;
    expect(await claimSessionRun(db, a.claims, { id: fa.sessionId, runnerId: "job-1:2" })).toEqual({ status: "running", claimed: true });
    const after = await sessionRow();
    expect([after.runner_id, after.event_seq]).toEqual(["job-1:2", seq]);
    expect(await statusEvents()).toHaveLength(events);
  });

  it.each(["paused", "completed", "cancelled", "failed"])("a %s session is not claimed and not changed", async (status) => {
    await setStatus(status);
    const before = await sessionRow();
    expect(await claimSessionRun(db, a.claims, { id: fa.sessionId, runnerId: "job-2:1" })).toEqual({ status, claimed: false });
    expect(await sessionRow()).toEqual(before);
  });

  it("another user's claims see no session and change nothing", async () => {
    await setStatus("pending");
    const before = await sessionRow();
    expect(await claimSessionRun(db, b.claims, { id: fa.sessionId, runnerId: "job-3:1" })).toEqual({ status: null, claimed: false });
    expect(await sessionRow()).toEqual(before);
  });
});

describe("what a runner reads after its claim, one statement", () => {
  it("the session's settings, model, book (money exact, as text) and recorded calls from the cursor", async () => {
    const run = await readSessionRun(db, a.claims, { id: fa.sessionId });
    expect(run).toMatchObject({ modelId: fa.modelId, interval: "day", llm: "builtin:momentum", cursor: 0, replayOf: null });
    expect(run!.model).toMatchObject({ id: fa.modelId, userId: a.id });
    expect(run!.book).toMatchObject({ modelId: fa.modelId, cash: "10000.123456", positions: [], keys: [] });
    expect(run!.calls).toEqual([]);
  });

  it("reads nothing of another user's session", async () => {
    expect(await readSessionRun(db, b.claims, { id: fa.sessionId })).toBeUndefined();
  });
});
