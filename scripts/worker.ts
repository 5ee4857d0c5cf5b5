/**
 * `npm run worker`: a session worker (docs/sessions.md). Runs WORKER_CONCURRENCY sessions at a time from
 * the pg-boss queue on DATABASE_URL; start any number, on any machines. `npm run dev` / `npm start`
 * start one themselves. Ctrl-C / SIGTERM: finish the bars in flight, queue the rest, exit.
 */
import { existsSync } from "node:fs";
import os from "node:os";

if (existsSync(".env")) process.loadEnvFile(".env");
const { env } = await import("@/lib/env");
const { startWorker } = await import("@/lib/jobs/worker");

async function databaseUrl(): Promise<string> {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  // Embedded mode: join the database `npm run dev` started in BULLPEN_DATA_DIR, never start our own.
  const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
  const server = await startEmbeddedPostgres({ dataDir: env.BULLPEN_DATA_DIR });
  if (server.started) {
    await server.stop();
    throw new Error("No database: start Bullpen with `npm run dev` (it starts a worker too), or set DATABASE_URL to its database.");
  }
  return server.url;
}

/** Below the web server (WORKER_NICENESS): raising one's own niceness needs no privilege. */
function yieldToTheWebServer() {
  try {
    os.setPriority(Math.max(os.getPriority(), env.WORKER_NICENESS));
  } catch (err) {
    console.error(`[worker] could not lower this process's priority: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main() {
  yieldToTheWebServer();
  const worker = await startWorker({
    url: await databaseUrl(),
    concurrency: env.WORKER_CONCURRENCY,
    llmConcurrency: env.WORKER_LLM_CONCURRENCY,
    poolSize: env.WORKER_POOL_SIZE,
    sliceSeconds: env.SESSION_SLICE_SECONDS,
  });
  console.log(`[worker] ready (pid ${process.pid}, nice ${os.getPriority()}): up to ${env.WORKER_CONCURRENCY} built-in and ${env.WORKER_LLM_CONCURRENCY} LLM sessions at a time`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("[worker] stopping: finishing the bars in flight");
    await worker.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((err: unknown) => {
  console.error(`[worker] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
