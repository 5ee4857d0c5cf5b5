/**
 * `npm run bench:sessions`: 100 sessions of built-in models (buy-and-hold, momentum, mean-reversion,
 * random, 25 each, 20 users) replay the same 390-minute day of the synthetic market, deciding every
 * minute, concurrently, with every event persisted and streamed: one Server-Sent Events client per session
 * (over HTTP, through the same stream code as GET /api/v1/sessions/:id/events and one shared LISTEN).
 *
 *   wall_s           workers started → last session completed (sessions and streams are set up before the clock starts)
 *   decisions_per_s  decisions / wall_s
 *   p95_event_lag_ms commit of an event's transaction (pg_xact_commit_timestamp) → received by its SSE client
 *   baseline_bare_tx_s the baseline, before the workers start: as many bare single-row INSERT transactions as
 *                    there are bars, the sessions' count of them at a time (what the bars' commits alone cost)
 *
 * Starts its own embedded PostgreSQL (track_commit_timestamp on) in a temp dir. Options:
 *   --sessions 100  --symbols 5
 *   --workers n    (worker processes, like `npm run worker`; default: as many as `npm start` runs here, one per
 *                   core up to 4; 0: in this process)
 *   --concurrency <sessions per worker process> (default: all of them)
 *   --nice 10      (worker processes at a lower CPU priority than this process, the web server's part: the streams)
 *   --decide none  (bars without a model decision: what the runner, events and SSE cost on their own)
 *   --statements   (also print the statements PostgreSQL spent the most time on, from pg_stat_statements)
 * Prints a summary (with the CPU PostgreSQL and Node spent per bar: what bounds it), then one JSON line.
 * Results and what bounds them: docs/sessions.md, "Performance".
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { startBoss } from "@/lib/jobs/boss";
import { createSessionJobs } from "@/lib/jobs/session-jobs";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { workerProcessCount } from "@/lib/jobs/worker-processes";
import { SYNTHETIC_INSTRUMENTS } from "@/lib/market";
import { ensureMarketData } from "@/lib/services/market-data/synthetic-seed";
import { createSession } from "@/lib/services/sessions/create";
import { EventHub } from "@/lib/services/sessions/event-hub";
import { openSessionEventStream } from "@/lib/services/sessions/event-stream";

const { values: args } = parseArgs({
  options: {
    sessions: { type: "string", default: "100" },
    symbols: { type: "string", default: "5" },
    /** Worker processes; default: as many as npm start runs here (lib/jobs/worker-processes.ts). */
    workers: { type: "string" },
    concurrency: { type: "string" },
    day: { type: "string", default: "2025-03-04" },
    /** "none": bars without a model decision (in-process only): what the runner, events and SSE cost alone. */
    decide: { type: "string", default: "builtin" },
    /** Run worker processes at this niceness (the web server, SSE here, comes first; as in a deployment). */
    nice: { type: "string", default: "10" },
    /** Print the statements that cost PostgreSQL the most (pg_stat_statements). */
    statements: { type: "boolean", default: false },
  },
});
const SESSIONS = Number(args.sessions);
const SYMBOLS = SYNTHETIC_INSTRUMENTS.slice(0, Number(args.symbols)).map((i) => i.symbol);
const WORKERS = args.workers === undefined ? workerProcessCount(undefined) : Number(args.workers);
const CONCURRENCY = Number(args.concurrency ?? Math.ceil(SESSIONS / Math.max(1, WORKERS)));
const DAY = args.day!;
const USERS = 20;
const STRATEGIES = ["buy-and-hold", "momentum", "mean-reversion", "random"];
const log = (m: string) => console.error(m);

async function database() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bullpen-bench-sessions-"));
  const flags = [
    ...["-c", "track_commit_timestamp=on"],
    ...(args.statements ? ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track_planning=on"] : []),
  ];
  const server = await startEmbeddedPostgres({ dataDir: dir, persistent: false, flags });
  return {
    dataDir: path.join(dir, "postgres"),
    url: server.url,
    async close() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds (user + system) of a process, from /proc (Linux); 0 when it is gone. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return 0;
  }
}

/** The PostgreSQL server's processes: the postmaster of `dataDir` and its children. */
function postgresPids(dataDir: string): number[] {
  try {
    const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const children = readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, "utf8");
          return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [postmaster, ...children];
  } catch {
    return [];
  }
}

interface Received {
  seq: number;
  at: number;
}

/** A minimal EventSource: reads `id:` lines and the time each event arrived. */
async function readEvents(url: string, received: Received[], until: (type: string, data: string) => boolean, signal: AbortSignal) {
  const res = await fetch(url, { signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const now = performance.timeOrigin + performance.now();
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let id = -1;
      let type = "";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("id: ")) id = Number(line.slice(4));
        else if (line.startsWith("event: ")) type = line.slice(7);
        else if (line.startsWith("data: ")) data = line.slice(6);
      }
      if (id < 0) continue;
      received.push({ seq: id, at: now });
      if (until(type, data)) {
        await reader.cancel();
        return;
      }
    }
  }
}

/** Wall seconds for `lanes` clients each committing `each` single-row INSERT transactions in turn. */
async function bareTransactions(url: string, lanes: number, each: number): Promise<number> {
  const bare = postgres(url, { max: 20, onnotice: () => {} });
  await bare`create table bench_bare (id bigserial primary key, lane int not null, n int not null)`;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let n = 0; n < each; n++) await bare.begin((tx) => tx`insert into bench_bare (lane, n) values (${lane}, ${n})`);
    }),
  );
  const s = (performance.now() - t) / 1000;
  await bare`drop table bench_bare`;
  await bare.end();
  return s;
}

async function main() {
  const t0 = performance.now();
  const server = await database();
  const { url } = server;
  await migrateDatabase(url);
  const { db, client } = createDb(url, 20);
  await ensureMarketData(db);
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  log(`setup: database and synthetic market in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Users and models.
  const users: { id: string; claims: { sub: string; role: string } }[] = [];
  for (let u = 0; u < USERS; u++) {
    const [row] = await sql<{ id: string }[]>`insert into auth.users (email) values (${`bench-${u}-${randomUUID().slice(0, 6)}@example.com`}) returning id`;
    users.push({ id: row!.id, claims: { sub: row!.id, role: "authenticated" } });
  }
  const boss = await startBoss(url, { supervise: false, max: 4 });
  const jobs = createSessionJobs(boss);
  const sessions: { id: string; userId: string; claims: { sub: string; role: string } }[] = [];
  const tCreate = performance.now();
  for (let i = 0; i < SESSIONS; i++) {
    const user = users[i % USERS]!;
    const strategy = STRATEGIES[i % STRATEGIES.length]!;
    const [model] = await sql<{ id: string }[]>`
      insert into models (user_id, name, signature, llm, starting_cash) values (${user.id}, ${`Bench ${i}`}, ${`bench-${i}`}, ${`builtin:${strategy}`}, '100000') returning id`;
    const s = await createSession(
      { userId: user.id, claims: user.claims },
      { modelId: model!.id, kind: "replay", day: DAY, decideEvery: 1, symbols: SYMBOLS, settings: { seed: i } },
      { db, jobs, concurrencyPerUser: SESSIONS, sessionLimit: null },
    );
    sessions.push({ id: s.id, userId: user.id, claims: user.claims });
  }
  const totalBars = (await sql<{ n: number }[]>`select sum(total_bars)::int as n from trading_sessions`)[0]!.n;
  log(`created ${SESSIONS} sessions (${totalBars} bars) in ${((performance.now() - tCreate) / 1000).toFixed(1)} s`);

  // One SSE client per session, through the same stream code the route uses, over HTTP.
  const hub = new EventHub(url);
  const httpServer = http.createServer(async (req, res) => {
    const m = /^\/sessions\/([^/]+)\/events$/.exec(new URL(req.url!, "http://x").pathname);
    const s = sessions.find((x) => x.id === m?.[1]);
    if (!s) return void res.writeHead(404).end();
    const abort = new AbortController();
    req.on("close", () => abort.abort());
    const stream = await openSessionEventStream({ userId: s.userId, claims: s.claims }, s.id, { lastSeq: 0, signal: abort.signal, hub, db });
    res.writeHead(200, { "content-type": "text/event-stream" });
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      res.write(value);
    }
    res.end();
  });
  await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const clientAbort = new AbortController();
  const receivedBySession = new Map<string, Received[]>();
  const finished = sessions.map((s) => {
    const received: Received[] = [];
    receivedBySession.set(s.id, received);
    return readEvents(`${origin}/sessions/${s.id}/events`, received, (type, data) => type === "status" && /"status":"(completed|failed|cancelled)"/.test(data), clientAbort.signal);
  });
  while (hub.subscriberCount < SESSIONS) await new Promise((r) => setTimeout(r, 20));

  // The baseline, in the same run on the same database: one bare single-row INSERT transaction per bar,
  // the sessions' count of them at once, each session's in order. What the bars' commits alone cost here.
  const bareS = await bareTransactions(url, SESSIONS, totalBars / SESSIONS);
  log(`baseline: ${totalBars} bare single-row INSERT transactions, ${SESSIONS} at a time: ${bareS.toFixed(2)} s`);

  if (args.statements) {
    await sql`create extension if not exists pg_stat_statements`;
    await sql`select pg_stat_statements_reset()`;
  }
  // Go: the workers start now.
  const pgPids = postgresPids(server.dataDir);
  const pgCpu0 = pgPids.reduce((a, p) => a + cpuSecondsOf(p), 0);
  const nodeCpu0 = process.cpuUsage();
  const tStart = performance.now();
  let inProcess: Worker | null = null;
  const children: ChildProcess[] = [];
  if (WORKERS === 0) {
    const decide = args.decide === "none" ? async () => ({ decision: null as never, orders: [] }) : undefined;
    inProcess = await startWorker({ url, concurrency: CONCURRENCY, sliceSeconds: 600, decide, log: () => {} });
  } else {
    for (let w = 0; w < WORKERS; w++) {
      children.push(
        spawn("nice", ["-n", args.nice!, process.execPath, "--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
          stdio: ["ignore", "ignore", "inherit"],
          env: { ...process.env, DATABASE_URL: url, WORKER_CONCURRENCY: String(CONCURRENCY), SESSION_SLICE_SECONDS: "600" },
        }),
      );
    }
  }
  await Promise.all(finished);
  const wallS = (performance.now() - tStart) / 1000;
  // CPU used during the run: PostgreSQL (the backends that stayed connected), this process, worker processes.
  const pgCpu = postgresPids(server.dataDir).reduce((a, p) => a + cpuSecondsOf(p), 0) - pgCpu0;
  const used = process.cpuUsage(nodeCpu0);
  const benchCpu = (used.user + used.system) / 1e6;
  const workerCpu = children.reduce((a, c) => a + cpuSecondsOf(c.pid!), 0);

  const [stats] = await sql<{ completed: number; failed: number; decisions: number; fills: number; events: number }[]>`
    select (select count(*) from trading_sessions where status = 'completed')::int as completed,
           (select count(*) from trading_sessions where status = 'failed')::int as failed,
           (select count(*) from decisions)::int as decisions,
           (select count(*) from fills)::int as fills,
           (select count(*) from session_events)::int as events`;
  // Lag: commit time of each event's transaction → when its client read it.
  const commits = await sql<{ session_id: string; seq: number; committed: number }[]>`
    select session_id, seq::int, extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000 as committed from session_events`;
  const commitOf = new Map(commits.map((c) => [`${c.session_id}:${c.seq}`, Number(c.committed)]));
  const lags: number[] = [];
  let missing = 0;
  for (const [id, received] of receivedBySession) {
    const seqs = received.map((r) => r.seq);
    const expected = commits.filter((c) => c.session_id === id).length;
    if (seqs.length !== expected || seqs.some((s, i) => s !== i + 1)) missing++;
    for (const r of received) {
      const c = commitOf.get(`${id}:${r.seq}`);
      if (c !== undefined && r.seq > 1) lags.push(r.at - c);
    }
  }
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))] ?? NaN;

  console.log(`PostgreSQL ${(await sql`show server_version`)[0]!.server_version}, ${os.cpus().length} CPUs, node ${process.version}`);
  console.log(
    `${SESSIONS} sessions × ${totalBars / SESSIONS} minute bars, universe ${SYMBOLS.length} synthetic symbols (${SYMBOLS.join(", ")}), ` +
      `workers: ${WORKERS === 0 ? "1 in this process" : `${WORKERS} processes (nice ${args.nice})`} × ${CONCURRENCY} sessions`,
  );
  console.log(`completed ${stats!.completed}, failed ${stats!.failed}; ${stats!.decisions} decisions, ${stats!.fills} fills, ${stats!.events} events`);
  console.log(`wall ${wallS.toFixed(1)} s, ${(stats!.decisions / wallS).toFixed(0)} decisions/s, ${(totalBars / wallS).toFixed(0)} bars/s`);
  console.log(`event lag (commit → SSE client) over ${lags.length} events: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${lags.at(-1)?.toFixed(1)} ms`);
  console.log(`SSE streams gap-free and complete: ${SESSIONS - missing}/${SESSIONS}`);
  const perBar = (x: number) => ((x * 1000) / totalBars).toFixed(2);
  console.log(
    `CPU during the run: PostgreSQL ${pgCpu.toFixed(1)} s, ${WORKERS === 0 ? "this process (worker + SSE)" : `this process (SSE) ${benchCpu.toFixed(1)} s, workers`} ${(WORKERS === 0 ? benchCpu : workerCpu).toFixed(1)} s ` +
      `= ${perBar(pgCpu)} + ${perBar(WORKERS === 0 ? benchCpu : benchCpu + workerCpu)} ms per bar; the machine's load average: ${os.loadavg().map((l) => l.toFixed(1)).join(", ")}`,
  );
  if (args.statements) {
    const top = await sql<{ ms: number; plan_ms: number; calls: number; query: string }[]>`
      select (total_exec_time + total_plan_time)::float8 as ms, total_plan_time::float8 as plan_ms, calls::int, query
      from pg_stat_statements order by 1 desc limit 15`;
    for (const t of top) console.log(`${(t.ms / 1000).toFixed(2)} s (plan ${(t.plan_ms / 1000).toFixed(2)}) ${t.calls} calls  ${t.query.replace(/\s+/g, " ").slice(0, 110)}`);
  }
  console.log(
    JSON.stringify({
      sessions: SESSIONS,
      bars: totalBars / SESSIONS,
      wall_s: Number(wallS.toFixed(2)),
      decisions_per_s: Math.round(stats!.decisions / wallS),
      p95_event_lag_ms: Number(pct(95).toFixed(1)),
      baseline_bare_tx_s: Number(bareS.toFixed(2)),
    }),
  );

  clientAbort.abort();
  await inProcess?.stop();
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  httpServer.closeAllConnections();
  httpServer.close();
  await hub.close();
  await boss.stop({ graceful: false, timeout: 1000 });
  await sql.end();
  await client.end();
  await server.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
