/**
 * `npm run dev` / `npm start`: for `start`, build the app unless .next holds the build of these sources
 * (scripts/build.ts); start (or reuse) the database, migrate, then run Next and the session worker
 * processes (scripts/worker.ts; WORKER_PROCESSES of them, by default one per core up to 4; none if
 * BULLPEN_START_WORKER=false) with DATABASE_URL set. Everything the app needs on a fresh machine, and a
 * clean shutdown on Ctrl-C. A worker that dies is restarted; Next exiting stops all.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";

if (existsSync(".env")) process.loadEnvFile(".env");
const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
const { migrateDatabase } = await import("@/lib/db/migrate");
const { env } = await import("@/lib/env");
const { createDb } = await import("@/lib/db/client");
const { ensureMarketData } = await import("@/lib/services/market-data/synthetic-seed");
const { workerProcessCount } = await import("@/lib/jobs/worker-processes");
const { ensureBuild } = await import("./build");
const { warmDefaultReplay } = await import("@/lib/services/sessions/plan");
const { getStartDefaults } = await import("@/lib/services/session-view");

const mode = process.argv[2] === "start" ? "start" : "dev";

async function main() {
  if (mode === "start") ensureBuild();
  const t0 = performance.now();
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: env.BULLPEN_DATA_DIR, detached: true });
  const url = env.DATABASE_URL ?? embedded!.url;
  if (embedded) console.log(`[bullpen] embedded PostgreSQL ${embedded.started ? "started" : "reused"} (${env.BULLPEN_DATA_DIR}/postgres)`);
  await migrateDatabase(url, env.ADMIN_EMAILS);
  console.log(`[bullpen] database migrated in ${Math.round(performance.now() - t0)} ms`);
  const { db, client } = createDb(url, 2);
  const seeded = await ensureMarketData(db);
  if (seeded > 0) {
    console.log(`[bullpen] no market data imported: stored ${seeded} bars of the SYNTHETIC market (npm run data:import to use real bars)`);
  }
  // In the background while the web server starts: the minutes of the Start dialog's prefilled replay, so a first
  // replay of every symbol starts at once (otherwise its runner makes them first).
  void warmDefaultReplay(db, (await getStartDefaults(db)).replay?.day ?? null)
    .then((day) => day && console.log(`[bullpen] minute bars of the replay day ${day} and the days before it ready`))
    .catch((err: unknown) => console.error(`[bullpen] could not prepare the default replay's minutes: ${(err as Error).message}`))
    .finally(() => void client.end());

  const children = new Set<ChildProcess>();
  const childEnv = { ...process.env, DATABASE_URL: url, PORT: String(env.PORT), NEXT_TELEMETRY_DISABLED: "1" };
  // Idle keep-alive connections stay open 65 s, not Node's 5 s: a client (or a proxy in front) that reuses
  // one just as the server closes it gets ECONNRESET, and the shorter the timeout the likelier that is.
  const keepAlive = mode === "start" ? ["--keepAliveTimeout", "65000"] : [];
  const next = spawn("next", [mode, "-p", String(env.PORT), "-H", "127.0.0.1", ...keepAlive], { stdio: "inherit", env: childEnv });
  children.add(next);

  // Web server and workers first, PostgreSQL once they have exited: a worker finishes its bars in flight and
  // queues their continuations (lib/jobs/worker.ts), which needs the database.
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) c.kill("SIGTERM");
    await Promise.all([...children].map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : null)));
    await embedded?.stop();
    process.exit(code);
  };
  // A Ctrl-C reaches Next and the workers as well (one process group; PostgreSQL has its own): they stop
  // themselves, and SIGTERM after it changes nothing. A second Ctrl-C does not wait for the bars; npm and tsx
  // pass the first one on too, a few milliseconds later, which is not a second.
  let firstSignal: number | null = null;
  const onSignal = () => {
    if (firstSignal === null) {
      firstSignal = performance.now();
      return void stop(0);
    }
    if (performance.now() - firstSignal < 1000) return;
    console.error("[bullpen] stopping now, without waiting for the bars in flight");
    for (const c of children) c.kill("SIGKILL");
    void Promise.resolve(embedded?.stop()).finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  next.on("exit", (code, signal) => void stop(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));

  const startWorker = () => {
    // node with tsx's loader (not the tsx wrapper): one process, so a signal reaches the worker itself.
    const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], { stdio: "inherit", env: childEnv });
    children.add(worker);
    worker.on("exit", (code, signal) => {
      children.delete(worker);
      if (stopping) return;
      console.error(`[bullpen] the worker exited (${signal ?? `code ${code}`}); starting another in 1 s`);
      setTimeout(() => !stopping && startWorker(), 1000);
    });
  };
  if (env.BULLPEN_START_WORKER) for (let i = workerProcessCount(env.WORKER_PROCESSES); i > 0; i--) startWorker();
}

main().catch((err: unknown) => {
  console.error(`[bullpen] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
