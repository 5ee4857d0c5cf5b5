/**
 * `npm run bench:llm`: N backtest sessions (default 500) of an LLM model, 10 daily bars each, against a fake
 * OpenAI-compatible server started here that answers every chat completion after a fixed latency (default
 * 2000 ms): a bar's first call gets a tool call (`buy` 1 share of the universe's first symbol: a trade, so
 * the bar places an order and a fill as a real one would), its second the final answer. 20 users, a model
 * per session (all `compatible:bench-model`; the instructions name the session to the fake server), 5
 * synthetic symbols. Worker processes run as `npm start` runs them: as many, with this environment and
 * otherwise the default configuration (WORKER_LLM_CONCURRENCY, pool sizes), only SESSION_CONCURRENCY_PER_USER
 * raised to N so that no session waits queued. What it shows: how much of the time a session waits for
 * its model is spent waiting for anything else.
 *
 *   wall_s       first worker process ready → last session completed, the paused ones (below) left out. The
 *                sessions are created (pending, with their jobs) before the workers start, so neither
 *                creating them nor starting Node counts.
 *   ideal_s      bars × 2 model calls × latency: a session's own time if nothing else waited
 *   efficiency   ideal_s / wall_s
 *   max_inflight the most chat completions the fake server was answering at once
 *   max_db_connections_per_process  the most backends of one worker process, sampled from pg_stat_activity
 *                every 100 ms: each process gets its own `application_name` in DATABASE_URL
 *                (`?application_name=bullpen-worker-<i>`; postgres.js and pg take it from the URL over their
 *                defaults, so the bars' pool, pg-boss's pool and its LISTEN connection all carry it)
 *   max_tx_ms    the oldest open transaction (clock_timestamp() − xact_start, non-idle backends) of any
 *                worker process over the same samples, pg-boss's own included (the summary names its
 *                statement). Sampled: a lower bound, within 100 ms. The bench's own "web" connections
 *                (creates, pauses, resumes) are reported apart.
 *   pause_p95_ms the sample's p95 (nearest rank) of the time controlSession(pause), the function the UI and
 *                the API call, takes to return with the session `paused`; each pause is sent the moment the
 *                session's first model call of its middle bar reaches the server (the model is thinking).
 *                The session then stays paused for two model calls (a bar committing after its pause is
 *                counted: should be 0) and is resumed. These sessions are measured in the same run, under
 *                the same load, and left out of wall_s.
 *
 * Starts its own embedded PostgreSQL in a temp dir. Options: --sessions 500 --latency 2000 (ms) --bars 10
 * --pause-sample 20 --workers n (default: as many as npm start runs, lib/jobs/worker-processes.ts).
 * Prints a summary, then one JSON line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { startBoss } from "@/lib/jobs/boss";
import { createSessionJobs } from "@/lib/jobs/session-jobs";
import { workerProcessCount } from "@/lib/jobs/worker-processes";
import { SYNTHETIC_INSTRUMENTS, tradingDays } from "@/lib/market";
import type { UserContext } from "@/lib/services/context";
import { ensureMarketData } from "@/lib/services/market-data/synthetic-seed";
import { controlSession } from "@/lib/services/sessions/control";
import { createSessions, MAX_SESSIONS_AT_ONCE, type SessionServiceDeps } from "@/lib/services/sessions/create";

const { values: args } = parseArgs({
  options: {
    sessions: { type: "string", default: "500" },
    latency: { type: "string", default: "2000" },
    bars: { type: "string", default: "10" },
    "pause-sample": { type: "string", default: "20" },
    workers: { type: "string" },
  },
});
const SESSIONS = Number(args.sessions);
const LATENCY_MS = Number(args.latency);
const BARS = Number(args.bars);
const PAUSE_SAMPLE = Math.min(Number(args["pause-sample"]), SESSIONS);
const WORKERS = args.workers === undefined ? workerProcessCount(env.WORKER_PROCESSES) : Number(args.workers);
const CALLS_PER_BAR = 2;
const USERS = 20;
const SYMBOLS = SYNTHETIC_INSTRUMENTS.slice(0, 5).map((i) => i.symbol);
const DAYS = tradingDays("2025-03-03", "2025-12-31").slice(0, BARS);
/** The bar whose first model call a probed session is paused in. */
const PAUSE_BAR = Math.floor(BARS / 2);
const log = (m: string) => console.error(m);

/** The database URL with a connection label, so pg_stat_activity tells the processes apart. */
function labelled(url: string, applicationName: string): string {
  const u = new URL(url);
  u.searchParams.set("application_name", applicationName);
  return u.toString();
}

/** Nearest-rank percentile of an ascending list. */
const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

interface FakeLlm {
  origin: string;
  calls: number;
  inflight: number;
  maxInflight: number;
  close(): void;
}

/**
 * The OpenAI-compatible server: POST /v1/chat/completions, non-streaming (the decision loop calls
 * generateText; a streaming request is refused so that a change there shows). Each conversation is a bar's:
 * with no tool result in it yet the answer is a `buy` tool call, else the final text. The session is known
 * by its model's instructions ("Bench session <i>"); `onFirstCall(session, bar)` is called as a bar's first
 * call arrives.
 */
async function startFakeLlm(onFirstCall: (session: number, bar: number) => void): Promise<FakeLlm> {
  const firstCalls = new Map<number, number>();
  let toolCallIds = 0;
  const json = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

  const answer = async (request: { model: string; stream?: boolean; messages: { role: string }[] }, res: http.ServerResponse) => {
    llm.calls++;
    llm.maxInflight = Math.max(llm.maxInflight, ++llm.inflight);
    try {
      if (request.stream) return json(res, 400, { error: { message: "bench:llm's server does not stream" } });
      const text = JSON.stringify(request.messages);
      const session = Number(/Bench session (\d+)/.exec(text)?.[1] ?? -1);
      const first = !request.messages.some((m) => m.role === "tool");
      if (first) {
        const bar = firstCalls.get(session) ?? 0;
        firstCalls.set(session, bar + 1);
        onFirstCall(session, bar);
      }
      await sleep(LATENCY_MS);
      const symbol = /Universe: ([A-Z0-9.]+)/.exec(text)?.[1] ?? SYMBOLS[0]!;
      // Tool-call ids must differ across a session's bars: an order's key is `<session>:<tool-call id>`.
      const message = first
        ? { content: null, tool_calls: [{ id: `call_${++toolCallIds}`, type: "function", function: { name: "buy", arguments: JSON.stringify({ symbol, quantity: 1 }) } }] }
        : { content: `Bought 1 ${symbol}.` };
      json(res, 200, {
        id: `chatcmpl-${llm.calls}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: first ? "tool_calls" : "stop" }],
        usage: { prompt_tokens: Math.ceil(text.length / 4), completion_tokens: 12, total_tokens: Math.ceil(text.length / 4) + 12 },
      });
    } finally {
      llm.inflight--;
    }
  };

  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/v1/models") return json(res, 200, { object: "list", data: [{ id: "bench-model", object: "model", owned_by: "bench" }] });
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") return json(res, 404, { error: { message: `no ${req.method} ${req.url} here` } });
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => void answer(JSON.parse(body), res).catch((err: unknown) => json(res, 500, { error: { message: String(err) } })));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const llm: FakeLlm = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: 0,
    inflight: 0,
    maxInflight: 0,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
  return llm;
}

interface Activity {
  maxPerProcess: number;
  /** The most backends of each worker process. */
  maxOf: Record<string, number>;
  maxTx: { ms: number; app: string; state: string; wait: string; query: string };
  maxWebTxMs: number;
}

/** Samples pg_stat_activity every 100 ms until `stopped()`: connections per worker process and the oldest transactions. */
async function sampleActivity(sql: postgres.Sql, stopped: () => boolean): Promise<Activity> {
  const a: Activity = { maxPerProcess: 0, maxOf: {}, maxTx: { ms: 0, app: "", state: "", wait: "", query: "" }, maxWebTxMs: 0 };
  while (!stopped()) {
    const rows = await sql<{ app: string; state: string | null; wait: string | null; query: string; tx_ms: number | null }[]>`
      select application_name as app, state, query, wait_event_type || ':' || wait_event as wait,
             (extract(epoch from clock_timestamp() - xact_start) * 1000)::float8 as tx_ms
      from pg_stat_activity
      where backend_type = 'client backend' and (application_name like 'bullpen-worker-%' or application_name = 'bench-web')`;
    const perProcess: Record<string, number> = {};
    for (const r of rows) {
      if (r.app === "bench-web") {
        if (r.state !== "idle" && r.tx_ms !== null) a.maxWebTxMs = Math.max(a.maxWebTxMs, r.tx_ms);
        continue;
      }
      perProcess[r.app] = (perProcess[r.app] ?? 0) + 1;
      if (r.state !== "idle" && r.tx_ms !== null && r.tx_ms > a.maxTx.ms) a.maxTx = { ms: r.tx_ms, app: r.app, state: r.state ?? "", wait: r.wait ?? "none", query: r.query };
    }
    for (const [app, n] of Object.entries(perProcess)) a.maxOf[app] = Math.max(a.maxOf[app] ?? 0, n);
    a.maxPerProcess = Math.max(a.maxPerProcess, ...Object.values(perProcess));
    await sleep(100);
  }
  return a;
}

/** Spawns a worker process as the launcher does; resolves when it says it is ready. */
function startWorkerProcess(i: number, workerEnv: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: workerEnv,
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`worker ${i} exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("[worker] ready")) resolve();
      else log(`[worker ${i}] ${line}`);
    });
  });
  return { child, ready };
}

interface PauseResult {
  ms: number;
  /** Bars the session committed between its pause returning and its resume: should be 0. */
  barsWhilePaused: number;
}

interface BenchSession {
  index: number;
  id: string;
  ctx: UserContext;
}

async function main() {
  if (DAYS.length !== BARS || PAUSE_BAR < 1) throw new Error(`--bars must be from 2 to ${tradingDays("2025-03-03", "2025-12-31").length}`);
  const t0 = performance.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), "bullpen-bench-llm-"));
  const server = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
  await migrateDatabase(server.url);
  const webUrl = labelled(server.url, "bench-web");
  // Sized so that the paused sessions' pauses never wait for a connection of the bench's own.
  const { db, client } = createDb(webUrl, PAUSE_SAMPLE + 4);
  await ensureMarketData(db);
  const sql = postgres(labelled(server.url, "bench-sampler"), { max: 2, onnotice: () => {} });
  log(`setup: database and synthetic market in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Users, one model per session (its instructions name it to the fake server), the sessions: all pending.
  const users: UserContext[] = [];
  for (let u = 0; u < Math.min(USERS, SESSIONS); u++) {
    const [row] = await sql<{ id: string }[]>`insert into auth.users (email) values (${`bench-llm-${u}-${randomUUID().slice(0, 6)}@example.com`}) returning id`;
    users.push({ userId: row!.id, claims: { sub: row!.id, role: "authenticated" } });
  }
  const boss = await startBoss(webUrl, { supervise: false, max: 2 });
  const deps: SessionServiceDeps = { db, jobs: createSessionJobs(boss), concurrencyPerUser: SESSIONS, sessionLimit: null };
  const sessions: BenchSession[] = [];
  const tCreate = performance.now();
  for (const [u, ctx] of users.entries()) {
    const mine = Array.from({ length: SESSIONS }, (_, i) => i).filter((i) => i % users.length === u);
    for (let from = 0; from < mine.length; from += MAX_SESSIONS_AT_ONCE) {
      const batch = mine.slice(from, from + MAX_SESSIONS_AT_ONCE);
      const models = await sql<{ id: string; signature: string }[]>`
        insert into models ${sql(batch.map((i) => ({ user_id: ctx.userId, name: `Bench ${i}`, signature: `bench-${i}`, llm: "compatible:bench-model", instructions: `Bench session ${i}.`, starting_cash: "100000" })))}
        returning id, signature`;
      const modelOf = new Map(models.map((m) => [m.signature, m.id]));
      const inputs = batch.map((i) => ({ modelId: modelOf.get(`bench-${i}`), kind: "backtest", interval: "day", start: DAYS[0], end: DAYS.at(-1), symbols: SYMBOLS }));
      const created = await createSessions(ctx, inputs, deps);
      created.forEach((s, k) => sessions.push({ index: batch[k]!, id: s.id, ctx }));
    }
  }
  const [counts] = await sql<{ pending: number; bars: number }[]>`
    select count(*) filter (where status = 'pending')::int as pending, min(total_bars)::int as bars from trading_sessions`;
  if (counts!.pending !== SESSIONS || counts!.bars !== BARS) throw new Error(`expected ${SESSIONS} pending sessions of ${BARS} bars, got ${JSON.stringify(counts)}`);
  log(`created ${SESSIONS} sessions of ${BARS} day bars (${DAYS[0]} to ${DAYS.at(-1)}) for ${users.length} users in ${((performance.now() - tCreate) / 1000).toFixed(1)} s`);

  // The pause probe: sessions spread over the list, each paused once as its model thinks in bar PAUSE_BAR.
  const probes = new Map<number, { session: BenchSession; result?: Promise<PauseResult> }>();
  for (let j = 0; j < PAUSE_SAMPLE; j++) {
    const s = sessions[Math.floor(((j + 0.5) * SESSIONS) / PAUSE_SAMPLE)]!;
    probes.set(s.index, { session: s });
  }
  const probeIds = new Set([...probes.values()].map((p) => p.session.id));
  const probePause = async (s: BenchSession): Promise<PauseResult> => {
    const t = performance.now();
    const paused = await controlSession(s.ctx, s.id, "pause", deps);
    const ms = performance.now() - t;
    if (paused.status !== "paused") throw new Error(`pause returned ${paused.status}`);
    await sleep(CALLS_PER_BAR * LATENCY_MS);
    const [now] = await sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${s.id}`;
    await controlSession(s.ctx, s.id, "resume", deps);
    return { ms, barsWhilePaused: now!.cursor - paused.cursor };
  };
  const llm = await startFakeLlm((session, bar) => {
    const probe = probes.get(session);
    if (probe && bar === PAUSE_BAR) probe.result = probePause(probe.session);
  });

  // Go: sample the database, start the workers; the clock starts when the first one is ready.
  let sampling = true;
  const activity = sampleActivity(sql, () => !sampling);
  const load0 = os.loadavg();
  const tSpawn = performance.now();
  const workers = Array.from({ length: WORKERS }, (_, i) =>
    startWorkerProcess(i, {
      ...process.env,
      DATABASE_URL: labelled(server.url, `bullpen-worker-${i}`),
      COMPATIBLE_BASE_URL: `${llm.origin}/v1`,
      SESSION_CONCURRENCY_PER_USER: String(SESSIONS),
    }),
  );
  await Promise.race(workers.map((w) => w.ready));
  const tStart = performance.now();
  await Promise.all(workers.map((w) => w.ready));
  log(`workers: first ready ${((tStart - tSpawn) / 1000).toFixed(1)} s after the spawn, all ${((performance.now() - tSpawn) / 1000).toFixed(1)} s`);

  let wallS: number | undefined;
  let progress = performance.now();
  for (;;) {
    const open = await sql<{ id: string }[]>`select id from trading_sessions where status not in ('completed', 'failed', 'cancelled')`;
    const now = performance.now();
    if (wallS === undefined && open.every((r) => probeIds.has(r.id))) wallS = (now - tStart) / 1000;
    if (open.length === 0) break;
    if (now - progress > 30_000) {
      progress = now;
      log(`${((now - tStart) / 1000).toFixed(0)} s: ${SESSIONS - open.length}/${SESSIONS} sessions done, ${llm.calls} model calls, ${llm.inflight} in flight`);
    }
    await sleep(100);
  }
  const allS = (performance.now() - tStart) / 1000;
  sampling = false;
  const act = await activity;
  const load1 = os.loadavg();
  const pauses = await Promise.allSettled([...probes.values()].map((p) => p.result ?? Promise.reject(new Error("never reached its pause bar"))));

  const [stats] = await sql<{ completed: number; failed: number; decisions: number; traded: number; failed_decisions: number; fills: number }[]>`
    select (select count(*) from trading_sessions where status = 'completed')::int as completed,
           (select count(*) from trading_sessions where status = 'failed')::int as failed,
           (select count(*) from decisions)::int as decisions,
           (select count(*) from decisions where outcome = 'traded')::int as traded,
           (select count(*) from decisions where outcome = 'failed')::int as failed_decisions,
           (select count(*) from fills)::int as fills`;
  const problems = await sql<{ error: string; n: number }[]>`
    select coalesce(error, error_code) as error, count(*)::int as n from decisions where outcome = 'failed' group by 1
    union all select error, count(*)::int from trading_sessions where status = 'failed' group by 1 order by 2 desc limit 5`;

  // Stopped before the summary, so that what they log on the way out comes before the JSON line.
  for (const { child } of workers) child.kill("SIGTERM");
  await Promise.all(workers.map(({ child }) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : null)));

  const idealS = (BARS * CALLS_PER_BAR * LATENCY_MS) / 1000;
  const wall = wallS ?? allS;
  const pauseMs = pauses.flatMap((p) => (p.status === "fulfilled" ? [p.value.ms] : [])).sort((a, b) => a - b);
  const pauseErrors = pauses.flatMap((p) => (p.status === "rejected" ? [String(p.reason)] : []));
  const barsWhilePaused = pauses.reduce((n, p) => n + (p.status === "fulfilled" ? p.value.barsWhilePaused : 0), 0);

  console.log(`PostgreSQL ${(await sql`show server_version`)[0]!.server_version}, ${os.cpus().length} CPUs, node ${process.version}`);
  console.log(
    `${SESSIONS} sessions × ${BARS} day bars × ${CALLS_PER_BAR} model calls of ${LATENCY_MS} ms (buy 1, then answer), ${users.length} users; ` +
      `workers: ${WORKERS} processes × WORKER_LLM_CONCURRENCY ${env.WORKER_LLM_CONCURRENCY} (pool ${env.WORKER_POOL_SIZE} + pg-boss 4 + 1 LISTEN), SESSION_CONCURRENCY_PER_USER ${SESSIONS}`,
  );
  console.log(`completed ${stats!.completed}, failed ${stats!.failed}; ${stats!.decisions} decisions (${stats!.traded} traded, ${stats!.failed_decisions} failed), ${stats!.fills} fills`);
  for (const p of problems) console.log(`  ${p.n}× ${p.error}`);
  console.log(`model calls ${llm.calls} (expected ${SESSIONS * BARS * CALLS_PER_BAR}), at most ${llm.maxInflight} in flight`);
  console.log(
    `wall ${wall.toFixed(1)} s without the ${probes.size} paused sessions (${allS.toFixed(1)} s with them) against ideal ${idealS.toFixed(1)} s: efficiency ${(idealS / wall).toFixed(3)}`,
  );
  console.log(`database connections per worker process, at most ${act.maxPerProcess}: ${Object.entries(act.maxOf).sort().map(([app, n]) => `${app} ${n}`).join(", ")}`);
  console.log(`longest transaction of a worker: ${act.maxTx.ms.toFixed(0)} ms (${act.maxTx.app}, ${act.maxTx.state}, waiting on ${act.maxTx.wait}: ${act.maxTx.query.replace(/\s+/g, " ").slice(0, 100)})`);
  console.log(`longest transaction of the bench's own "web" connections (creates, pauses, resumes): ${act.maxWebTxMs.toFixed(0)} ms`);
  console.log(
    `pause → paused over ${pauseMs.length} sessions: p50 ${percentile(pauseMs, 50).toFixed(0)} ms, p95 ${percentile(pauseMs, 95).toFixed(0)} ms, max ${(pauseMs.at(-1) ?? NaN).toFixed(0)} ms; ` +
      `bars committed while paused: ${barsWhilePaused}${pauseErrors.length ? `; failed: ${pauseErrors.join("; ")}` : ""}`,
  );
  console.log(`load average before ${load0.map((l) => l.toFixed(1)).join(", ")}, after ${load1.map((l) => l.toFixed(1)).join(", ")}`);
  console.log(
    JSON.stringify({
      sessions: SESSIONS,
      latency_ms: LATENCY_MS,
      wall_s: Number(wall.toFixed(2)),
      ideal_s: idealS,
      efficiency: Number((idealS / wall).toFixed(3)),
      max_inflight: llm.maxInflight,
      max_db_connections_per_process: act.maxPerProcess,
      max_tx_ms: Math.round(act.maxTx.ms),
      pause_p95_ms: pauseMs.length ? Math.round(percentile(pauseMs, 95)) : null,
      bars: BARS,
      workers: WORKERS,
      model_calls: llm.calls,
    }),
  );

  llm.close();
  await boss.stop({ graceful: false, timeout: 1000 });
  await sql.end();
  await client.end();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
