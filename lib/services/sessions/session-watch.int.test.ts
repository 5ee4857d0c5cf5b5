import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase } from "@/tests/support/session-fixtures";
import { SessionWatch } from "./session-watch";

/**
 * The runner's stop signal: a status notification is checked against the row, so a late one (the
 * `pending` of the resume that queued this very job, a `paused` sent before that resume) stops nobody, and
 * a real pause, cancel or takeover stops the runner at once.
 */
let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let watch: SessionWatch;

beforeAll(async () => {
  env = await freshSessionDatabase("session_watch");
  watch = new SessionWatch(env.url);
  await watch.ready();
}, 60_000);

afterAll(async () => {
  await watch?.close();
  await env?.drop();
});

async function runningSession(runnerId: string): Promise<string> {
  const user = await createUser(env.sql, `watch-${runnerId}`);
  const modelId = await createModel(env.sql, user);
  const [s] = await env.sql<{ id: string }[]>`
    insert into trading_sessions (user_id, model_id, kind, interval, status, starting_cash, llm, instructions, runner_id)
    values (${user.id}, ${modelId}, 'backtest', 'day', 'running', 10000, 'builtin:buy-and-hold', '', ${runnerId}) returning id`;
  return s!.id;
}

const notify = (id: string, status: string) => env.sql`select pg_notify('session_control', ${`${id}:${status}`})`;
const settle = () => new Promise((r) => setTimeout(r, 300));

describe("SessionWatch", () => {
  it("stops nobody on a stale notification: the session still runs under the runner's token", async () => {
    const id = await runningSession("job-1:0");
    const w = watch.watch(id, "job-1:0");
    await notify(id, "pending");
    await notify(id, "paused");
    await settle();
    expect(w.signal.aborted).toBe(false);
    w.release();
  });

  it("stops the runner when its session is paused, and a runner whose token was replaced", async () => {
    const id = await runningSession("job-2:0");
    const old = watch.watch(id, "job-2:0");
    await env.sql`update trading_sessions set runner_id = 'job-3:0' where id = ${id}`;
    const current = watch.watch(id, "job-3:0");
    await notify(id, "pending");
    await settle();
    expect([old.signal.aborted, current.signal.aborted]).toEqual([true, false]);
    await env.sql`update trading_sessions set status = 'paused', runner_id = null where id = ${id}`;
    await notify(id, "paused");
    await settle();
    expect(current.signal.aborted).toBe(true);
    expect(String((current.signal.reason as Error).message)).toBe("the session is paused");
    old.release();
    current.release();
  });
});
