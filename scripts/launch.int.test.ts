import { spawn, type ChildProcess } from "node:child_process";
import { access, chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { createSession } from "@/lib/services/sessions/create";
import { createUser } from "@/tests/support/database";
import { createModel, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { exited } from "@/tests/support/worker-process";

/**
 * The launcher (`npm run dev`) stopped by Ctrl-C with a session running: the terminal's SIGINT goes to the
 * whole process group at once (launcher, web server, workers). Exit code 0, no error or stack trace printed,
 * and the session completes after the next start. The web server is a stand-in `next` on PATH that serves
 * nothing and exits on SIGINT/SIGTERM as Next does: this is about the workers and PostgreSQL.
 */
let dir = "";
const launchers = new Set<ChildProcess>();

afterAll(async () => {
  for (const l of launchers) process.kill(-l.pid!, "SIGKILL");
  const server = dir ? await startEmbeddedPostgres({ dataDir: dir }).catch(() => null) : null;
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function launch(bin: string): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  // Its own process group, like a terminal's foreground job, so the test can signal the group as Ctrl-C does.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/launch.ts", "dev"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, DATABASE_URL: "", BULLPEN_DATA_DIR: dir, WORKER_PROCESSES: "1", JOB_MONITOR_SECONDS: "1", WORKER_NICENESS: "5" },
  });
  launchers.add(child);
  child.once("exit", () => launchers.delete(child));
  let out = "";
  child.stdout!.on("data", (d: Buffer) => void (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => void (out += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => out.includes("[worker] ready") && (clearInterval(poll), resolve()), 100);
    child.once("exit", () => (clearInterval(poll), reject(new Error(`the launcher exited:\n${out}`))));
  });
  return { child, output: () => out, ready };
}

it("Ctrl-C stops web, workers and PostgreSQL in order, quietly; the session in flight resumes on the next start", async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "bullpen-launch-"));
  const bin = path.join(dir, "bin");
  await mkdir(bin);
  await writeFile(path.join(bin, "next"), `#!/bin/sh\nexec "${process.execPath}" -e 'const s = require("node:http").createServer().listen(0); for (const g of ["SIGINT", "SIGTERM"]) process.on(g, () => s.close(() => process.exit(0)))'\n`);
  await chmod(path.join(bin, "next"), 0o755);

  const first = launch(bin);
  await first.ready;
  expect(first.output()).toMatch(/\[worker\] ready \(pid \d+, nice 5\)/); // below the web server (WORKER_NICENESS)
  const server = await startEmbeddedPostgres({ dataDir: dir }); // the launcher's, reused
  const sql = postgres(server.url, { max: 2, onnotice: () => {} });
  const { db, client } = createDb(server.url, 2);
  const jobs = await testJobs(server.url);
  const user = await createUser(sql, "launch");
  const modelId = await createModel(sql, user, { llm: "builtin:momentum" });
  // ~105 hour bars of the seeded synthetic market at 50 ms a bar: running when the Ctrl-C comes.
  const spec = { kind: "backtest", interval: "hour", start: "2025-03-03", end: "2025-03-21", symbols: ["ZZSOLR"], settings: { paceMs: 50 } } as const;
  const { id } = await createSession(user.ctx, { ...spec, modelId, symbols: [...spec.symbols] }, { db, jobs: jobs.jobs });
  await jobs.stop();
  await client.end();
  for (;;) {
    const [row] = await sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${id}`;
    if (row!.cursor >= 10) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await sql.end();

  process.kill(-first.child.pid!, "SIGINT");
  // As `npm run dev` does: npm and tsx pass the same Ctrl-C on to the launcher a moment later.
  setTimeout(() => first.child.kill("SIGINT"), 30);
  await exited(first.child);
  expect(first.child.exitCode, first.output()).toBe(0);
  expect(first.output()).toContain("[worker] stopping");
  expect(first.output()).not.toMatch(/error|unhandled|terminating connection|\n\s+at /i);
  // PostgreSQL was stopped too: its lock file is gone.
  await expect(access(path.join(dir, "postgres", "postmaster.pid"))).rejects.toThrow();

  const second = launch(bin);
  await second.ready;
  const again = await startEmbeddedPostgres({ dataDir: dir });
  const sql2 = postgres(again.url, { max: 1, onnotice: () => {} });
  const done = await waitForStatus(sql2, id, ["completed", "failed"], 60_000);
  await sql2.end();
  expect(done.status).toBe("completed");
  process.kill(-second.child.pid!, "SIGTERM");
  await exited(second.child);
  expect(second.child.exitCode, second.output()).toBe(0);
}, 120_000);
